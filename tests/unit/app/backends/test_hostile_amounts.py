"""Hostile amounts and quantities in orders (issue 13 point 11): a clear error, at once.

`int(Decimal("1e999999999"))` or formatting it would hang the app; NaN and Infinity are
no quantities. Each backend's wire models refuse them: `BadResponseError`.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from app.backends.chec import ChecAdapter
from app.backends.elasticpath import ElasticPathAdapter, ElasticPathCredentials
from app.backends.medusa import MedusaAdapter, MedusaCredentials
from app.domain.errors import BadResponseError
from app.gateway import GatewayOptions

pytestmark = pytest.mark.asyncio
T = "2026-01-02T03:04:05Z"
HOSTILE = ["1e999999999", "-3", "Infinity", "NaN", "1" + "0" * 30]


def options(body: str) -> GatewayOptions:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/access_token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
        return httpx.Response(200, content=body.encode())

    return GatewayOptions(transport=httpx.MockTransport(handler))


def medusa(quantity: str) -> tuple[Any, str]:
    item = f'{{"id": "i", "quantity": {quantity}, "unit_price": 5}}'
    body = f'{{"order": {{"id": "o", "status": "x", "created_at": "{T}", "items": [{item}]}}}}'
    return MedusaAdapter(
        "http://s.test", MedusaCredentials(api_key=SecretStr("k")), options(body)
    ), body


def chec(quantity: str) -> tuple[Any, str]:
    item = f'{{"id": "i", "quantity": {quantity}, "price": {{"raw": 5}}}}'
    body = f'{{"id": "o", "created": 1, "order": {{"line_items": [{item}]}}}}'
    return ChecAdapter("http://s.test", SecretStr("k"), options(body)), body


def elasticpath(quantity: str) -> tuple[Any, str]:
    body = f'{{"data": [{{"id": "i", "quantity": {quantity}}}]}}'
    stamps = f'{{"timestamps": {{"created_at": "{T}", "updated_at": "{T}"}}}}'
    order = f'{{"data": {{"id": "o", "status": "x", "meta": {stamps}}}}}'
    creds = ElasticPathCredentials(client_id="c", client_secret=SecretStr("s"))

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/access_token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
        return httpx.Response(
            200, content=(body if request.url.path.endswith("/items") else order).encode()
        )

    adapter = ElasticPathAdapter(
        "http://s.test", creds, GatewayOptions(transport=httpx.MockTransport(handler))
    )
    return adapter, body


@pytest.mark.parametrize("quantity", HOSTILE)
@pytest.mark.parametrize("build", [medusa, chec, elasticpath])
async def test_a_hostile_quantity_is_a_bad_response_not_a_hang(build: Any, quantity: str) -> None:
    adapter, _ = build(quantity)
    started = time.monotonic()
    try:
        with pytest.raises(BadResponseError):
            await adapter.get_order("o")
    finally:
        await adapter.aclose()
    assert time.monotonic() - started < 2


async def test_a_hostile_amount_is_a_bad_response() -> None:
    body = f'{{"order": {{"id": "o", "status": "x", "created_at": "{T}", "total": 1e999999999}}}}'
    adapter = MedusaAdapter(
        "http://s.test", MedusaCredentials(api_key=SecretStr("k")), options(body)
    )
    try:
        with pytest.raises(BadResponseError):
            await adapter.get_order("o")
    finally:
        await adapter.aclose()
