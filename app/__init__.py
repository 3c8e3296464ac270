"""Merchant Desk core: domain, gateway, backends, cache, sync, services. Never imports Qt."""

__version__ = "0.1.0"
