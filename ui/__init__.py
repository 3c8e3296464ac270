"""Merchant Desk Qt user interface: sees app.services and app.domain only."""
