"""Smoke tests of the real Medusa peer and of the HTTP seeding harness against it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest
import pytest_asyncio

from tests.contract.medusa_harness import MedusaDialectHarness
from tests.peers.medusa.fixtures import MedusaPeer

pytestmark = pytest.mark.peer


def _unique_email(name: str) -> str:
    # The database lives for the whole session: keep tests independent of each other.
    return f"{name}.{uuid.uuid4().hex[:10]}@example.com"


@pytest_asyncio.fixture
async def harness(medusa_peer: MedusaPeer) -> AsyncIterator[MedusaDialectHarness]:
    async with MedusaDialectHarness(
        medusa_peer.url,
        medusa_peer.admin_email,
        medusa_peer.admin_password,
        publishable_key=medusa_peer.publishable_key,
    ) as h:
        yield h


def test_peer_is_healthy(medusa_peer: MedusaPeer) -> None:
    assert httpx.get(f"{medusa_peer.url}/health", timeout=10).status_code == 200
    assert medusa_peer.publishable_key.startswith("pk_")


@pytest.mark.asyncio
async def test_register_customer_has_account(harness: MedusaDialectHarness) -> None:
    email = _unique_email("zoe")
    customer_id = await harness.register_customer(email, "Zoë", "Ødegaard", phone="+4915112345678")

    body = await harness.admin_request("GET", f"/admin/customers/{customer_id}")
    customer = body["customer"]
    assert customer["email"] == email
    assert (customer["first_name"], customer["last_name"]) == ("Zoë", "Ødegaard")
    assert customer["has_account"] is True


@pytest.mark.asyncio
async def test_order_with_two_items_has_exact_total(harness: MedusaDialectHarness) -> None:
    customer_id = await harness.register_customer(_unique_email("jurgen"), "Jürgen", "Dvořák")
    order_id = await harness.create_order(
        customer_id,
        [("Kaffeebohnen 1 kg", Decimal("19.99"), 3), ("Filtertüten", Decimal("0.10"), 3)],
        shipping_address={
            "first_name": "Jürgen",
            "last_name": "Dvořák",
            "address_1": "Hauptstraße 1",
            "city": "München",
            "postal_code": "80331",
            "country_code": "de",
        },
    )

    body = await harness.admin_request(
        "GET",
        f"/admin/orders/{order_id}",
        params={"fields": "+email,+currency_code,+customer_id"},
    )
    order = body["order"]
    assert order["customer_id"] == customer_id
    assert order["currency_code"] == "eur"
    assert order["status"] == "pending"
    assert Decimal(str(order["total"])) == Decimal("60.27")  # 3 x 19.99 + 3 x 0.10, no tax
    assert sorted(i["quantity"] for i in order["items"]) == [3, 3]


@pytest.mark.asyncio
async def test_password_reset_token_arrives_as_notification(
    harness: MedusaDialectHarness, medusa_peer: MedusaPeer
) -> None:
    email = _unique_email("sofia")
    await harness.register_customer(email, "Σοφία", "Παπαδόπουλος")
    assert await harness.reset_notifications(email) == []

    async with httpx.AsyncClient(base_url=medusa_peer.url, timeout=30) as client:
        response = await client.post(
            "/auth/customer/emailpass/reset-password", json={"identifier": email}
        )
    assert response.status_code == 201

    token = await harness.wait_for_reset_token(email, wait_s=10)
    assert token.count(".") == 2  # a JWT
    [notification] = await harness.reset_notifications(email)
    assert notification["template"] == "password-reset"
    assert notification["data"]["actor_type"] == "customer"


@pytest.mark.asyncio
async def test_order_of_a_catalogue_product_through_the_adapter(
    harness: MedusaDialectHarness, medusa_peer: MedusaPeer
) -> None:
    """Seeding a product and ordering it; the adapter shows the variant's SKU and price."""
    from pydantic import SecretStr

    from app.backends.medusa import MedusaAdapter, MedusaCredentials

    sku = f"MUG-{uuid.uuid4().hex[:8]}"
    variant = await harness.create_product("Enamel mug", sku, Decimal("19.99"))
    customer_id = await harness.register_customer(_unique_email("mug"), "Mia", "Mug")
    order_id = await harness.create_variant_order(customer_id, variant, 3)
    adapter = MedusaAdapter(
        medusa_peer.url,
        MedusaCredentials(
            email=medusa_peer.admin_email, password=SecretStr(medusa_peer.admin_password)
        ),
    )
    try:
        detail = await adapter.get_order(order_id)
    finally:
        await adapter.aclose()
    assert [(line.sku, line.quantity) for line in detail.lines] == [(sku, 3)]
    assert detail.lines[0].unit_price.amount == Decimal("19.99")
    assert detail.total.amount == Decimal("59.97")
