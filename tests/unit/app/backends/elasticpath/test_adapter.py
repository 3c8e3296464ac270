"""The Elastic Path adapter against the emulation: token refresh, custom fields, passwords."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr

from app.backends.elasticpath import ElasticPathAdapter, ElasticPathCredentials
from app.backends.elasticpath.auth import ExpiringTokenAuth, IssuedToken
from app.backends.protocols import SupportsPasswordTokens
from app.domain.customer import AddressDraft, CustomerDraft
from app.domain.errors import (
    AuthenticationError,
    NotFoundError,
    ValidationFailedError,
)
from app.domain.patch import AddressPatch, CustomerPatch, MetadataPatch
from app.domain.query import CustomerQuery, Sort, SortField
from app.domain.token import TokenKind
from app.gateway import GatewayOptions
from app.gateway.inprocess import asgi_options
from demostore.core import DemoStore, FaultSettings
from demostore.elasticpath import (
    DEMO_EP_CLIENT_ID,
    DEMO_EP_CLIENT_SECRET,
    EPDemoSettings,
    create_ep_app,
    prepare,
)
from demostore.elasticpath.server import EPContext
from tests.unit.demostore.helpers import FakeClock

pytestmark = pytest.mark.asyncio


@dataclass
class Shop:
    adapter: ElasticPathAdapter
    ctx: EPContext
    clock: FakeClock
    store: DemoStore


@pytest_asyncio.fixture
async def shop() -> AsyncIterator[Shop]:
    clock = FakeClock()
    async with DemoStore(":memory:") as store:
        await prepare(store)  # with the demo `customers` flow (source, loyalty_points, ...)
        app = create_ep_app(store, FaultSettings(), settings=EPDemoSettings(clock=clock))
        options = asgi_options(app, GatewayOptions(clock=clock))
        creds = ElasticPathCredentials(DEMO_EP_CLIENT_ID, SecretStr(DEMO_EP_CLIENT_SECRET))
        adapter = ElasticPathAdapter("http://ep.test", creds, options)
        try:
            yield Shop(adapter, app.state.ep, clock, store)
        finally:
            await adapter.aclose()


async def test_token_is_renewed_before_it_expires(shop: Shop) -> None:
    await shop.adapter.check_connection()
    assert shop.ctx.issued == 1
    shop.clock.now += 3000  # 10 min left of the hour: still fresh (margin is 1 min)
    await shop.adapter.check_connection()
    assert shop.ctx.issued == 1
    shop.clock.now += 560  # 40 s left: renewed BEFORE use, so no 401 round trip
    await shop.adapter.check_connection()
    assert shop.ctx.issued == 2
    assert shop.adapter.auth.logins == 2


async def test_a_revoked_token_signs_in_again_once(shop: Shop) -> None:
    await shop.adapter.check_connection()
    shop.ctx.tokens.clear()  # the server forgets every token
    await shop.adapter.check_connection()
    assert shop.ctx.issued == 2


async def test_wrong_secret_is_an_authentication_error(shop: Shop) -> None:
    transport = httpx.ASGITransport(app=create_ep_app(shop.store))
    bad = ElasticPathAdapter(
        "http://ep.test",
        ElasticPathCredentials(DEMO_EP_CLIENT_ID, SecretStr("nope")),
        GatewayOptions(transport=transport),
    )
    try:
        with pytest.raises(AuthenticationError):
            await bad.check_connection()
    finally:
        await bad.aclose()


async def test_concurrent_requests_share_one_sign_in() -> None:
    calls = 0
    clock = FakeClock()

    async def login() -> IssuedToken:
        nonlocal calls
        calls += 1
        return IssuedToken(f"t{calls}", clock() + 10, clock())

    auth = ExpiringTokenAuth(login, clock=clock)
    import asyncio

    headers = await asyncio.gather(*(auth.headers() for _ in range(5)))
    assert calls == 1
    assert {h["Authorization"] for h in headers} == {"Bearer t1"}
    clock.now += 8.5  # within the last fifth of a 10 s token
    assert (await auth.headers())["Authorization"] == "Bearer t2"


async def test_custom_fields_are_metadata(shop: Shop) -> None:
    ep = shop.adapter
    created = await ep.create_customer(
        CustomerDraft(email="ron@x.io", first_name="Ron", metadata={"loyalty_points": 30})
    )
    assert created.metadata == {"loyalty_points": 30}
    after = await ep.update_customer(
        created.id,
        CustomerPatch(
            metadata=MetadataPatch(set={"source": "shop"}, remove=frozenset({"loyalty_points"}))
        ),
    )
    assert after.metadata == {"source": "shop"}
    with pytest.raises(ValidationFailedError) as info:
        await ep.update_customer(created.id, CustomerPatch(metadata=MetadataPatch(set={"x": 1})))
    assert info.value.for_field("metadata.x")
    with pytest.raises(ValidationFailedError) as bad_type:
        await ep.update_customer(
            created.id, CustomerPatch(metadata=MetadataPatch(set={"loyalty_points": "many"}))
        )
    assert bad_type.value.for_field("loyalty_points")


async def test_fields_elastic_path_lacks_are_refused_not_dropped(shop: Shop) -> None:
    with pytest.raises(ValidationFailedError) as info:
        await shop.adapter.create_customer(CustomerDraft(email="a@x.io", phone="+1 555"))
    assert info.value.for_field("phone")
    with pytest.raises(ValidationFailedError) as no_email:
        await shop.adapter.create_customer(CustomerDraft(first_name="Nomail"))
    assert no_email.value.for_field("email")
    customer = await shop.adapter.create_customer(CustomerDraft(email="b@x.io"))
    same = await shop.adapter.update_customer(customer.id, CustomerPatch(phone=None))
    assert same.updated_at == customer.updated_at  # clearing what does not exist: no write


async def test_name_round_trip_through_the_store(shop: Shop) -> None:
    ep = shop.adapter
    c = await ep.create_customer(
        CustomerDraft(email="anna@x.io", first_name="Anna van der", last_name="Berg")
    )
    assert (c.first_name, c.last_name) == ("Anna van der", "Berg")
    c = await ep.update_customer(c.id, CustomerPatch(last_name="Smith"))
    assert (c.first_name, c.last_name) == ("Anna van der", "Smith")
    nameless = await ep.create_customer(CustomerDraft(email="nn@x.io"))
    assert (nameless.first_name, nameless.last_name, nameless.display_name) == (
        None,
        None,
        "nn@x.io",
    )
    moved = await ep.update_customer(nameless.id, CustomerPatch(email="mm@x.io"))
    assert (moved.first_name, moved.email) == (None, "mm@x.io")


async def test_password_set_and_customer_token(shop: Shop) -> None:
    ep = shop.adapter
    c = await ep.create_customer(CustomerDraft(email="pw@x.io", first_name="Pat"))
    assert not c.has_account
    assert not isinstance(ep, SupportsPasswordTokens)  # staff cannot mint one
    c = await ep.set_password(c.id, SecretStr("s3cret-pass"))
    assert c.has_account  # `password: true`, the password itself never comes back
    issued = await ep.issue_customer_token("pw@x.io", SecretStr("s3cret-pass"))
    assert issued.kind is TokenKind.CUSTOMER_TOKEN
    assert issued.customer_id == c.id
    assert issued.secret is not None
    assert issued.secret.get_secret_value().count(".") == 2
    assert issued.valid_for is not None
    assert issued.valid_for.total_seconds() == 24 * 3600
    with pytest.raises(AuthenticationError):
        await ep.issue_customer_token("pw@x.io", SecretStr("wrong"))
    with_password = await ep.create_customer(
        CustomerDraft(email="pw2@x.io"), password=SecretStr("another-pass")
    )
    assert with_password.has_account


async def test_search_merges_name_and_email_matches(shop: Shop) -> None:
    ep = shop.adapter
    a = await ep.create_customer(CustomerDraft(email="kiwi@x.io", first_name="Ann"))
    b = await ep.create_customer(CustomerDraft(email="b@x.io", first_name="Kiwi", last_name="Ann"))
    await ep.create_customer(CustomerDraft(email="c@x.io", first_name="Kiwi"))
    page = await ep.list_customers(CustomerQuery(text="kiwi ann", page_size=1))
    rows = list(page.items)
    assert page.total is None  # two tokens: the second is checked client-side
    while page.next_token:
        page = await ep.list_customers(CustomerQuery(text="kiwi ann", page_size=1), page.next_token)
        rows.extend(page.items)
    assert [r.id for r in rows] == sorted([a.id, b.id])
    one = await ep.list_customers(
        CustomerQuery(text="KIWI", sort=Sort(field=SortField.EMAIL, descending=True))
    )
    assert one.total == 3
    assert [r.email for r in one.items] == ["kiwi@x.io", "c@x.io", "b@x.io"]


async def test_addresses_and_orders(shop: Shop) -> None:
    ep = shop.adapter
    c = await ep.create_customer(CustomerDraft(email="o@x.io", first_name="Olga"))
    home = await ep.create_address(
        c.id,
        AddressDraft(
            address_name="Home",
            first_name="Olga",
            last_name="Berg",
            address_1="Ring 1",
            county="Rhein-Sieg",
            postal_code="53111",
            country_code="de",
            metadata={"instructions": "Ring twice"},
        ),
    )
    assert home.metadata == {"instructions": "Ring twice"}
    assert home.county == "Rhein-Sieg"
    moved = await ep.update_address(c.id, home.id, AddressPatch(city="Bonn", address_2=None))
    assert (moved.city, moved.address_1) == ("Bonn", "Ring 1")
    with pytest.raises(ValidationFailedError):
        await ep.create_address(c.id, AddressDraft(is_default_shipping=True))
    with pytest.raises(NotFoundError):
        await ep.update_address(c.id, "nope", AddressPatch(city="X"))
    assert [a.id for a in (await ep.get_customer(c.id)).addresses] == [home.id]

    def seed(db: object) -> str:
        from demostore.elasticpath import repo

        body = {
            "data": {
                "customer_id": c.id,
                "currency": "JPY",
                "items": [{"name": "Tea", "unit_price": "300", "quantity": 2}],
            }
        }
        return str(repo.seed_order(db, body)["data"]["id"])  # type: ignore[arg-type]

    order_id = await shop.store.call(seed)
    page = await ep.list_orders(c.id)
    assert [o.id for o in page.items] == [order_id]
    assert page.total == 1
    detail = await ep.get_order(order_id)
    assert detail.total.amount == Decimal(600)
    assert detail.total.currency == "JPY"
    assert detail.status == "incomplete"  # Elastic Path's own word for an unpaid order
    assert detail.lines[0].unit_price.amount == Decimal(300)
    assert detail.customer_id == c.id
    assert detail.email == "o@x.io"
    await ep.delete_address(c.id, home.id)
    assert await ep.list_addresses(c.id) == []
