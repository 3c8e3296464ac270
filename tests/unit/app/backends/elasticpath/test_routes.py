"""Every request the Elastic Path adapter sends is a declared route with evidence (its
query parameters too): a session that uses every adapter operation sends every declared
route and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from pydantic import SecretStr

from app.backends.elasticpath import ElasticPathAdapter, ElasticPathCredentials, wire
from app.backends.routes import find_route
from app.domain.customer import AddressDraft, CustomerDraft
from app.domain.patch import AddressPatch, CustomerPatch
from app.domain.query import CustomerQuery
from app.gateway import GatewayOptions
from demostore.core import DemoStore, FaultSettings
from demostore.core.database import Database
from demostore.elasticpath import DEMO_EP_CLIENT_ID, DEMO_EP_CLIENT_SECRET, create_ep_app, prepare
from demostore.elasticpath import repo as ep_repo
from tests.unit.app.backends.route_check import RouteRecorder, assert_routes_declared_and_used


def test_ids_fill_the_right_placeholders() -> None:
    route = find_route(wire.ROUTES, "GET", "/v2/customers/c1/addresses/a1")
    assert route is wire.ADDRESS
    assert find_route(wire.ROUTES, "POST", "/v2/customers/tokens") is wire.CUSTOMER_TOKEN
    assert find_route(wire.ROUTES, "GET", "/v2/flows/customers/fields") is wire.FLOW_FIELDS
    assert find_route(wire.ROUTES, "GET", "/v2/orders/o1/items") is wire.ORDER_ITEMS
    assert ElasticPathAdapter.routes == wire.ROUTES  # what docs/backends.md shows


@pytest.mark.asyncio
async def test_every_request_is_a_declared_route_and_every_route_is_used() -> None:
    async with DemoStore(":memory:") as store:
        await prepare(store)
        recording = RouteRecorder(httpx.ASGITransport(app=create_ep_app(store, FaultSettings())))
        creds = ElasticPathCredentials(DEMO_EP_CLIENT_ID, SecretStr(DEMO_EP_CLIENT_SECRET))
        ep = ElasticPathAdapter("http://ep.test", creds, GatewayOptions(transport=recording))
        try:
            await ep.check_connection()
            c = await ep.create_customer(CustomerDraft(email="ev@x.io", first_name="Eve"))
            await ep.list_customers(CustomerQuery(text="eve"))
            await ep.list_changed_since(datetime(2000, 1, 1, tzinfo=UTC))
            await ep.update_customer(c.id, CustomerPatch(last_name="Vance"))
            await ep.set_password(c.id, SecretStr("s3cret-pass"))
            await ep.issue_customer_token("ev@x.io", SecretStr("s3cret-pass"))
            draft = AddressDraft(
                first_name="Eve",
                last_name="Vance",
                address_1="1 Main St",
                county="Kent",
                postal_code="CT1 1AA",
                country_code="gb",
            )
            address = await ep.create_address(c.id, draft)
            await ep.update_address(c.id, address.id, AddressPatch(city="Canterbury"))
            await ep.update_address(c.id, address.id, AddressPatch())  # reads it back
            await ep.get_customer(c.id)

            def seed(db: Database) -> str:
                body = {
                    "data": {
                        "customer_id": c.id,
                        "currency": "EUR",
                        "items": [{"name": "Tea", "unit_price": "3", "quantity": 1}],
                    }
                }
                return str(ep_repo.seed_order(db, body)["data"]["id"])

            order_id = await store.call(seed)
            await ep.list_orders(c.id)
            every = await ep.list_orders_changed_since(c.created_at, page_size=1)
            assert [o.id for o in every.items] == [order_id]
            await ep.get_order(order_id)
            await ep.delete_address(c.id, address.id)
            await ep.delete_customer(c.id)
        finally:
            await ep.aclose()
    assert_routes_declared_and_used(recording.seen, wire.ROUTES)
