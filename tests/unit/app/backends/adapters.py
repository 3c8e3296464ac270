"""One adapter of each backend on the given gateway options (a mock transport), for the
tests that run one case against all three; the function names are the test ids."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from app.backends.chec import ChecAdapter
from app.backends.elasticpath import ElasticPathAdapter, ElasticPathCredentials
from app.backends.medusa import MedusaAdapter, MedusaCredentials
from app.gateway import GatewayOptions


def medusa(options: GatewayOptions) -> Any:
    return MedusaAdapter("http://shop.test", MedusaCredentials(api_key=SecretStr("sk")), options)


def chec(options: GatewayOptions) -> Any:
    return ChecAdapter("http://shop.test", SecretStr("sk"), options)


def elasticpath(options: GatewayOptions) -> Any:
    creds = ElasticPathCredentials(client_id="id", client_secret=SecretStr("s"))
    return ElasticPathAdapter("http://shop.test", creds, options)
