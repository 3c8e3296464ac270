"""`ChecAdapter` against the demo store's Chec dialect: what the contract suite does not
reach (login-link mode, wide pages, order lookup, refusals) and the declared capabilities."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from pydantic import SecretStr

from app.backends.chec import ChecAdapter
from app.backends.chec.adapter import CAPABILITIES
from app.backends.protocols import (
    SupportsAddresses,
    SupportsChangedSince,
    SupportsCustomerDirectory,
    SupportsCustomerWrite,
    SupportsGroups,
    SupportsOrderHistory,
    SupportsPasswordTokens,
)
from app.domain.capabilities import Capability
from app.domain.customer import CustomerDraft
from app.domain.errors import AuthenticationError, NotFoundError, ValidationFailedError
from app.domain.patch import CustomerPatch
from app.domain.query import CustomerQuery
from app.domain.token import TokenKind
from app.gateway.inprocess import asgi_options
from demostore.chec import create_chec_app, prepare_store, repo
from demostore.core import DemoStore, FaultSettings

pytestmark = pytest.mark.asyncio
URL = "http://chec.test"


@pytest_asyncio.fixture
async def shop() -> AsyncIterator[tuple[DemoStore, str, ChecAdapter]]:
    async with DemoStore(":memory:") as store:
        key = await prepare_store(store)
        app = create_chec_app(store, FaultSettings())
        adapter = ChecAdapter(URL, SecretStr(key), asgi_options(app))
        try:
            yield store, key, adapter
        finally:
            await adapter.aclose()


async def test_declared_capabilities_match_the_protocols(
    shop: tuple[DemoStore, str, ChecAdapter],
) -> None:
    _, _, adapter = shop
    assert CAPABILITIES == (
        Capability.CUSTOMER_LIST
        | Capability.CUSTOMER_SEARCH
        | Capability.CUSTOMER_CREATE
        | Capability.CUSTOMER_UPDATE
        | Capability.CUSTOMER_DELETE
        | Capability.SPLIT_NAMES
        | Capability.PHONE
        | Capability.METADATA
        | Capability.ADDRESSES
        | Capability.DEFAULT_ADDRESSES
        | Capability.ORDERS
        | Capability.PASSWORD_TOKENS
        | Capability.NOTES
    )
    for protocol in (
        SupportsCustomerDirectory,
        SupportsCustomerWrite,
        SupportsAddresses,
        SupportsOrderHistory,
        SupportsPasswordTokens,
    ):
        assert isinstance(adapter, protocol)
    assert not isinstance(adapter, SupportsGroups)
    assert not isinstance(adapter, SupportsChangedSince)
    assert adapter.sort_fields == frozenset()  # no documented `sortBy` for customers


async def test_a_page_wider_than_one_request(shop: tuple[DemoStore, str, ChecAdapter]) -> None:
    _, _, adapter = shop
    for i in range(130):
        await adapter.create_customer(CustomerDraft(email=f"wide{i:03d}@example.com"))
    query = CustomerQuery(text="wide", page_size=120)
    first = await adapter.list_customers(query)
    assert first.total == 130
    assert len(first.items) == 120
    rest = await adapter.list_customers(query, first.next_token)
    assert rest.next_token is None
    emails = [c.email or "" for c in (*first.items, *rest.items)]
    assert sorted(emails) == sorted(f"wide{i:03d}@example.com" for i in range(130))


async def test_order_found_with_and_without_its_customer(
    shop: tuple[DemoStore, str, ChecAdapter],
) -> None:
    store, _, adapter = shop
    customer = await adapter.create_customer(CustomerDraft(email="o@example.com"))
    order = await store.call(
        repo.create_test_order,
        {
            "customer_id": customer.id,
            "line_items": [{"product_name": "Mug", "price": "12.50", "quantity": 2}],
        },
    )
    direct = await adapter.get_order(order["id"])  # not listed yet: the merchant route
    assert direct.total.amount == 25
    await adapter.list_orders(customer.id)
    via_customer = await adapter.get_order(order["id"])
    assert via_customer == direct
    with pytest.raises(NotFoundError):
        await adapter.get_order("ord_nothing")


async def test_company_is_refused(shop: tuple[DemoStore, str, ChecAdapter]) -> None:
    _, _, adapter = shop
    with pytest.raises(ValidationFailedError) as info:
        await adapter.create_customer(CustomerDraft(email="c@example.com", company="ACME"))
    assert info.value.for_field("company")
    created = await adapter.create_customer(CustomerDraft(email="c@example.com"))
    with pytest.raises(ValidationFailedError):
        await adapter.update_customer(created.id, CustomerPatch(company="ACME"))


async def test_login_link_mode_emails_the_customer(
    shop: tuple[DemoStore, str, ChecAdapter],
) -> None:
    store, key, _ = shop
    app = create_chec_app(store, FaultSettings())
    mailer = ChecAdapter(
        URL, SecretStr(key), asgi_options(app), login_url="https://shop.example/login/{token}"
    )
    try:
        customer = await mailer.create_customer(CustomerDraft(email="link@example.com"))
        eligibility = mailer.token_eligibility(customer)
        assert eligibility.allowed
        assert "link@example.com" in eligibility.description
        issued = await mailer.issue_password_token(customer)
        assert issued.kind is TokenKind.LOGIN_LINK_EMAIL
        assert issued.delivered_to == "link@example.com"
        assert issued.secret is None
        sent = await store.call(repo.sent_emails, "link@example.com")
        assert len(sent) == 1
        assert sent[0]["data"]["link"].startswith("https://shop.example/login/")
        no_email = customer.model_copy(update={"email": None})
        assert not mailer.token_eligibility(no_email).allowed
    finally:
        await mailer.aclose()


async def test_jwt_mode_hands_the_token_to_staff(shop: tuple[DemoStore, str, ChecAdapter]) -> None:
    _, _, adapter = shop
    customer = await adapter.create_customer(CustomerDraft(email="jwt@example.com"))
    issued = await adapter.issue_password_token(customer)
    assert issued.kind is TokenKind.CUSTOMER_TOKEN
    assert issued.secret is not None
    assert issued.secret.get_secret_value().count(".") == 2
    assert "eyJ" not in repr(issued)  # masked
    assert issued.valid_for is not None
    assert issued.valid_for.total_seconds() == 24 * 3600


async def test_a_wrong_key_is_an_authentication_error(
    shop: tuple[DemoStore, str, ChecAdapter],
) -> None:
    store, _, _ = shop
    app = create_chec_app(store, FaultSettings())
    wrong = ChecAdapter(URL, SecretStr("sk_wrong"), asgi_options(app))
    try:
        with pytest.raises(AuthenticationError):
            await wrong.check_connection()
    finally:
        await wrong.aclose()
