"""Elastic Path mapping is pure: names, wire <-> domain, filters, bodies, error bodies."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.backends.elasticpath import mapping
from app.backends.elasticpath.wire import (
    EPAddress,
    EPAddressEnvelope,
    EPCustomer,
    EPOrder,
    EPOrderItem,
)
from app.domain.customer import AddressDraft, CustomerDraft
from app.domain.patch import AddressPatch, CustomerPatch, MetadataPatch
from app.domain.query import CustomerQuery
from tests.unit.app.backends.elasticpath import recorded

STAMPS = {
    "timestamps": {"created_at": "2026-01-02T03:04:05Z", "updated_at": "2026-01-02T03:04:06Z"}
}


def wire_customer(**kw: Any) -> EPCustomer:
    base: dict[str, Any] = {
        "type": "customer",
        "id": "c1",
        "name": "Ron Swanson",
        "email": "ron@swanson.com",
        "password": True,
        "meta": STAMPS,
    }
    base.update(kw)
    return EPCustomer.model_validate(base)


# --- names -----------------------------------------------------------------------------

# A name part: letters of any script, digits and inner single spaces, no edge whitespace.
word = st.text(alphabet=st.characters(categories=("L", "N", "P")), min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and not any(c.isspace() for c in s)
)
first_names = st.lists(word, min_size=1, max_size=3).map(" ".join)


@given(first=first_names, last=word)
def test_split_undoes_join(first: str, last: str) -> None:
    assert mapping.split_name(mapping.join_name(first, last)) == (first, last)


@given(first=first_names)
def test_first_name_alone_round_trips(first: str) -> None:
    name = mapping.join_name(first, None)
    assert name == first
    split_first, split_last = mapping.split_name(name)
    assert mapping.join_name(split_first, split_last) == first  # nothing is lost


@given(name=st.text(min_size=1, max_size=40))
def test_any_stored_name_loses_nothing_but_whitespace_width(name: str) -> None:
    first, last = mapping.split_name(name)
    rejoined = mapping.join_name(first, last) or ""
    assert rejoined.split() == name.split()


def test_split_examples() -> None:
    assert mapping.split_name("Anna van der Berg") == ("Anna van der", "Berg")
    assert mapping.split_name("Cher") == ("Cher", None)
    assert mapping.split_name("  Zoë   Müller ") == ("Zoë", "Müller")
    assert mapping.split_name("花子 山田") == ("花子", "山田")
    assert mapping.split_name("") == (None, None)
    # The email as name is the placeholder for "no name" (EP requires a name).
    assert mapping.split_name("a@b.co", "a@b.co") == (None, None)


def test_create_body_uses_email_when_there_is_no_name() -> None:
    body = mapping.customer_create_body(CustomerDraft(email="a@b.co", metadata={"tier": "gold"}))
    assert body == {
        "data": {"type": "customer", "name": "a@b.co", "email": "a@b.co", "tier": "gold"}
    }
    named = mapping.customer_create_body(
        CustomerDraft(email="a@b.co", first_name="Al", last_name="Bo")
    )
    assert named["data"]["name"] == "Al Bo"


def test_update_one_name_half_keeps_the_other() -> None:
    current = wire_customer(name="Anna van der Berg")
    body = mapping.customer_update_body(CustomerPatch(last_name="Smith"), current)
    assert body == {"data": {"type": "customer", "name": "Anna van der Smith"}}
    body = mapping.customer_update_body(CustomerPatch(first_name="Ann"), current)
    assert body["data"]["name"] == "Ann Berg"


def test_update_untouched_name_is_not_sent() -> None:
    body = mapping.customer_update_body(CustomerPatch(email="new@x.io"), wire_customer())
    assert body == {"data": {"type": "customer", "email": "new@x.io"}}


def test_placeholder_name_follows_the_email_and_cleared_names_fall_back_to_it() -> None:
    nameless = wire_customer(name="old@x.io", email="old@x.io")
    body = mapping.customer_update_body(CustomerPatch(email="new@x.io"), nameless)
    assert body["data"] == {"type": "customer", "email": "new@x.io", "name": "new@x.io"}
    cleared = mapping.customer_update_body(
        CustomerPatch(first_name=None, last_name=None), wire_customer()
    )
    assert cleared["data"]["name"] == "ron@swanson.com"


def test_metadata_patch_sets_and_nulls_custom_fields() -> None:
    patch = CustomerPatch(metadata=MetadataPatch(set={"tier": "gold"}, remove=frozenset({"old"})))
    assert mapping.customer_update_body(patch, None)["data"] == {
        "type": "customer",
        "tier": "gold",
        "old": None,
    }


# --- wire -> domain --------------------------------------------------------------------


def test_customer_with_custom_fields_as_metadata() -> None:
    wire = wire_customer(tier="gold", newsletter=False, unset_field=None, other="x")
    customer = mapping.customer(wire, field_slugs={"tier", "newsletter", "unset_field"})
    assert (customer.first_name, customer.last_name) == ("Ron", "Swanson")
    assert customer.has_account is True  # `password: true`
    assert customer.metadata == {"newsletter": False, "tier": "gold"}
    assert customer.phone is None
    assert customer.company is None


def test_address_maps_ep_fields_county_of_its_own_and_instructions_as_metadata() -> None:
    wire = EPAddress.model_validate(
        {
            "id": "a1",
            "name": "Home",
            "first_name": "Ron",
            "line_1": "1 Sunny Street",
            "line_2": "",
            "county": "Sunnyville",
            "region": "Pawnee",
            "postcode": "SU33 1YY",
            "country": "GB",
            "phone_number": "(555) 555-1234",
            "instructions": "Leave behind bin",
            "company_name": "Ron Swanson Enterprises",
        }
    )
    address = mapping.address(wire, "c1")
    assert address.address_name == "Home"
    assert address.address_2 is None  # "" reads as empty
    assert (address.county, address.province, address.postal_code, address.country_code) == (
        "Sunnyville",
        "Pawnee",
        "SU33 1YY",
        "gb",
    )
    assert address.metadata == {"instructions": "Leave behind bin"}


def test_the_recorded_created_address_reads_whole() -> None:
    data = EPAddressEnvelope.model_validate(recorded.CREATED_ADDRESS_201).data
    address = mapping.address(data, "c1")
    assert (address.address_name, address.county, address.province) == (
        "My New Address",
        "IL",
        "WA",
    )
    assert address.address_2 is None
    assert address.country_code == "mo"


def test_address_bodies() -> None:
    draft = AddressDraft(address_1="Ring 1", county="X", province="", country_code="de")
    assert mapping.address_create_body(draft) == {
        "data": {"type": "address", "line_1": "Ring 1", "county": "X", "country": "DE"}
    }
    patch = AddressPatch(
        city="Bonn",
        address_2=None,
        county="Y",
        metadata=MetadataPatch(remove=frozenset({"instructions"})),
    )
    assert mapping.address_update_body(patch) == {
        "data": {"type": "address", "city": "Bonn", "line_2": "", "county": "Y", "instructions": ""}
    }
    problems = mapping.address_problems(["floor", "county"], defaults=True)
    assert [p.field for p in problems] == [
        "metadata.county",
        "metadata.floor",
        "is_default_shipping",
    ]


def test_a_draft_missing_what_elastic_path_requires_is_refused_before_sending() -> None:
    """The recorded 400 for an empty address names these six; the desk says so first."""
    problems = mapping.ADDRESS_FORM.draft_problems(AddressDraft(province="WA"))
    assert [p.field for p in problems] == [
        "first_name",
        "last_name",
        "address_1",
        "county",
        "postal_code",
        "country_code",
    ]
    assert problems[3].message == "County is required by this store."


def test_a_patch_may_not_clear_a_required_field_or_the_label() -> None:
    problems = mapping.address_patch_problems(AddressPatch(county=None, address_name=None))
    assert [p.field for p in problems] == ["county", "address_name"]
    assert mapping.address_patch_problems(AddressPatch(address_2=None, province=None)) == []


def price(amount: int, currency: str = "EUR") -> dict[str, Any]:
    return {"amount": amount, "currency": currency, "formatted": ""}


def test_order_totals_add_up_and_minor_units_follow_the_currency() -> None:
    order = EPOrder.model_validate(
        {
            "id": "o1",
            "status": "complete",
            "payment": "paid",
            "shipping": "fulfilled",
            "order_number": "1042",
            "customer": {"name": "Ron", "email": "ron@swanson.com"},
            "meta": {
                "display_price": {
                    "with_tax": price(2380),
                    "without_tax": price(2000),
                    "tax": price(380),
                    "discount": price(-500),
                    "shipping": price(500),
                },
                **STAMPS,
            },
            "relationships": {"customer": {"data": {"type": "customer", "id": "c1"}}},
        }
    )
    item = EPOrderItem.model_validate(
        {
            "id": "i1",
            "name": "Mug",
            "sku": "MUG",
            "quantity": 2,
            "unit_price": price(1000),
            "value": price(2000),
        }
    )
    detail = mapping.order_detail(order, [item])
    assert detail.display_number == "#1042"
    assert detail.customer_id == "c1"
    assert detail.total.amount == Decimal("23.80")
    assert detail.discount_total.amount == Decimal("5.00")
    assert (
        detail.subtotal.amount
        - detail.discount_total.amount
        + detail.shipping_total.amount
        + detail.tax_total.amount
        == detail.total.amount
    )
    assert detail.lines[0].total.amount == Decimal("20.00")
    assert mapping.minor_to_major(1234, "JPY") == Decimal(1234)
    assert mapping.minor_to_major(1234, "KWD") == Decimal("1.234")


# --- filters ---------------------------------------------------------------------------


def test_search_plan_pivots_on_the_longest_token() -> None:
    plan = mapping.search_plan(CustomerQuery(text="anna koch@example", email="x@y.z"))
    assert plan.client_tokens == ("anna",)
    assert plan.streams == (
        ('eq(email,"x@y.z")', 'like(email,"*koch@example*")'),
        ('eq(email,"x@y.z")', 'like(name,"*koch@example*")'),
    )
    assert plan.overlap is not None
    assert len(plan.overlap) == 3
    assert mapping.search_plan(CustomerQuery()).streams == ((),)


def test_quoted_operands_escape_quotes_and_backslashes() -> None:
    assert mapping.op("eq", "name", 'Food \'n "Stuff"\\') == 'eq(name,"Food \'n \\"Stuff\\"\\\\")'


def test_client_side_tokens_are_case_insensitive() -> None:
    wire = wire_customer(name="Zoë Müller", email="zoe@x.io")
    assert mapping.matches_tokens(wire, ["MÜLLER", "zoe@"])
    assert not mapping.matches_tokens(wire, ["nobody"])


# --- errors ----------------------------------------------------------------------------


def test_error_with_source_is_a_field_error() -> None:
    parsed = mapping.parse_error_body(
        422,
        {
            "errors": [
                {
                    "status": 422,
                    "title": "Failed Validation",
                    "source": "data.email",
                    "detail": "email: Does not match format 'email'",
                }
            ]
        },
    )
    assert parsed.field_errors[0].field == "email"
    assert parsed.field_errors[0].message == "This is not a valid email address."


def test_the_specs_name_error_is_the_label_on_an_address_and_the_name_on_a_customer() -> None:
    """The spec's own example comes from the addresses spec: there `Name` is the label."""
    parsed = mapping.parse_error_body(400, recorded.ADDRESS_NAME_MIN_400)
    assert parsed.field_errors[0].field == "name"
    (on_address,) = mapping.address_field_errors(parsed.field_errors)
    assert on_address.field == "address_name"
    assert "too short" in on_address.message
    (on_customer,) = mapping.customer_field_errors(parsed.field_errors)
    assert on_customer.field == "first_name"  # EP's one name shows on first name


def test_the_recorded_required_errors_name_each_field() -> None:
    parsed = mapping.parse_error_body(400, recorded.EMPTY_ADDRESS_400)
    fields = [e.field for e in mapping.address_field_errors(parsed.field_errors)]
    assert fields == [
        "first_name",
        "last_name",
        "address_1",
        "county",
        "postal_code",
        "country_code",
    ]
    assert parsed.field_errors[0].message == "Elastic Path requires this field."


def test_the_recorded_missing_email_names_the_email() -> None:
    parsed = mapping.parse_error_body(422, recorded.CUSTOMER_WITHOUT_EMAIL_422)
    assert [e.field for e in mapping.customer_field_errors(parsed.field_errors)] == ["email"]


def test_go_field_names_become_attributes() -> None:
    assert mapping.attribute_name("FirstName") == "first_name"
    assert mapping.attribute_name("Line1") == "line_1"
    assert mapping.attribute_name("PhoneNumber") == "phone_number"
    assert mapping.attribute_name("county") == "county"


def test_duplicate_email_in_any_status() -> None:
    for status in (409, 422, 400):
        parsed = mapping.parse_error_body(
            status, {"errors": [{"status": status, "title": "Duplicate email", "detail": "x"}]}
        )
        assert parsed.field_errors[0].field == "email"
        assert "already" in (parsed.message or "")


def test_duplicate_email_shapes_not_pinned_to_one_wording() -> None:
    """No documented shape (inferred): several plausible ones all land on the email."""
    bodies = [
        (409, {"errors": [{"status": "409", "title": "Conflict", "detail": "email not unique"}]}),
        (409, {"errors": [{"status": 409, "title": "Conflict", "detail": "already exists"}]}),
        (422, {"errors": [{"title": "Failed Validation", "detail": "email already in use"}]}),
    ]
    for status, body in bodies:
        parsed = mapping.parse_error_body(status, body)
        assert [e.field for e in parsed.field_errors] == ["email"], body
    write_conflict = mapping.parse_error_body(409, recorded.WRITE_CONFLICT_409)
    assert write_conflict.field_errors == ()


def test_other_bodies_parse_to_nothing() -> None:
    assert mapping.parse_error_body(500, {"errors": [{"title": "boom"}]}).message is None
    assert mapping.parse_error_body(404, "Not Found").message is None
    parsed = mapping.parse_error_body(
        404, {"errors": [{"title": "Not Found", "detail": "customer not found"}]}
    )
    assert parsed.message == "customer not found"
    assert parsed.field_errors == ()


def test_order_summary_reads_customer_stamps_refunds_and_cancellation() -> None:
    def order(status: str, payment: str) -> EPOrder:
        return EPOrder.model_validate(
            {
                "id": "o2",
                "status": status,
                "payment": payment,
                "shipping": "unfulfilled",
                "meta": {"display_price": {"with_tax": price(1999)}, **STAMPS},
                "relationships": {
                    "customer": {"data": {"type": "customer", "id": "c7"}},
                    "items": {"data": [{"type": "item", "id": "i1"}]},
                },
            }
        )

    refunded = mapping.order_summary(order("complete", "refunded"))
    assert refunded.customer_id == "c7"
    assert refunded.updated_at == refunded.created_at or refunded.updated_at is not None
    assert refunded.refunded is not None
    assert refunded.refunded.amount == Decimal("19.99")  # payment `refunded`: the whole total
    assert refunded.item_count is None  # a listing names its items, without quantities
    assert not refunded.cancelled
    cancelled = mapping.order_summary(order("cancelled", "paid"))
    assert cancelled.cancelled
    assert cancelled.refunded is None  # partial refunds show on transactions only
    assert not mapping.order_summary(order("incomplete", "unpaid")).cancelled
