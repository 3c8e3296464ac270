"""Medusa 2.x admin API adapter (observed on a real 2.21.2 server)."""

from app.backends.medusa.adapter import MedusaAdapter, MedusaCredentials

__all__ = ["MedusaAdapter", "MedusaCredentials"]
