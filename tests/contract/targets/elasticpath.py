"""Elastic Path-dialect target: the demo store's Elastic Path emulation (`demostore.elasticpath`).

The real service cannot be reached from here; the emulation was written from Elastic Path's
published reference and recorded answers, independently of the adapter, and runs strict
(`demostore.elasticpath.dialect`): what the evidence does not settle is refused. The harness
seeds what the adapter cannot create through the dialect itself (a customer with a
password), or through the emulation's clearly test-only `/_demo/…` routes (orders, which
Elastic Path makes by cart checkout; bulk customers, for speed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from app.backends.elasticpath import ElasticPathAdapter, ElasticPathCredentials
from app.domain.token import TokenKind
from app.gateway.inprocess import asgi_options
from tests.contract.harness import OpenTarget, TokenExpectation

EP_URL = "http://demo-ep.test"
# Nothing is delivered: Elastic Path cannot issue a customer token without the password,
# so the adapter does not declare PASSWORD_TOKENS and the token tests skip.
EP_TOKEN = TokenExpectation(kind=TokenKind.CUSTOMER_TOKEN, valid_seconds=None, secret_returned=True)
BATCH = 500


class ElasticPathHarness:
    """Seeds and observes the emulation over HTTP, with its own client-credentials token."""

    def __init__(self, app: Any, client_id: str, client_secret: str) -> None:
        self._client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=EP_URL)
        self._client_id = client_id
        self._client_secret = client_secret
        self._token: str | None = None

    async def _headers(self) -> dict[str, str]:
        if self._token is None:
            response = await self._client.post(
                "/oauth/access_token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": self._client_id,
                    "client_secret": self._client_secret,
                },
            )
            response.raise_for_status()
            self._token = str(response.json()["access_token"])
        return {"Authorization": f"Bearer {self._token}"}

    async def request(self, method: str, path: str, json: Any = None) -> Any:
        response = await self._client.request(
            method, path, json=json, headers=await self._headers()
        )
        response.raise_for_status()
        return response.json() if response.content else None

    async def register_customer(self, email: str, first_name: str, last_name: str) -> str:
        body = await self.request(
            "POST",
            "/v2/customers",
            {
                "data": {
                    "type": "customer",
                    "name": f"{first_name} {last_name}",
                    "email": email,
                    "password": "contract-Passw0rd",
                }
            },
        )
        return str(body["data"]["id"])

    async def create_group(self, name: str) -> str:
        raise NotImplementedError("Elastic Path customers have no groups")

    async def create_order(
        self,
        customer_id: str,
        items: Sequence[tuple[str, Decimal, int]],
        currency: str = "eur",
        shipping_address: Mapping[str, Any] | None = None,
    ) -> str:
        address = None
        if shipping_address is not None:
            a = shipping_address
            address = {
                "first_name": a.get("first_name"),
                "last_name": a.get("last_name"),
                "line_1": a.get("address_1"),
                "line_2": a.get("address_2"),
                "city": a.get("city"),
                "postcode": a.get("postal_code"),
                "country": (a.get("country_code") or "").upper() or None,
            }
        body = await self.request(
            "POST",
            "/_demo/orders",
            {
                "data": {
                    "customer_id": customer_id,
                    "currency": currency.upper(),
                    "items": [
                        {"name": title, "unit_price": str(price), "quantity": qty}
                        for title, price, qty in items
                    ],
                    "shipping_address": address,
                }
            },
        )
        return str(body["data"]["id"])

    async def cancel_order(self, order_id: str) -> None:
        # "Update an Order" (cartsorders spec): the CancelAnOrder example body.
        await self.request(
            "PUT", f"/v2/orders/{order_id}", {"data": {"type": "order", "status": "cancelled"}}
        )

    async def bulk_create_customers(self, count: int, email_prefix: str, domain: str) -> list[str]:
        ids: list[str] = []
        for start in range(0, count, BATCH):
            rows = [
                {"name": f"Bulk Customer {i}", "email": f"{email_prefix}{i:05d}@{domain}"}
                for i in range(start, min(count, start + BATCH))
            ]
            body = await self.request("POST", "/_demo/customers/batch", {"customers": rows})
            ids.extend(str(row["id"]) for row in body["data"])
        return ids

    async def token_deliveries(self, email: str) -> list[str]:
        return []  # Elastic Path sends nothing on the desk's behalf

    async def wait_for_token_delivery(
        self, email: str, *, known_ids: frozenset[str] = frozenset(), wait_s: float = 10.0
    ) -> str:
        raise AssertionError("Elastic Path delivers no password tokens")

    async def create_secret_key(self, title: str) -> str | None:
        return None  # application keys are client credentials, not admin secret keys

    async def aclose(self) -> None:
        await self._client.aclose()


class ElasticPathDemoTarget:
    """The demo store in Elastic Path's dialect, fresh and empty for each test."""

    name = "demo-ep"

    def __init__(self, request: pytest.FixtureRequest) -> None:
        pass

    async def open(self, tmp_path: Path) -> OpenTarget:
        from demostore.core import FaultSettings, open_demo
        from demostore.elasticpath import (
            DEMO_EP_CLIENT_ID,
            DEMO_EP_CLIENT_SECRET,
            EPDemoSettings,
            EPDialect,
            create_ep_app,
            prepare,
        )

        store = await open_demo(str(tmp_path / "contract-demo-ep.sqlite3"), customers=0)
        await prepare(store, demo_fields=False)
        # Strict: only what the vendor's evidence shows (no lenient switch is on).
        settings = EPDemoSettings(dialect=EPDialect(), test_routes=True)
        app = create_ep_app(store, FaultSettings(), settings=settings)
        options = asgi_options(app)

        def adapter(secret: str) -> ElasticPathAdapter:
            creds = ElasticPathCredentials(DEMO_EP_CLIENT_ID, SecretStr(secret))
            return ElasticPathAdapter(EP_URL, creds, options)

        backend = adapter(DEMO_EP_CLIENT_SECRET)
        harness = ElasticPathHarness(app, DEMO_EP_CLIENT_ID, DEMO_EP_CLIENT_SECRET)

        async def close() -> None:
            await backend.aclose()
            await harness.aclose()
            await store.aclose()

        return OpenTarget(
            backend=backend,  # type: ignore[arg-type]  # no groups/tokens: skipped by capability
            harness=harness,
            with_wrong_secret=lambda: adapter("wrong-secret"),
            with_api_key=None,
            token=EP_TOKEN,
            close=close,
            # EP's order statuses: incomplete, processing, complete, cancelled.
            new_order_status="incomplete",
        )
