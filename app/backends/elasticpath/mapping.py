"""Pure translation between Elastic Path's wire shapes and the domain. No I/O.

Names: an Elastic Path customer has ONE `name`. The desk shows first and last name, so:
- reading splits the name at its LAST whitespace run: "Anna van der Berg" reads as
  first "Anna van der", last "Berg"; a name without whitespace is all first name;
- writing joins first and last with one space. Only the fields staff changed are written,
  so an untouched name is never rewritten; an edit of one half keeps the other half as read.
  Nothing but the width of the whitespace between the halves can change on a round trip.
- Elastic Path requires a name and an email. A customer created without a name gets the
  email as name (no invented data), and a name equal to the email reads back as "no name".

Custom fields of the store's `customers` flow are shown as `metadata`; only the keys the
flow defines can be written (Elastic Path ignores or rejects anything else). `county` is an
address field of its own; `instructions`, which the desk has no column for, is shown as an
address metadata key. Which address fields Elastic Path requires is `ADDRESS_FORM` (evidence
in `wire.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import JsonValue

from app.backends.elasticpath.wire import (
    EPAddress,
    EPCustomer,
    EPOrder,
    EPOrderAddress,
    EPOrderItem,
    EPPrice,
)
from app.domain.address_form import AddressField, AddressForm
from app.domain.customer import Address, AddressDraft, Customer, CustomerDraft, CustomerSummary
from app.domain.errors import FieldError
from app.domain.money import Money, minor_unit_exponent
from app.domain.order import OrderDetail, OrderLine, OrderSummary
from app.domain.patch import UNSET, AddressPatch, CustomerPatch, MetadataPatch
from app.domain.query import CustomerQuery, DateRange, SortField
from app.gateway.errors import ParsedErrorBody

PAGE_LIMIT_MAX = 100  # guides/Getting-Started/pagination.md: "up to 100"
MAX_FILTERS = 10  # guides/Getting-Started/filtering.md

SORT_FIELD = {
    SortField.ID: "id",
    SortField.EMAIL: "email",
    SortField.CREATED_AT: "created_at",
    SortField.UPDATED_AT: "updated_at",
}
# Address metadata keys backed by Elastic Path address fields the domain has no column for.
ADDRESS_META_FIELDS = ("instructions",)

# The address form, in Elastic Path's words. Required: the fields Elastic Path's own 400
# names for an empty address (epcc-cli docs/tutorial.md, recorded answer: first_name,
# last_name, line_1, county, postcode, country); region is optional there and in the SDK
# type (`region?`, js-sdk src/types/customer-address.d.ts). See wire.py for the evidence.
ADDRESS_FORM = AddressForm(
    (
        AddressField("address_name", "Address name (e.g. Home)"),
        AddressField("first_name", "First name", required=True),
        AddressField("last_name", "Last name", required=True),
        AddressField("company", "Company name"),
        AddressField("address_1", "Line 1", required=True),
        AddressField("address_2", "Line 2"),
        AddressField("city", "City"),
        AddressField("county", "County", required=True),
        AddressField("province", "Region (state, province)"),
        AddressField("postal_code", "Postcode", required=True),
        AddressField("country_code", "Country", required=True),
        AddressField("phone", "Phone number"),
    )
)

_WHITESPACE_RUN = re.compile(r"\s+")


# --- names -----------------------------------------------------------------------------


def split_name(name: str | None, email: str | None = None) -> tuple[str | None, str | None]:
    """Elastic Path's one `name` as (first, last) for display: split at the last whitespace."""
    if name is None:
        return None, None
    text = name.strip()
    if not text or (email is not None and text == email.strip()):
        return None, None
    last_run = None
    for last_run in _WHITESPACE_RUN.finditer(text):  # noqa: B007 - we want the last match
        pass
    if last_run is None:
        return text, None
    return text[: last_run.start()], text[last_run.end() :]


def join_name(first: str | None, last: str | None) -> str | None:
    parts = [p.strip() for p in (first, last) if p and p.strip()]
    return " ".join(parts) or None


# --- wire -> domain ------------------------------------------------------------------


def _blank_to_none(value: str | None) -> str | None:
    return value if value else None


def customer_summary(wire: EPCustomer) -> CustomerSummary:
    first, last = split_name(wire.name, wire.email)
    return CustomerSummary(
        id=wire.id,
        email=wire.email or None,
        first_name=first,
        last_name=last,
        has_account=wire.password,
        created_at=wire.meta.timestamps.created_at,
        updated_at=wire.meta.timestamps.updated_at,
    )


def custom_field_values(wire: EPCustomer, slugs: Iterable[str]) -> dict[str, JsonValue]:
    extra = wire.custom_fields()
    return {slug: extra[slug] for slug in sorted(slugs) if extra.get(slug) is not None}


def customer(
    wire: EPCustomer, field_slugs: Iterable[str] = (), addresses: Sequence[Address] = ()
) -> Customer:
    summary = customer_summary(wire)
    return Customer(
        **summary.model_dump(),
        metadata=custom_field_values(wire, field_slugs),
        addresses=tuple(sorted(addresses, key=lambda a: a.id)),
    )


def address(wire: EPAddress, customer_id: str | None) -> Address:
    return Address(
        id=wire.id,
        customer_id=customer_id,
        address_name=_blank_to_none(wire.name),
        **_postal_fields(wire),
    )


def _order_address(wire: EPOrderAddress, order_id: str, kind: str) -> Address:
    return Address(id=f"{order_id}:{kind}", **_postal_fields(wire))


def _postal_fields(wire: EPAddress | EPOrderAddress) -> dict[str, Any]:
    """What customer and order addresses share; `instructions` goes to metadata."""
    meta: dict[str, JsonValue] = {}
    for key in ADDRESS_META_FIELDS:
        value = getattr(wire, key)
        if value:
            meta[key] = value
    return {
        "first_name": _blank_to_none(wire.first_name),
        "last_name": _blank_to_none(wire.last_name),
        "company": _blank_to_none(wire.company_name),
        "address_1": _blank_to_none(wire.line_1),
        "address_2": _blank_to_none(wire.line_2),
        "city": _blank_to_none(wire.city),
        "county": _blank_to_none(wire.county),
        "province": _blank_to_none(wire.region),
        "postal_code": _blank_to_none(wire.postcode),
        "country_code": wire.country.lower() if wire.country else None,
        "phone": _blank_to_none(wire.phone_number),
        "metadata": meta,
    }


def minor_to_major(amount: int, currency: str) -> Decimal:
    return Decimal(amount).scaleb(-minor_unit_exponent(currency))


def _money(price: EPPrice | None, currency: str) -> Money:
    if price is None:
        return Money(amount=Decimal(0), currency=currency)
    cur = (price.currency or currency).upper()
    return Money(amount=minor_to_major(price.amount, cur), currency=cur)


def _order_currency(wire: EPOrder) -> str:
    dp = wire.meta.display_price
    for price in (dp.with_tax, dp.without_tax, dp.tax):
        if price is not None and price.currency:
            return price.currency.upper()
    return "XXX"


# OrderResponse.status: incomplete, complete, processing, cancelled (cartsorders spec).
CANCELLED = "cancelled"
# OrderResponse.payment: `refunded` once the whole amount is refunded ("Mark as Refunded" is
# a full refund; `order.refunded` fires for the full amount). Partial refunds show only on
# the order's transactions, which a listing does not carry.
REFUNDED = "refunded"


def order_summary(wire: EPOrder) -> OrderSummary:
    """A listed order. Its line items are only relationships (ids, no quantities), so the
    item count is left unknown here; `order_detail` counts the items it reads."""
    currency = _order_currency(wire)
    total = _money(wire.meta.display_price.with_tax, currency)
    return OrderSummary(
        id=wire.id,
        display_number=f"#{wire.order_number or wire.id}",
        status=wire.status,
        payment_status=wire.payment,
        fulfillment_status=wire.shipping,
        total=total,
        created_at=wire.meta.timestamps.created_at,
        customer_id=order_customer_id(wire),
        updated_at=wire.meta.timestamps.updated_at,
        refunded=total if wire.payment == REFUNDED else None,
        cancelled=wire.status == CANCELLED,
    )


def order_line(wire: EPOrderItem, currency: str) -> OrderLine:
    """Lines show their tax-exclusive unit price and value (quantity x unit)."""
    display = wire.meta.display_price if wire.meta else None
    without = display.without_tax if display else None
    unit = without.unit if without and without.unit else wire.unit_price
    value = without.value if without and without.value else wire.value
    return OrderLine(
        id=wire.id,
        title=wire.name or "",
        sku=wire.sku or None,
        quantity=wire.quantity,
        unit_price=_money(unit, currency),
        total=_money(value, currency),
    )


def order_customer_id(wire: EPOrder) -> str | None:
    rel = wire.relationships.customer if wire.relationships else None
    if rel is not None and rel.data is not None:
        return rel.data.id
    return wire.customer.id if wire.customer else None


def order_detail(wire: EPOrder, items: Sequence[EPOrderItem]) -> OrderDetail:
    """Totals as a breakdown that adds up: subtotal - discount + shipping + tax = total.

    `with_tax` is the total, `tax` the tax; Elastic Path prints discounts negative; shipping
    is optional. The subtotal is derived so the breakdown always adds up.
    """
    currency = _order_currency(wire)
    dp = wire.meta.display_price
    total = _money(dp.with_tax, currency)
    tax = _money(dp.tax, currency)
    shipping = _money(dp.shipping, currency)
    discount = _money(dp.discount, currency)
    discount = Money(amount=abs(discount.amount), currency=discount.currency)
    subtotal = total.amount - tax.amount - shipping.amount + discount.amount
    return OrderDetail(
        **order_summary(wire).model_dump(exclude={"item_count"}),
        item_count=sum(i.quantity for i in items),
        email=wire.customer.email if wire.customer else None,
        lines=tuple(order_line(i, currency) for i in items),
        subtotal=Money(amount=subtotal, currency=currency),
        shipping_total=shipping,
        tax_total=tax,
        discount_total=discount,
        shipping_address=_order_address(wire.shipping_address, wire.id, "shipping")
        if wire.shipping_address
        else None,
        billing_address=_order_address(wire.billing_address, wire.id, "billing")
        if wire.billing_address
        else None,
    )


# --- filters ---------------------------------------------------------------------------


def quote(value: str) -> str:
    """A quoted filter operand (filtering.md "Quoted Operands"): `"` with `\\` escapes."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def op(operator: str, field: str, value: str) -> str:
    return f"{operator}({field},{quote(value)})"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _date_filters(field: str, span: DateRange) -> list[str]:
    out = []
    if span.start is not None:
        out.append(op("ge", field, iso(span.start)))
    if span.end is not None:
        out.append(op("lt", field, iso(span.end)))
    return out


def search_tokens(text: str) -> list[str]:
    return [t for t in text.split() if t]


def base_filters(query: CustomerQuery) -> list[str]:
    """Server-side filters of a query, except its search text."""
    filters: list[str] = []
    if query.email:
        filters.append(op("eq", "email", query.email))
    filters.extend(_date_filters("created_at", query.created))
    filters.extend(_date_filters("updated_at", query.updated))
    return filters


def _glob_escape(token: str) -> str:
    # `*` is the only wildcard (filtering.md); a literal star cannot be expressed.
    return token.replace("*", "")


@dataclass(frozen=True, slots=True)
class SearchPlan:
    """How a free-text search runs on a backend whose filters only AND.

    Each token must appear in the name or the email. One token (the pivot, the longest) is
    sent to the server twice, as `like(email,*t*)` and as `like(name,*t*)`: two streams the
    adapter merges by the sort key. The other tokens are checked client-side.
    """

    streams: tuple[tuple[str, ...], ...]  # each: filters ANDed server-side
    client_tokens: tuple[str, ...]  # checked on each row, case-insensitively
    overlap: tuple[str, ...] | None  # filters of "both streams match", for an exact total


def search_plan(query: CustomerQuery) -> SearchPlan:
    base = tuple(base_filters(query))
    tokens = [t for t in (_glob_escape(t) for t in search_tokens(query.text)) if t]
    if not tokens:
        return SearchPlan(streams=(base,), client_tokens=(), overlap=None)
    pivot = max(tokens, key=len)
    rest = list(tokens)
    rest.remove(pivot)
    by_email = op("like", "email", f"*{pivot}*")
    by_name = op("like", "name", f"*{pivot}*")
    return SearchPlan(
        streams=((*base, by_email), (*base, by_name)),
        client_tokens=tuple(rest),
        overlap=(*base, by_email, by_name),
    )


def matches_tokens(wire: EPCustomer, tokens: Iterable[str]) -> bool:
    haystacks = [h.casefold() for h in (wire.name, wire.email) if h]
    return all(any(t.casefold() in h for h in haystacks) for t in tokens)


def sort_param(field: SortField, descending: bool) -> str:
    return ("-" if descending else "") + SORT_FIELD[field]


def sort_key(wire: EPCustomer, field: SortField) -> tuple[Any, str]:
    """The merge key of two sorted streams, mirroring the server's order, id as tie-breaker."""
    if field is SortField.EMAIL:
        return (wire.email or "", wire.id)
    if field is SortField.CREATED_AT:
        return (wire.meta.timestamps.created_at, wire.id)
    if field is SortField.UPDATED_AT:
        return (wire.meta.timestamps.updated_at, wire.id)
    return (wire.id, wire.id)


# --- domain -> wire ------------------------------------------------------------------


def _metadata_errors(keys: Iterable[str], allowed: Iterable[str], what: str) -> list[FieldError]:
    allowed_set = set(allowed)
    known = ", ".join(sorted(allowed_set)) or "none"
    return [
        FieldError(f"metadata.{k}", f"Elastic Path has no {what} '{k}' (known: {known}).")
        for k in sorted(set(keys) - allowed_set)
    ]


def unsupported_customer_fields(
    phone: Any, company: Any, metadata_keys: Iterable[str], field_slugs: Iterable[str]
) -> list[FieldError]:
    errors = []
    if phone:
        errors.append(FieldError("phone", "Elastic Path customers have no phone number."))
    if company:
        errors.append(FieldError("company", "Elastic Path customers have no company."))
    errors.extend(_metadata_errors(metadata_keys, field_slugs, "custom customer field"))
    return errors


def customer_create_body(draft: CustomerDraft) -> dict[str, Any]:
    """The caller has checked that there is an email and nothing Elastic Path cannot hold."""
    assert draft.email is not None
    data: dict[str, Any] = {
        "type": "customer",
        "name": join_name(draft.first_name, draft.last_name) or draft.email,
        "email": draft.email,
    }
    data.update(draft.metadata)
    return {"data": data}


def customer_update_body(patch: CustomerPatch, current: EPCustomer | None) -> dict[str, Any]:
    """Only what changed. `current` is needed when a name half or the email changes."""
    data: dict[str, Any] = {"type": "customer"}
    email = current.email if current else None
    if patch.email is not UNSET and patch.email is not None:
        data["email"] = patch.email
    names_touched = patch.first_name is not UNSET or patch.last_name is not UNSET
    if names_touched:
        assert current is not None
        first, last = split_name(current.name, current.email)
        if patch.first_name is not UNSET:
            first = patch.first_name
        if patch.last_name is not UNSET:
            last = patch.last_name
        data["name"] = join_name(first, last) or data.get("email", email)
    elif (
        "email" in data
        and current is not None
        and split_name(current.name, email)
        == (
            None,
            None,
        )
    ):
        data["name"] = data["email"]  # the placeholder name follows the email
    data.update(patch.metadata.set)
    data.update(dict.fromkeys(patch.metadata.remove))
    return {"data": data}


_ADDRESS_FIELD = {
    "address_name": "name",
    "first_name": "first_name",
    "last_name": "last_name",
    "company": "company_name",
    "address_1": "line_1",
    "address_2": "line_2",
    "city": "city",
    "county": "county",
    "province": "region",
    "postal_code": "postcode",
    "country_code": "country",
    "phone": "phone_number",
}
DOMAIN_ADDRESS_FIELD = {v: k for k, v in _ADDRESS_FIELD.items()}
LABEL_CANNOT_BE_CLEARED = (
    "Elastic Path keeps a name on an address once it has one; give it another name instead."
)


def address_problems(metadata_keys: Iterable[str], defaults: bool) -> list[FieldError]:
    errors = _metadata_errors(metadata_keys, ADDRESS_META_FIELDS, "address field")
    if defaults:
        errors.append(
            FieldError("is_default_shipping", "Elastic Path addresses have no default flags.")
        )
    return errors


def address_patch_problems(patch: AddressPatch) -> list[FieldError]:
    """What Elastic Path would refuse in a patch: a required field cleared, or the label
    cleared (the spec's 400 example: "field 'Name' on the 'min' tag", inferred: on "")."""
    errors = ADDRESS_FORM.patch_problems(patch)
    if patch.address_name is None:
        errors.append(FieldError("address_name", LABEL_CANNOT_BE_CLEARED))
    return errors


def _address_value(domain_field: str, value: Any) -> Any:
    if value is None:
        # Clearing an optional field: Elastic Path answers an unset field as "" (epcc-cli
        # tutorial, recorded 201: `"line_2": ""`) and types every field as a string (no
        # null in CustomerAddresses.yaml), so "" is what we write. Inferred, not documented.
        return ""
    if domain_field == "country_code":
        return str(value).upper()
    return value


def address_create_body(draft: AddressDraft) -> dict[str, Any]:
    data: dict[str, Any] = {"type": "address"}
    for domain_field, ep_field in _ADDRESS_FIELD.items():
        value = getattr(draft, domain_field)
        if value is not None and value != "":
            data[ep_field] = _address_value(domain_field, value)
    for key in ADDRESS_META_FIELDS:
        if draft.metadata.get(key) is not None:
            data[key] = str(draft.metadata[key])
    return {"data": data}


def address_update_body(patch: AddressPatch) -> dict[str, Any]:
    data: dict[str, Any] = {"type": "address"}
    for domain_field, value in patch.changes().items():
        if domain_field in _ADDRESS_FIELD:
            data[_ADDRESS_FIELD[domain_field]] = _address_value(domain_field, value)
    meta: MetadataPatch = patch.metadata
    for key, value in meta.set.items():
        data[key] = "" if value is None else str(value)
    for key in meta.remove:
        data[key] = ""
    return {"data": data}


# --- error bodies ----------------------------------------------------------------------

# Error bodies name Elastic Path attributes; which domain field one is depends on the
# request: `name` is a customer's whole name but an address's label (CustomerAddresses.yaml).
CUSTOMER_DOMAIN_FIELD = {"name": "first_name", "email": "email", "password": "password"}
ADDRESS_ERROR_FIELD = {
    **DOMAIN_ADDRESS_FIELD,
    **{key: f"metadata.{key}" for key in ADDRESS_META_FIELDS},
}
# "…field 'Name' on the 'min' tag." (CustomerAddresses.yaml), "The data.email field is
# required." (epcc-cli tutorial, recorded 422), "county is required" (recorded 400).
_FIELD_IN_DETAIL = (
    re.compile(r"field '([A-Za-z0-9_]+)'"),
    re.compile(r"\bdata\.([A-Za-z0-9_]+)\b"),
    re.compile(r"^([A-Za-z0-9_]+) is required\b"),
)
_DUPLICATE = re.compile(
    r"duplicate|already (exists|in use|taken|registered|used)|not unique|unique", re.IGNORECASE
)
DUPLICATE_EMAIL_MESSAGE = "Another customer already uses this email address."
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def attribute_name(name: str) -> str:
    """`Name` → `name`, `FirstName` → `first_name`, `Line1` → `line_1`: Go struct field
    names (the spec's example names one) as the JSON attributes they stand for."""
    snake = _CAMEL.sub("_", name).lower()
    return re.sub(r"^line(\d)$", r"line_\1", snake)


def _source_field(source: Any) -> str | None:
    """`data.email`, `/data/attributes/email`, `email` or `{"pointer": …}` → `email`;
    `data` alone (the recorded "required" errors) names no field."""
    if isinstance(source, dict):
        source = source.get("pointer") or source.get("parameter")
    if not isinstance(source, str) or not source:
        return None
    name = re.split(r"[./]", source.strip("/"))[-1]
    return name if name and name != "data" else None


def _translate(errors: Iterable[FieldError], names: Mapping[str, str]) -> tuple[FieldError, ...]:
    return tuple(FieldError(names.get(e.field, e.field), e.message) for e in errors)


def customer_field_errors(errors: Iterable[FieldError]) -> tuple[FieldError, ...]:
    """Field errors of a customer request as domain fields: EP's one `name` shows on the
    first name."""
    return _translate(errors, CUSTOMER_DOMAIN_FIELD)


def address_field_errors(errors: Iterable[FieldError]) -> tuple[FieldError, ...]:
    """Field errors of an address request as domain fields: `name` is the label."""
    return _translate(errors, ADDRESS_ERROR_FIELD)


def is_duplicate_email(title: str, detail: str, *, conflict: bool = False) -> bool:
    """A duplicate-email refusal. The reference documents none (inferred): any error that
    speaks of a duplicate/existing email, or a 409 that speaks of an existing record
    without being the documented "Write conflict detected"."""
    text = f"{title} {detail}"
    if "write conflict" in text.lower():
        return False
    if "email" in text.lower() and bool(_DUPLICATE.search(text)):
        return True
    return conflict and bool(_DUPLICATE.search(text))


def _friendly(field: str, text: str) -> str:
    lowered = text.lower()
    if field == "email" and "format" in lowered:
        return "This is not a valid email address."
    if "is required" in lowered or lowered == "required":
        return "Elastic Path requires this field."
    if "'min' tag" in lowered:
        return "Elastic Path refused this value as too short."
    return text


def parse_error_body(status: int, body: Any) -> ParsedErrorBody:
    """`{errors: [{status, title, detail?, source?}]}` → message and field errors, named by
    Elastic Path attribute (`name`, `line_1`, …); the adapter turns them into domain fields
    with `customer_field_errors` or `address_field_errors`, as the request was."""
    if not isinstance(body, dict) or not isinstance(body.get("errors"), list):
        return ParsedErrorBody()
    if status >= 500:
        return ParsedErrorBody()
    messages: list[str] = []
    field_errors: list[FieldError] = []
    for raw in body["errors"]:
        if not isinstance(raw, dict):
            continue
        title = str(raw.get("title") or "")
        detail = str(raw.get("detail") or "")
        if is_duplicate_email(title, detail, conflict=status == 409):
            return ParsedErrorBody(
                message=DUPLICATE_EMAIL_MESSAGE,
                field_errors=(FieldError("email", DUPLICATE_EMAIL_MESSAGE),),
            )
        text = detail or title
        if text:
            messages.append(text)
        name = _source_field(raw.get("source"))
        for pattern in _FIELD_IN_DETAIL:
            if name is not None:
                break
            if match := pattern.search(detail):
                name = match.group(1)
        if name is not None and status in (400, 422):
            field = attribute_name(name)
            field_errors.append(FieldError(field, _friendly(field, text)))
    return ParsedErrorBody(message="; ".join(messages) or None, field_errors=tuple(field_errors))
