"""The contract suite: one set of tests, run against every backend target.

A target is an adapter (what the app uses) plus a harness (what the tests use to seed data
the adapter cannot create: registered customers, orders, and to observe notifications).
Targets: the demo store (in-process, every run) and a real Medusa 2.21 server (the peer;
skipped when Node/PostgreSQL are missing, a failure in CI). Tests isolate their data by a
unique tag in emails and names, so they can share one server per session.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr

from app.backends.medusa import MedusaAdapter, MedusaCredentials
from app.backends.protocols import (
    Backend,
    SupportsAddresses,
    SupportsChangedSince,
    SupportsCustomerDirectory,
    SupportsCustomerWrite,
    SupportsGroups,
    SupportsOrderHistory,
    SupportsPasswordTokens,
)
from app.gateway import GatewayOptions
from app.gateway.inprocess import asgi_options
from tests.contract.medusa_harness import MedusaDialectHarness


class ContractBackend(
    Backend,
    SupportsCustomerDirectory,
    SupportsCustomerWrite,
    SupportsAddresses,
    SupportsGroups,
    SupportsOrderHistory,
    SupportsPasswordTokens,
    SupportsChangedSince,
    Protocol,
):
    """Everything the suite exercises; capability-gated tests skip what a backend lacks."""


@dataclass
class Connection:
    """How to reach a target: its URL, admin credentials, and an in-process transport."""

    name: str
    url: str
    admin_email: str
    admin_password: str
    publishable_key: str | None = None
    app: Any = None  # an ASGI app for in-process targets

    def options(self) -> GatewayOptions:
        return asgi_options(self.app) if self.app is not None else GatewayOptions()

    def harness_transport(self) -> httpx.AsyncBaseTransport | None:
        return httpx.ASGITransport(app=self.app) if self.app is not None else None


@dataclass
class Target:
    name: str
    backend: ContractBackend
    harness: MedusaDialectHarness
    connection: Connection
    tag: str  # unique per test: put it in emails/names and search by it

    def email(self, local: str) -> str:
        return f"{self.tag}.{local}@example.com"

    def adapter(self, credentials: MedusaCredentials) -> MedusaAdapter:
        return MedusaAdapter(self.connection.url, credentials, self.connection.options())


TARGETS = ["demo", "medusa"]


@pytest_asyncio.fixture
async def demo_connection(tmp_path: Path) -> AsyncIterator[Connection]:
    # A fresh, empty store per test: creating one takes milliseconds.
    from app.demo import (
        DEMO_ADMIN_EMAIL,
        DEMO_ADMIN_PASSWORD,
        FaultSettings,
        create_demo_app,
        open_demo,
    )

    store = await open_demo(str(tmp_path / "contract-demo.sqlite3"), customers=0)
    app = create_demo_app(store, FaultSettings())
    try:
        yield Connection("demo", "http://demo.test", DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, app=app)
    finally:
        await store.aclose()


@pytest.fixture(params=TARGETS)
def connection(request: pytest.FixtureRequest) -> Connection:
    if request.param == "demo":
        conn: Connection = request.getfixturevalue("demo_connection")
        return conn
    peer = request.getfixturevalue("medusa_peer")
    return Connection(
        "medusa", peer.url, peer.admin_email, peer.admin_password, peer.publishable_key
    )


@pytest_asyncio.fixture
async def target(connection: Connection) -> AsyncIterator[Target]:
    credentials = MedusaCredentials(
        email=connection.admin_email, password=SecretStr(connection.admin_password)
    )
    backend = MedusaAdapter(connection.url, credentials, connection.options())
    harness = MedusaDialectHarness(
        connection.url,
        connection.admin_email,
        connection.admin_password,
        connection.publishable_key,
        transport=connection.harness_transport(),
    )
    tag = "ct" + uuid.uuid4().hex[:10]
    try:
        yield Target(connection.name, backend, harness, connection, tag)
    finally:
        await backend.aclose()
        await harness.aclose()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/contract/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.contract)
