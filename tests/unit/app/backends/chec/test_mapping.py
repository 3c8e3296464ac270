"""Chec wire <-> domain mapping: pure functions, incl. property tests."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.backends.chec import mapping
from app.backends.chec.wire import ChecAddress, ChecCustomer, ChecOrder
from app.domain.customer import Address, AddressDraft, CustomerDraft
from app.domain.patch import AddressPatch, CustomerPatch, MetadataPatch
from app.domain.query import CustomerQuery, Sort, SortField


def price(raw: str) -> dict[str, Any]:
    return {"raw": float(raw), "formatted": raw, "formatted_with_symbol": f"€{raw}"}


CUSTOMER: dict[str, Any] = {
    "id": "cstmr_K1YDR2qy29Qem6",
    "external_id": "MY_CRM_USER_123",
    "firstname": "Leslie",
    "lastname": "Lawless",
    "email": "leslie.lawless@example.com",
    "phone": None,
    "meta": [],  # PHP's empty object
    "created": 1600000000,
    "updated": 1600000100,
    "default_shipping": {"id": "addr_2", "name": "Leslie Lawless", "country": "US"},
    "default_billing": None,
}


def test_customer_from_the_reference_sample() -> None:
    wire = ChecCustomer.model_validate(CUSTOMER)
    addresses = [
        ChecAddress.model_validate({"id": "addr_2", "name": "Leslie Lawless", "country": "US"}),
        ChecAddress.model_validate(
            {"id": "addr_1", "name": "Zoë", "street": "Ring 1", "meta": {"door": "blue"}}
        ),
    ]
    customer = mapping.customer(wire, addresses)
    assert customer.id == "cstmr_K1YDR2qy29Qem6"
    assert (customer.first_name, customer.last_name) == ("Leslie", "Lawless")
    assert customer.created_at == datetime(2020, 9, 13, 12, 26, 40, tzinfo=UTC)
    assert customer.updated_at.timestamp() == 1600000100
    assert customer.metadata == {}
    assert customer.has_account is False
    assert customer.company is None
    first, second = customer.addresses
    assert (first.id, first.first_name, first.last_name) == ("addr_1", "Zoë", None)
    assert first.metadata == {"door": "blue"}
    assert not first.is_default_shipping
    assert (second.country_code, second.is_default_shipping, second.is_default_billing) == (
        "us",
        True,
        False,
    )


def test_order_detail_adds_up_and_reads_prices_exactly() -> None:
    wire = ChecOrder.model_validate(
        {
            "id": "ord_Kvg9l6zvnl1bB7",
            "customer_reference": "SKCM-245",
            "created": 1600000000,
            "status_payment": "paid",
            "status_fulfillment": "fulfilled",
            "currency": {"code": "usd", "symbol": "$"},
            "order_value": price("72.46"),
            "order": {
                "subtotal": price("59.97"),
                "total": price("64.97"),
                "total_with_tax": price("72.46"),
                "shipping": {"id": "ship_1", "price": price("10.00")},
                "discount": {"code": "TEN", "amount_saved": price("5.00")},
                "line_items": [
                    {
                        "id": "item_1",
                        "product_name": "T-Shirt",
                        "product_sku": None,
                        "quantity": 3,
                        "price": price("19.99"),
                        "line_total": price("59.97"),
                    }
                ],
            },
            "tax": {"amount": price("7.49"), "included_in_price": False},
            "customer": {"id": "cstmr_1", "email": "a@example.com"},
            "shipping": {"name": "Ann Lee", "street": "1 Main St", "country": "US"},
            "billing": [],
        }
    )
    detail = mapping.order_detail(wire)
    assert detail.display_number == "#SKCM-245"
    assert detail.status == "completed"
    assert detail.total.amount == Decimal("72.46")
    assert detail.total.currency == "USD"
    parts = (
        detail.subtotal.amount
        - detail.discount_total.amount
        + detail.shipping_total.amount
        + detail.tax_total.amount
    )
    assert parts == detail.total.amount
    assert detail.lines_total() == Decimal("59.97")
    assert detail.lines[0].unit_price.amount == Decimal("19.99")
    assert detail.customer_id == "cstmr_1"
    assert detail.shipping_address is not None
    assert detail.shipping_address.first_name == "Ann"
    assert detail.shipping_address.id == "ord_Kvg9l6zvnl1bB7-shipping"
    assert detail.billing_address is None


def test_order_with_tax_included_still_adds_up() -> None:
    wire = ChecOrder.model_validate(
        {
            "id": "ord_1",
            "created": 1,
            "currency": {"code": "EUR"},
            "order": {"subtotal": price("119.00"), "total_with_tax": price("119.00")},
            "tax": {"amount": price("19.00"), "included_in_price": True},
        }
    )
    detail = mapping.order_detail(wire)
    assert (detail.subtotal.amount, detail.tax_total.amount) == (Decimal(100), Decimal(19))
    assert detail.total.amount == Decimal(119)


@pytest.mark.parametrize(
    ("payment", "fulfilment", "status"),
    [
        ("paid", "fulfilled", "completed"),
        ("paid", "not_fulfilled", "pending"),
        ("not_paid", "not_fulfilled", "pending"),
        ("refunded", "fulfilled", "refunded"),
        ("paid", "returned", "returned"),
    ],
)
def test_order_status_from_payment_and_fulfilment(
    payment: str, fulfilment: str, status: str
) -> None:
    assert mapping.order_status(payment, fulfilment) == status


def test_customer_list_sends_search_but_no_undocumented_sort() -> None:
    query = CustomerQuery(
        text="  anna   müller ", sort=Sort(field=SortField.EMAIL, descending=True)
    )
    # No source documents `sortBy` for customers: none is sent, whatever the query asks.
    assert mapping.query_params(query) == [("query", "anna müller")]
    assert mapping.query_params(CustomerQuery()) == []
    assert mapping.SORT_FIELD == {}


def test_orders_sort_as_the_vendor_sdk_does() -> None:
    # chec/commerce.js src/features/customer.js getOrders() since 1fe26ff: `created`
    # "causes error" on the server.
    assert mapping.ORDER_SORT_PARAMS == (("sortBy", "created_at"), ("sortDirection", "desc"))


def test_customer_bodies_send_only_what_changed() -> None:
    draft = CustomerDraft(email="a@example.com", first_name="A", metadata={"tier": "gold"})
    assert mapping.customer_create_body(draft) == {
        "email": "a@example.com",
        "firstname": "A",
        "meta": {"tier": "gold"},
    }
    patch = CustomerPatch(
        last_name="Lee", phone=None, metadata=MetadataPatch(set={"b": 2}, remove=frozenset({"a"}))
    )
    body = mapping.customer_update_body(patch, {"a": 1, "c": 3})
    assert body == {"lastname": "Lee", "phone": None, "meta": {"c": 3, "b": 2}}
    assert mapping.customer_update_body(CustomerPatch(), {"a": 1}) == {}


def test_company_is_refused_not_dropped() -> None:
    assert mapping.unsupported_customer_fields("ACME")[0].field == "company"
    assert mapping.unsupported_customer_fields(None) == ()


def test_address_bodies() -> None:
    draft = AddressDraft(
        address_name="Home",
        first_name="Zoë",
        last_name="Müller",
        phone="+49 221 555",
        address_1="Hauptstraße 5",
        city="Köln",
        country_code="de",
        is_default_shipping=True,
    )
    assert mapping.address_create_body(draft) == {
        "name": "Zoë Müller",
        "street": "Hauptstraße 5",
        "town_city": "Köln",
        "country": "DE",
        "default_shipping": True,
        "default_billing": False,
    }
    current = Address(id="addr_1", first_name="Zoë", last_name="Müller", metadata={"a": 1})
    body = mapping.address_update_body(
        AddressPatch(last_name="Koch", address_2=None, metadata=MetadataPatch(set={"b": 2})),
        current,
    )
    assert body == {"street_2": None, "name": "Zoë Koch", "meta": {"a": 1, "b": 2}}


def test_error_bodies() -> None:
    duplicate = {
        "status_code": 422,
        "error": {
            "type": "validation",
            "message": "The given data was invalid.",
            "errors": {"email": ["The email has already been taken."]},
        },
    }
    parsed = mapping.parse_error_body(422, duplicate)
    assert parsed.field_errors[0].field == "email"
    assert parsed.message is not None
    assert "already" in parsed.message
    listed = {"error": {"type": "validation", "message": [{"param": "town_city", "error": "x"}]}}
    assert mapping.parse_error_body(422, listed).field_errors[0].field == "city"
    missing = {"status_code": 404, "error": {"type": "not_found", "message": "Customer not found"}}
    assert mapping.parse_error_body(404, missing).message == "Customer not found"
    assert mapping.parse_error_body(500, missing).message is None
    assert mapping.parse_error_body(400, "nonsense").message is None


@given(
    offset=st.integers(min_value=0, max_value=50_000),
    size=st.integers(min_value=1, max_value=2_000),
    max_limit=st.integers(min_value=1, max_value=250),
)
def test_wire_window_covers_exactly_the_requested_rows(
    offset: int, size: int, max_limit: int
) -> None:
    window = mapping.wire_window(offset, size, max_limit)
    assert window.limit <= max_limit
    start = (window.first - 1) * window.limit
    end = window.last * window.limit
    assert start + window.skip == offset  # the window starts where asked
    assert end >= offset + size  # and the fetched pages reach its end
    assert window.skip < window.limit  # no page is fetched only to be skipped
    assert end - (offset + size) < window.limit  # nor one past the end


_NAME = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc", "Zl", "Zp")), min_size=1
)


@given(first=_NAME, last=st.none() | _NAME)
def test_address_names_round_trip(first: str, last: str | None) -> None:
    assert mapping.split_name(mapping.join_name(first, last)) == (first, last)


@given(
    created=st.integers(min_value=0, max_value=4_000_000_000),
    meta=st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=3),
    phone=st.none() | st.text(max_size=12),
)
def test_customer_mapping_keeps_every_field(
    created: int, meta: dict[str, Any], phone: str | None
) -> None:
    wire = ChecCustomer.model_validate(
        {**CUSTOMER, "created": created, "updated": created, "meta": meta, "phone": phone}
    )
    customer = mapping.customer(wire)
    assert customer.created_at.timestamp() == created
    assert customer.metadata == meta
    assert customer.phone == phone
    assert customer.email == CUSTOMER["email"]


def _price(raw: float) -> dict[str, Any]:
    return {"raw": raw, "formatted": str(raw)}


def _transaction(kind: str, status: str, reason: str, updated: int) -> dict[str, Any]:
    return {
        "id": f"trns_{kind}{updated}",
        "type": kind,
        "status": status,
        "status_reason": reason,
        "amount": _price(30),
        "created": 1_700_000_000,
        "updated": updated,
    }


def test_order_summary_reads_customer_items_refunds_and_cancellation() -> None:
    base: dict[str, Any] = {
        "id": "ord_1",
        "customer_reference": "SKCM-1",
        "created": 1_700_000_000,
        "status_payment": "refunded",
        "status_fulfillment": "not_fulfilled",
        "currency": {"code": "usd"},
        "order_value": _price(30),
        "order": {
            "line_items": [
                {"id": "item_1", "quantity": 2, "price": _price(10)},
                {"id": "item_2", "quantity": 1, "price": _price(10)},
            ]
        },
        "customer": {"id": "cstmr_9", "email": "x@example.com"},
        "transactions": [
            _transaction("charge", "complete", "complete", 1_700_000_100),
            _transaction("refund", "complete", "complete", 1_700_000_500),
            _transaction("refund", "failed", "gateway_failure", 1_700_000_900),
        ],
    }
    refunded = mapping.order_summary(ChecOrder.model_validate(base))
    assert refunded.customer_id == "cstmr_9"
    assert refunded.item_count == 3
    assert refunded.refunded is not None
    assert refunded.refunded.amount == Decimal(30)  # the failed refund does not count
    # No `updated` on a Chec order: its newest transaction says when it last changed.
    assert refunded.updated_at == datetime.fromtimestamp(1_700_000_900, UTC)
    assert not refunded.cancelled

    cancelled = mapping.order_summary(
        ChecOrder.model_validate(
            {
                **base,
                "status_payment": "not_paid",
                "transactions": [
                    _transaction("charge", "cancelled", "order_cancelled", 1_700_000_300)
                ],
            }
        )
    )
    assert cancelled.cancelled
    assert cancelled.status == "cancelled"
    assert cancelled.refunded is not None
    assert cancelled.refunded.amount == 0

    bare = mapping.order_summary(
        ChecOrder.model_validate({k: v for k, v in base.items() if k != "transactions"})
    )
    assert (bare.refunded, bare.cancelled) == (None, False)
    assert bare.updated_at == datetime.fromtimestamp(1_700_000_000, UTC)
