"""Medusa mapping is pure: wire <-> domain, query params, patch bodies, error bodies."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from pydantic import JsonValue

from app.backends.medusa import mapping
from app.backends.medusa.wire import MedusaCustomer, MedusaOrder
from app.domain.customer import AddressDraft
from app.domain.patch import UNSET, AddressPatch, CustomerPatch, MetadataPatch
from app.domain.query import CustomerQuery, DateRange

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_customer_wire_to_domain() -> None:
    wire = MedusaCustomer.model_validate(
        {
            "id": "cus_1",
            "email": "a@b.c",
            "company_name": "Acme",
            "has_account": True,
            "metadata": None,
            "created_at": "2026-11-24T12:00:00.000Z",
            "updated_at": "2026-11-24T12:00:01.500Z",
            "unknown_new_field": 1,
            "groups": [{"id": "g2", "name": "Zeta"}, {"id": "g1", "name": "Alpha"}],
            "addresses": [{"id": "a1", "country_code": "DE", "is_default_billing": True}],
        }
    )
    customer = mapping.customer(wire)
    assert customer.company == "Acme"
    assert customer.metadata == {}
    assert [g.name for g in customer.groups] == ["Alpha", "Zeta"]
    assert customer.addresses[0].country_code == "de"
    assert customer.addresses[0].customer_id == "cus_1"
    assert customer.addresses[0].is_default_billing
    assert customer.updated_at == datetime(2026, 11, 24, 12, 0, 1, 500000, tzinfo=UTC)


def test_order_amounts_are_exact_decimals() -> None:
    wire = MedusaOrder.model_validate(
        {
            "id": "order_1",
            "display_id": 7,
            "status": "pending",
            "currency_code": "eur",
            "total": 0.3,
            "item_subtotal": 0.3,
            "created_at": "2026-11-24T12:00:00Z",
            "items": [{"id": "li", "title": "Pot", "quantity": 3, "unit_price": 0.1, "total": 0.3}],
        }
    )
    detail = mapping.order_detail(wire)
    assert detail.display_number == "#7"
    assert detail.total.amount == Decimal("0.3")
    assert detail.lines[0].unit_price.amount == Decimal("0.1")
    assert detail.total.currency == "EUR"


def test_order_summary_carries_customer_items_refunds_and_cancellation() -> None:
    # A list row as 2.21.2 prints it (flat `summary`, items always present).
    wire = MedusaOrder.model_validate(
        {
            "id": "order_2",
            "display_id": 8,
            "status": "canceled",
            "payment_status": "partially_refunded",
            "currency_code": "eur",
            "customer_id": "cus_9",
            "total": 19.98,
            "summary": {"paid_total": 19.98, "refunded_total": 9.99, "raw_refunded_total": {}},
            "created_at": "2026-11-24T12:00:00Z",
            "updated_at": "2026-11-25T08:30:00.250Z",
            "items": [
                {"id": "a", "quantity": 2, "unit_price": 4.99},
                {"id": "b", "quantity": 1, "unit_price": 10},
            ],
        }
    )
    summary = mapping.order_summary(wire)
    assert summary.customer_id == "cus_9"
    assert summary.updated_at == datetime(2026, 11, 25, 8, 30, 0, 250000, tzinfo=UTC)
    assert summary.item_count == 3
    assert summary.refunded is not None
    assert (summary.refunded.amount, summary.refunded.currency) == (Decimal("9.99"), "EUR")
    assert summary.cancelled
    # Without items or summary on the wire, the summary says "unknown", not zero.
    bare = mapping.order_summary(wire.model_copy(update={"items": None, "summary": None}))
    assert (bare.item_count, bare.refunded) == (None, None)
    assert not mapping.order_summary(wire.model_copy(update={"status": "pending"})).cancelled


def test_query_params() -> None:
    query = CustomerQuery(
        text="  anna   müller ",
        has_account=False,
        group_ids=frozenset({"g2", "g1"}),
        created=DateRange(start=NOW),
        updated=DateRange(end=NOW),
    )
    assert mapping.query_params(query) == [
        ("q", "anna müller"),
        ("has_account", "false"),
        ("groups[]", "g1"),
        ("groups[]", "g2"),
        ("created_at[$gte]", "2026-11-24T12:00:00.000Z"),
        ("updated_at[$lt]", "2026-11-24T12:00:00.000Z"),
    ]


def test_update_body_sends_only_set_fields() -> None:
    patch = CustomerPatch(
        company="New",
        phone=None,
        metadata=MetadataPatch(set={"a": 1}, remove=frozenset({"old"})),
    )
    assert mapping.customer_update_body(patch) == {
        "company_name": "New",
        "phone": None,
        "metadata": {"a": 1, "old": ""},
    }
    assert mapping.customer_update_body(CustomerPatch()) == {}


@given(
    current=st.dictionaries(st.text(min_size=1, max_size=5), st.integers(), max_size=6),
    sets=st.dictionaries(st.text(min_size=1, max_size=5), st.integers(), max_size=4),
    removes=st.sets(st.text(min_size=1, max_size=5), max_size=4),
)
def test_metadata_body_applied_like_medusa_equals_domain_apply(
    current: dict[str, JsonValue], sets: dict[str, JsonValue], removes: set[str]
) -> None:
    removes -= sets.keys()
    patch = MetadataPatch(set=dict(sets), remove=frozenset(removes))
    body = mapping.customer_update_body(CustomerPatch(metadata=patch))
    # Medusa: merge the sent keys, then drop those sent as "".
    merged = {**current, **body.get("metadata", {})}
    server_side = {k: v for k, v in merged.items() if v != ""}
    assert server_side == patch.apply(dict(current))


def test_duplicate_email_body_becomes_email_field_error() -> None:
    parsed = mapping.parse_error_body(
        400,
        {
            "type": "invalid_data",
            "message": "Customer with email: a@b.c, has_account: false, already exists.",
        },
    )
    assert parsed.field_errors[0].field == "email"
    assert parsed.message == "Another customer already uses this email address."


def test_validation_body_names_fields() -> None:
    parsed = mapping.parse_error_body(
        400,
        {
            "type": "invalid_data",
            "message": "Invalid request: Invalid email address; "
            "Expected type: 'string' for field 'company_name', got: '5'",
        },
    )
    assert [e.field for e in parsed.field_errors] == ["email", "company"]
    assert not parsed.message.startswith("Invalid request")  # type: ignore[union-attr]


def test_server_error_body_is_not_shown() -> None:
    parsed = mapping.parse_error_body(500, {"message": "An unknown error occurred."})
    assert parsed.message is None


def test_patch_unset_is_falsy_and_distinct_from_none() -> None:
    patch = CustomerPatch(phone=None)
    assert patch.email is UNSET
    assert patch.changes() == {"phone": None}
    assert not patch.is_empty()
    assert CustomerPatch().is_empty()


def test_order_breakdown_adds_up_with_tax_shipping_and_discount() -> None:
    """Figures of a real-shaped Medusa order: shipping and discount totals include tax."""
    wire = MedusaOrder.model_validate(
        {
            "id": "order_2",
            "status": "completed",
            "currency_code": "eur",
            "created_at": "2026-11-24T12:00:00Z",
            "total": 158.8587,
            "subtotal": 151.93,
            "item_subtotal": 146.64,
            "shipping_total": 5.673525,
            "shipping_subtotal": 5.29,
            "tax_total": 10.7387,
            "discount_total": 4.086225,
            "discount_tax_total": 0.276225,
            "items": [
                {
                    "id": "a",
                    "title": "A",
                    "quantity": 2,
                    "unit_price": 50,
                    "subtotal": 100,
                    "total": 104.5,
                },
                {
                    "id": "b",
                    "title": "B",
                    "quantity": 1,
                    "unit_price": 46.64,
                    "subtotal": 46.64,
                    "total": 48.685175,
                },
            ],
        }
    )
    d = mapping.order_detail(wire)
    assert d.lines_total() == d.subtotal.amount == Decimal("146.64")
    breakdown = (
        d.subtotal.amount - d.discount_total.amount + d.shipping_total.amount + d.tax_total.amount
    )
    assert breakdown == d.total.amount


def test_medusa_address_bodies_leave_out_county() -> None:
    """Medusa addresses have no county: the domain's field never reaches the wire."""
    draft = AddressDraft(address_1="Ring 1", county="Kent", province="NRW")
    body = mapping.address_create_body(draft)
    assert "county" not in body
    assert (body["address_1"], body["province"]) == ("Ring 1", "NRW")
    assert mapping.address_update_body(AddressPatch(county="Kent", city="Bonn")) == {"city": "Bonn"}
