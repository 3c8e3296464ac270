"""Every request the Elastic Path adapter sends has its evidence in `wire.REQUESTS`: a
session that uses every adapter operation must send exactly the listed requests."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest
from pydantic import SecretStr

from app.backends.elasticpath import ElasticPathAdapter, ElasticPathCredentials
from app.backends.elasticpath.wire import REQUESTS, Confidence
from app.demo import DemoStore, FaultSettings
from app.demo.database import Database
from app.demo.elasticpath import DEMO_EP_CLIENT_ID, DEMO_EP_CLIENT_SECRET, create_ep_app, prepare
from app.demo.elasticpath import repo as ep_repo
from app.domain.customer import AddressDraft, CustomerDraft
from app.domain.patch import AddressPatch, CustomerPatch
from app.domain.query import CustomerQuery
from app.gateway import GatewayOptions

_IDS = (
    (re.compile(r"^/v2/customers/(?!tokens$)[^/]+"), "/v2/customers/{id}"),
    (re.compile(r"/addresses/[^/]+$"), "/addresses/{id}"),
    (re.compile(r"^/v2/orders/[^/]+"), "/v2/orders/{id}"),
)


def request_key(method: str, path: str) -> str:
    for pattern, template in _IDS:
        path = pattern.sub(template, path)
    return f"{method} {path}"


class Recording(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.keys: set[str] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.keys.add(request_key(request.method, request.url.path))
        return await self.inner.handle_async_request(request)


def test_request_keys() -> None:
    assert request_key("GET", "/v2/customers/c1/addresses/a1") == (
        "GET /v2/customers/{id}/addresses/{id}"
    )
    assert request_key("POST", "/v2/customers/tokens") == "POST /v2/customers/tokens"
    assert request_key("GET", "/v2/flows/customers/fields") == "GET /v2/flows/customers/fields"
    assert request_key("GET", "/v2/orders/o1/items") == "GET /v2/orders/{id}/items"


def test_every_entry_names_a_source_and_a_confidence() -> None:
    for key, entries in REQUESTS.items():
        assert entries, key
        for entry in entries:
            assert entry.source.strip(), key
            assert isinstance(entry.confidence, Confidence)
            assert "{" not in entry.source.replace("{detail", "").replace("{f", ""), key


@pytest.mark.asyncio
async def test_the_adapter_sends_only_requests_with_evidence() -> None:
    async with DemoStore(":memory:") as store:
        await prepare(store)
        recording = Recording(httpx.ASGITransport(app=create_ep_app(store, FaultSettings())))
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
            await ep.get_order(order_id)
            await ep.delete_address(c.id, address.id)
            await ep.delete_customer(c.id)
        finally:
            await ep.aclose()
    assert recording.keys - set(REQUESTS) == set()  # nothing sent without evidence
    assert set(REQUESTS) - recording.keys == set()  # no stale entry
