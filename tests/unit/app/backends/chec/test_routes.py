"""Every request the Chec adapter sends is a declared route with evidence (its query
parameters too), and every declared route is sent (the lenient emulation serves the
undocumented address routes; the strict one answers them 405)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr

from app.backends.chec import ChecAdapter, wire
from app.domain.customer import AddressDraft, CustomerDraft
from app.domain.patch import AddressPatch, CustomerPatch
from app.domain.query import CustomerQuery
from app.gateway import GatewayOptions
from demostore.chec import ChecSettings, create_chec_app, open_chec_demo
from demostore.core import DemoStore, FaultSettings
from tests.unit.app.backends.route_check import RouteRecorder, assert_routes_declared_and_used

URL = "http://chec.test"


@pytest_asyncio.fixture
async def shop(tmp_path: Path) -> AsyncIterator[tuple[DemoStore, str, RouteRecorder]]:
    store, key = await open_chec_demo(str(tmp_path / "routes.sqlite3"), customers=40)
    app = create_chec_app(store, FaultSettings(), settings=ChecSettings(lenient=True))
    try:
        yield store, key, RouteRecorder(httpx.ASGITransport(app=app))
    finally:
        await store.aclose()


def _adapter(key: str, recorder: RouteRecorder, login_url: str | None = None) -> ChecAdapter:
    options = GatewayOptions(transport=recorder)
    return ChecAdapter(URL, SecretStr(key), options, login_url=login_url)


@pytest.mark.asyncio
async def test_every_request_is_a_declared_route_and_every_route_is_used(
    shop: tuple[DemoStore, str, RouteRecorder],
) -> None:
    _, key, recorder = shop
    adapter = _adapter(key, recorder)
    mailer = _adapter(key, recorder, login_url="https://shop.example/login/{token}")
    try:
        await adapter.check_connection()
        created = await adapter.create_customer(
            CustomerDraft(email="route.check@example.com", first_name="Ro", last_name="Ute")
        )
        await adapter.update_customer(created.id, CustomerPatch(first_name="Rita"))
        await adapter.list_customers(CustomerQuery(text="route"))
        address = await adapter.create_address(
            created.id, AddressDraft(address_1="Hauptstr. 5", city="Köln", country_code="de")
        )
        await adapter.update_address(created.id, address.id, AddressPatch(city="Bonn"))
        await adapter.delete_address(created.id, address.id)
        await adapter.issue_password_token(created)
        await mailer.issue_password_token(created)
        await adapter.delete_customer(created.id)

        # An order needs a customer who has one: the demo's own. Once by the customer's
        # route (its orders listed), once by the merchant's (a fresh adapter knows no owner).
        customers = await adapter.list_customers(CustomerQuery(page_size=40))
        for customer in customers.items:
            orders = (await adapter.list_orders(customer.id)).items
            if orders:
                await adapter.get_order(orders[0].id)
                await mailer.get_order(orders[0].id)
                break
        else:
            pytest.fail("the demo store has no customer with an order")
        # Every order of the store, two pages of it.
        first = await adapter.list_orders_changed_since(None, page_size=2)
        assert first.next_token is not None
        await adapter.list_orders_changed_since(None, first.next_token, page_size=2)
    finally:
        await adapter.aclose()
        await mailer.aclose()

    assert_routes_declared_and_used(recorder.seen, wire.ROUTES)
    assert ChecAdapter.routes == wire.ROUTES  # what docs/backends.md shows
