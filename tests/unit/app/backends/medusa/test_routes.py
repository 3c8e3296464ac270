"""Every request the Medusa adapter sends is a declared route with evidence (its query
parameters too), and every declared route is sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr

from app.backends.medusa import MedusaAdapter, MedusaCredentials, wire
from app.domain.customer import AddressDraft, CustomerDraft
from app.domain.patch import AddressPatch, CustomerPatch
from app.domain.query import CustomerQuery, DateRange, Sort, SortField
from app.gateway import GatewayOptions
from demostore.core import FaultSettings, open_demo
from demostore.medusa import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, create_demo_app
from tests.unit.app.backends.route_check import RouteRecorder, assert_routes_declared_and_used


@pytest_asyncio.fixture
async def shop(tmp_path: Path) -> AsyncIterator[tuple[MedusaAdapter, RouteRecorder]]:
    store = await open_demo(str(tmp_path / "routes.sqlite3"), customers=40)
    recorder = RouteRecorder(httpx.ASGITransport(app=create_demo_app(store, FaultSettings())))
    creds = MedusaCredentials(email=DEMO_ADMIN_EMAIL, password=SecretStr(DEMO_ADMIN_PASSWORD))
    adapter = MedusaAdapter("http://demo.test", creds, GatewayOptions(transport=recorder))
    try:
        yield adapter, recorder
    finally:
        await adapter.aclose()
        await store.aclose()


@pytest.mark.asyncio
async def test_every_request_is_a_declared_route_and_every_route_is_used(
    shop: tuple[MedusaAdapter, RouteRecorder],
) -> None:
    adapter, recorder = shop
    created = await adapter.create_customer(
        CustomerDraft(email="route.check@example.com", first_name="Ro", last_name="Ute")
    )
    await adapter.update_customer(created.id, CustomerPatch(first_name="Rita"))
    query = CustomerQuery(
        text="route",
        has_account=False,
        email="route.check@example.com",
        created=DateRange(start=created.created_at),
        sort=Sort(field=SortField.EMAIL, descending=True),
    )
    await adapter.list_customers(query)
    await adapter.list_customers(CustomerQuery())
    await adapter.list_changed_since(created.updated_at)
    address = await adapter.create_address(
        created.id, AddressDraft(address_1="Hauptstr. 5", city="Köln", country_code="de")
    )
    await adapter.update_address(created.id, address.id, AddressPatch(city="Bonn"))
    await adapter.list_addresses(created.id)
    await adapter.delete_address(created.id, address.id)
    groups = await adapter.list_groups()
    await adapter.change_group_membership(created.id, frozenset({groups[0].id}), frozenset())
    page = await adapter.list_orders(created.id)
    assert page.items == ()
    await adapter.get_customer(created.id)
    await adapter.delete_customer(created.id)

    # An order and a token need a customer who has them: the demo's own.
    registered = await adapter.list_customers(CustomerQuery(has_account=True, page_size=50))
    for customer in registered.items:
        orders = (await adapter.list_orders(customer.id)).items
        if orders:
            await adapter.get_order(orders[0].id)
            await adapter.issue_password_token(customer)
            break
    else:
        pytest.fail("the demo store has no registered customer with an order")

    # The store-wide listing, incremental and by keyset (a second page sends id[$gt]).
    first = await adapter.list_orders_changed_since(datetime(2000, 1, 1, tzinfo=UTC), page_size=1)
    assert first.next_token is not None
    await adapter.list_orders_changed_since(None, first.next_token, page_size=1)

    assert_routes_declared_and_used(recorder.seen, wire.ROUTES)
