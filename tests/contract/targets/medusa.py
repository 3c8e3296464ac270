"""Medusa-dialect targets: a real Medusa 2.21 server (the peer) and the demo store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from app.backends.medusa import MedusaAdapter, MedusaCredentials
from app.domain.token import TokenKind
from app.gateway import GatewayOptions
from app.gateway.inprocess import asgi_options
from tests.contract.harness import OpenTarget, TokenExpectation
from tests.contract.medusa_harness import MedusaDialectHarness

MEDUSA_TOKEN = TokenExpectation(
    kind=TokenKind.PASSWORD_RESET_EMAIL, valid_seconds=900, secret_returned=False
)


class MedusaContractHarness:
    """The contract harness over Medusa's HTTP dialect (real server or demo store)."""

    def __init__(self, dialect: MedusaDialectHarness) -> None:
        self.dialect = dialect

    async def register_customer(self, email: str, first_name: str, last_name: str) -> str:
        return await self.dialect.register_customer(email, first_name, last_name)

    async def create_group(self, name: str) -> str:
        return await self.dialect.create_group(name)

    async def create_order(
        self,
        customer_id: str,
        items: Sequence[tuple[str, Decimal, int]],
        currency: str = "eur",
        shipping_address: Mapping[str, Any] | None = None,
    ) -> str:
        return await self.dialect.create_order(customer_id, items, currency, shipping_address)

    async def cancel_order(self, order_id: str) -> None:
        await self.dialect.admin_request("POST", f"/admin/orders/{order_id}/cancel")

    async def bulk_create_customers(self, count: int, email_prefix: str, domain: str) -> list[str]:
        return await self.dialect.bulk_create_customers(count, email_prefix, domain)

    async def token_deliveries(self, email: str) -> list[str]:
        return [str(n["id"]) for n in await self.dialect.reset_notifications(email)]

    async def wait_for_token_delivery(
        self, email: str, *, known_ids: frozenset[str] = frozenset(), wait_s: float = 10.0
    ) -> str:
        return await self.dialect.wait_for_reset_token(email, known_ids=known_ids, wait_s=wait_s)

    async def create_secret_key(self, title: str) -> str | None:
        body = await self.dialect.admin_request(
            "POST", "/admin/api-keys", json={"title": title, "type": "secret"}
        )
        return str(body["api_key"]["token"])

    async def aclose(self) -> None:
        await self.dialect.aclose()


def _open(
    url: str,
    email: str,
    password: str,
    publishable_key: str | None,
    options: GatewayOptions,
    harness_transport: httpx.AsyncBaseTransport | None,
    extra_close: list[Any],
) -> OpenTarget:
    def adapter(credentials: MedusaCredentials) -> MedusaAdapter:
        return MedusaAdapter(url, credentials, options)

    backend = adapter(MedusaCredentials(email=email, password=SecretStr(password)))
    harness = MedusaContractHarness(
        MedusaDialectHarness(url, email, password, publishable_key, transport=harness_transport)
    )

    async def close() -> None:
        await backend.aclose()
        await harness.aclose()
        for item in extra_close:
            await item.aclose()

    return OpenTarget(
        backend=backend,
        harness=harness,
        with_wrong_secret=lambda: adapter(
            MedusaCredentials(email=email, password=SecretStr("wrong-password"))
        ),
        with_api_key=lambda key: adapter(MedusaCredentials(api_key=SecretStr(key))),
        token=MEDUSA_TOKEN,
        close=close,
    )


class MedusaPeerTarget:
    """A real Medusa 2.21.2 server, one per test session (tests/peers/medusa)."""

    name = "medusa"

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self.peer = request.getfixturevalue("medusa_peer")

    async def open(self, tmp_path: Path) -> OpenTarget:
        p = self.peer
        return _open(
            p.url, p.admin_email, p.admin_password, p.publishable_key, GatewayOptions(), None, []
        )


class MedusaDemoTarget:
    """The embedded demo store (Medusa dialect), fresh and empty for each test."""

    name = "demo"

    def __init__(self, request: pytest.FixtureRequest) -> None:
        pass

    async def open(self, tmp_path: Path) -> OpenTarget:
        from demostore.core import FaultSettings, open_demo
        from demostore.medusa import (
            DEMO_ADMIN_EMAIL,
            DEMO_ADMIN_PASSWORD,
            DemoSettings,
            create_demo_app,
        )

        store = await open_demo(str(tmp_path / "contract-demo.sqlite3"), customers=0)
        # The harness seeds orders and reads reset emails through the test-only routes.
        app = create_demo_app(store, FaultSettings(), settings=DemoSettings(test_routes=True))
        return _open(
            "http://demo.test",
            DEMO_ADMIN_EMAIL,
            DEMO_ADMIN_PASSWORD,
            None,
            asgi_options(app),
            httpx.ASGITransport(app=app),
            [store],
        )
