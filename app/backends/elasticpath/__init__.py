"""Elastic Path Commerce Cloud adapter (Customers v2), built from the vendor's reference."""

from app.backends.elasticpath.adapter import ElasticPathAdapter, ElasticPathCredentials

__all__ = ["ElasticPathAdapter", "ElasticPathCredentials"]
