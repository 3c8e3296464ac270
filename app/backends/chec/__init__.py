"""Chec / Commerce.js REST API v1 adapter (secret key), built from the vendor's reference."""

from app.backends.chec.adapter import ChecAdapter

__all__ = ["ChecAdapter"]
