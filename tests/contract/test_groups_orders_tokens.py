"""Groups and membership, order history and detail, password-token issuance."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.capabilities import Capability
from app.domain.customer import CustomerDraft
from app.domain.errors import NotEligibleError, NotFoundError
from tests.contract.conftest import Target, need

pytestmark = pytest.mark.asyncio


async def test_group_membership(target: Target) -> None:
    need(target, Capability.GROUPS)
    need(target, Capability.GROUP_MEMBERSHIP)
    vip = await target.harness.create_group(f"VIP {target.tag}")
    trade = await target.harness.create_group(f"Trade {target.tag}")
    names = {g.id: g.name for g in await target.backend.list_groups()}
    assert names[vip] == f"VIP {target.tag}"
    customer = await target.backend.create_customer(CustomerDraft(email=target.email("grp")))
    both = await target.backend.change_group_membership(
        customer.id, frozenset({vip, trade}), frozenset()
    )
    assert {g.id for g in both.groups} == {vip, trade}
    # Adding an existing member is a no-op.
    same = await target.backend.change_group_membership(customer.id, frozenset({vip}), frozenset())
    assert {g.id for g in same.groups} == {vip, trade}
    left = await target.backend.change_group_membership(customer.id, frozenset(), frozenset({vip}))
    assert [g.name for g in left.groups] == [f"Trade {target.tag}"]


async def test_orders_list_and_detail(target: Target) -> None:
    need(target, Capability.ORDERS)
    customer = await target.backend.create_customer(
        CustomerDraft(email=target.email("buyer"), first_name="Bea", last_name="Buyer")
    )
    address = {
        "first_name": "Bea",
        "last_name": "Buyer",
        "address_1": "Via Roma 1",
        "city": "Roma",
        "postal_code": "00100",
        "country_code": "it",
    }
    first = await target.harness.create_order(
        customer.id,
        [("Mug", Decimal("12.50"), 2), ("Tea", Decimal("3.99"), 3)],
        shipping_address=address,
    )
    second = await target.harness.create_order(customer.id, [("Pot", Decimal("0.10"), 3)])
    page = await target.backend.list_orders(customer.id, page_size=1)
    assert page.total == 2
    assert [o.id for o in page.items] == [second]  # newest first
    assert page.next_token is not None
    rest = await target.backend.list_orders(customer.id, page.next_token, page_size=1)
    assert [o.id for o in rest.items] == [first]
    assert rest.next_token is None
    summary = rest.items[0]
    assert summary.total.amount == Decimal("36.97")
    assert summary.total.currency == "EUR"
    assert summary.display_number.startswith("#")
    assert summary.status == target.opened.new_order_status

    detail = await target.backend.get_order(first)
    assert detail.customer_id == customer.id
    assert detail.email == customer.email
    # Medusa does not keep line items in insertion order: compare them sorted.
    assert sorted(
        (li.title, li.quantity, li.unit_price.amount, li.total.amount) for li in detail.lines
    ) == [
        ("Mug", 2, Decimal("12.5"), Decimal("25")),
        ("Tea", 3, Decimal("3.99"), Decimal("11.97")),
    ]
    assert detail.subtotal.amount == Decimal("36.97")
    # Draft orders carry no tax, shipping or discount: the total is the sum of the lines.
    assert detail.tax_total.amount == detail.shipping_total.amount == 0
    assert detail.discount_total.amount == 0
    assert detail.total.amount == detail.lines_total() == Decimal("36.97")
    assert detail.shipping_address is not None
    assert detail.shipping_address.city == "Roma"
    exact = await target.backend.get_order(second)
    assert exact.total.amount == Decimal("0.3")  # no float drift


async def test_unknown_order_is_not_found(target: Target) -> None:
    need(target, Capability.ORDERS)
    with pytest.raises(NotFoundError):
        await target.backend.get_order("order_01HZZZZZZZZZZZZZZZZZZZZZZZ")


async def test_customer_without_orders(target: Target) -> None:
    need(target, Capability.ORDERS)
    customer = await target.backend.create_customer(CustomerDraft(email=target.email("noorders")))
    page = await target.backend.list_orders(customer.id)
    assert (page.items, page.total, page.next_token) == ((), 0, None)


async def test_reset_token_for_registered_customer(target: Target) -> None:
    need(target, Capability.PASSWORD_TOKENS)
    email = target.email("reset")
    customer_id = await target.harness.register_customer(email, "Rita", "Reset")
    customer = await target.backend.get_customer(customer_id)
    eligibility = target.backend.token_eligibility(customer)
    assert eligibility.allowed
    assert email in eligibility.description
    before = await target.harness.token_deliveries(email)
    result = await target.backend.issue_password_token(customer)
    expected = target.token
    assert result.kind is expected.kind
    assert result.customer_id == customer_id
    assert (result.secret is not None) == expected.secret_returned
    if expected.valid_seconds is not None:
        assert result.valid_for is not None
        assert result.valid_for.total_seconds() == expected.valid_seconds
    assert email in result.message or result.secret is not None
    if not expected.secret_returned:
        assert result.delivered_to == email
        token = await target.harness.wait_for_token_delivery(email, known_ids=frozenset(before))
        assert token  # the backend delivered a token/link to the customer


async def test_reset_token_refused_for_guest(target: Target) -> None:
    need(target, Capability.PASSWORD_TOKENS)
    need(target, Capability.GUEST_CUSTOMERS)
    guest = await target.backend.create_customer(CustomerDraft(email=target.email("guest")))
    eligibility = target.backend.token_eligibility(guest)
    assert not eligibility.allowed
    assert eligibility.reason is not None
    assert "account" in eligibility.reason
    with pytest.raises(NotEligibleError):
        await target.backend.issue_password_token(guest)
    assert await target.harness.token_deliveries(guest.email or "") == []
