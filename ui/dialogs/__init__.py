"""Dialogs: addresses, orders, password tokens, stores, confirmations."""
