"""Chec-dialect target: the embedded demo store speaking Chec / Commerce.js REST API v1.

The harness seeds through the dialect's public routes with the secret key, like a shop's
own back end would; what Chec's API cannot do from outside (place an order without a
checkout, read the login emails it sent, mint a secret key, which the Chec dashboard does)
goes through the demo's test-only routes under `/_demo/chec/`, never used by the adapter.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from pydantic import SecretStr

from app.backends.chec import ChecAdapter
from app.domain.token import TokenKind
from app.gateway import GatewayOptions
from app.gateway.inprocess import asgi_options
from tests.contract.harness import ContractBackend, OpenTarget, TokenExpectation

# A JWT minted with the secret key, handed to staff, valid 24 hours.
CHEC_TOKEN = TokenExpectation(
    kind=TokenKind.CUSTOMER_TOKEN, valid_seconds=24 * 3600, secret_returned=True
)
_FIRST_NAMES = ("Anna", "Björn", "Chloé", "Dmitri", "Élodie", "Zoë", "Ренат", "美咲")
_LAST_NAMES = ("Müller", "Ødegaard", "García", "Dvořák", "Иванова", "山田", "Smith")


class ChecDialectError(Exception):
    """An HTTP call answered with an unexpected status."""


class ChecContractHarness:
    def __init__(self, url: str, key: str, transport: httpx.AsyncBaseTransport) -> None:
        self._http = httpx.AsyncClient(
            base_url=url, transport=transport, headers={"X-Authorization": key}
        )

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self._http.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise ChecDialectError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json()

    async def register_customer(self, email: str, first_name: str, last_name: str) -> str:
        # Every Chec customer can sign in (by login link or JWT): no separate registration.
        body = {"email": email, "firstname": first_name, "lastname": last_name}
        return str((await self._call("POST", "/v1/customers", json=body))["id"])

    async def create_group(self, name: str) -> str:
        raise NotImplementedError("Chec has no customer groups")

    async def create_order(
        self,
        customer_id: str,
        items: Sequence[tuple[str, Decimal, int]],
        currency: str = "eur",
        shipping_address: Mapping[str, Any] | None = None,
    ) -> str:
        body: dict[str, Any] = {
            "customer_id": customer_id,
            "currency": currency.upper(),
            "line_items": [
                {"product_name": title, "price": str(price), "quantity": quantity}
                for title, price, quantity in items
            ],
        }
        if shipping_address is not None:
            a = shipping_address
            name = " ".join(p for p in (a.get("first_name"), a.get("last_name")) if p)
            body["shipping"] = {
                "name": name,
                "street": a.get("address_1"),
                "town_city": a.get("city"),
                "postal_zip_code": a.get("postal_code"),
                "country": str(a.get("country_code") or "").upper(),
            }
        return str((await self._call("POST", "/_demo/chec/orders", json=body))["id"])

    async def bulk_create_customers(self, count: int, email_prefix: str, domain: str) -> list[str]:
        ids: list[str] = []
        for i in range(count):
            body = {
                "email": f"{email_prefix}{i:05d}@{domain}",
                "firstname": _FIRST_NAMES[i % len(_FIRST_NAMES)],
                "lastname": _LAST_NAMES[(i * 7) % len(_LAST_NAMES)],
                "phone": f"+4915{(i * 7919) % 100_000_000:08d}",
            }
            ids.append(str((await self._call("POST", "/v1/customers", json=body))["id"]))
        return ids

    async def _emails(self, email: str) -> list[dict[str, Any]]:
        body = await self._call("GET", "/_demo/chec/emails", params={"to": email})
        return list(body["data"])

    async def token_deliveries(self, email: str) -> list[str]:
        return [str(e["id"]) for e in await self._emails(email)]

    async def wait_for_token_delivery(
        self, email: str, *, known_ids: frozenset[str] = frozenset(), wait_s: float = 10.0
    ) -> str:
        deadline = asyncio.get_running_loop().time() + wait_s
        while True:
            for sent in await self._emails(email):
                if str(sent["id"]) not in known_ids:
                    return str(sent["data"]["token"])
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"no login email to {email}")
            await asyncio.sleep(0.05)

    async def create_secret_key(self, title: str) -> str | None:
        return str(
            (await self._call("POST", "/_demo/chec/secret-keys", json={"title": title}))["key"]
        )

    async def aclose(self) -> None:
        await self._http.aclose()


class ChecDemoTarget:
    """The embedded demo store (Chec dialect), fresh and empty for each test; strict: it
    serves only what the vendor's sources document, as Chec itself would be assumed to."""

    name = "demo-chec"
    lenient = False

    def __init__(self, request: pytest.FixtureRequest) -> None:
        pass

    async def open(self, tmp_path: Path) -> OpenTarget:
        from demostore.chec import ChecSettings, create_chec_app, open_chec_demo
        from demostore.core import FaultSettings

        store, key = await open_chec_demo(str(tmp_path / "contract-chec.sqlite3"), customers=0)
        app = create_chec_app(
            store, FaultSettings(), settings=ChecSettings(lenient=self.lenient, test_routes=True)
        )
        url = "http://demo-chec.test"
        options: GatewayOptions = asgi_options(app)

        def adapter(secret: str) -> ChecAdapter:
            return ChecAdapter(url, SecretStr(secret), options)

        backend = adapter(key)
        harness = ChecContractHarness(url, key, httpx.ASGITransport(app=app))

        async def close() -> None:
            await backend.aclose()
            await harness.aclose()
            await store.aclose()

        return OpenTarget(
            # The suite skips by capability what Chec lacks (groups, changed-since).
            backend=cast(ContractBackend, backend),
            harness=harness,
            with_wrong_secret=lambda: adapter("sk_wrong_" + "0" * 40),
            with_api_key=adapter,
            token=CHEC_TOKEN,
            close=close,
            address_book=self.lenient,
        )


class ChecLenientDemoTarget(ChecDemoTarget):
    """The same, also serving the routes no source documents (listing, editing, deleting
    addresses; sorting customers): what the desk can do if Chec has them after all."""

    name = "demo-chec-lenient"
    lenient = True
