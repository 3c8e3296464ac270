"""Pure translation between Chec's wire shapes and the domain. No I/O.

Kept pure so it can be property-tested; the adapter does the requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import JsonValue

from app.backends.chec.wire import (
    ChecAddress,
    ChecCustomer,
    ChecLineItem,
    ChecOrder,
    ChecPrice,
)
from app.domain.customer import Address, AddressDraft, Customer, CustomerDraft, CustomerSummary
from app.domain.errors import FieldError
from app.domain.money import Money
from app.domain.order import OrderDetail, OrderLine, OrderSummary
from app.domain.patch import UNSET, AddressPatch, CustomerPatch
from app.domain.query import CustomerQuery, SortField
from app.gateway.errors import ParsedErrorBody

# Customer orders, newest first: exactly what the vendor's SDK sends since 1fe26ff (Apr
# 2021), whose message says the earlier `created` "causes error" [S: chec/commerce.js
# src/features/customer.js getOrders() at 7f4c57f].
ORDER_SORT_PARAMS: tuple[tuple[str, str], ...] = (
    ("sortBy", "created_at"),
    ("sortDirection", "desc"),
)
# No source documents `sortBy` for the customer list, so the desk sends none and offers
# no sorting there: the order is Chec's own.
SORT_FIELD: dict[SortField, str] = {}

# Chec field -> domain field, for error bodies.
DOMAIN_FIELD = {
    "firstname": "first_name",
    "lastname": "last_name",
    "meta": "metadata",
    "name": "first_name",
    "street": "address_1",
    "street_2": "address_2",
    "town_city": "city",
    "county_state": "province",
    "postal_zip_code": "postal_code",
    "country": "country_code",
}

# The address fields Chec has no place for [S: Address.ts]: dropped on write.
ADDRESS_FIELDS_WITHOUT_PLACE = ("address_name", "company", "phone")


# --- paging --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WireWindow:
    """Which wire pages (`limit`, pages `first..last`, 1-based) cover a domain window, and
    where in their concatenation the window starts."""

    limit: int
    first: int
    last: int
    skip: int

    @property
    def pages(self) -> range:
        return range(self.first, self.last + 1)


def wire_window(offset: int, size: int, max_limit: int) -> WireWindow:
    """Chec pages by number (`page`, `limit`); the desk pages by offset and any size.

    A window no larger than `max_limit` that starts on a multiple of its size is one wire
    page; anything else is covered by consecutive pages of `max_limit` rows.
    """
    if offset < 0 or size < 1 or max_limit < 1:
        raise ValueError("offset >= 0, size >= 1 and max_limit >= 1 are required")
    if size <= max_limit and offset % size == 0:
        page = offset // size + 1
        return WireWindow(limit=size, first=page, last=page, skip=0)
    first = offset // max_limit + 1
    last = (offset + size - 1) // max_limit + 1
    return WireWindow(
        limit=max_limit, first=first, last=last, skip=offset - (first - 1) * max_limit
    )


def query_params(query: CustomerQuery) -> list[tuple[str, str]]:
    """The search of a customer query (paging is added by the adapter).

    Only the free text reaches Chec: the adapter declares no filter and no sort capability,
    so the UI and CLI never set the others, and `query.sort` is not sent (no source
    documents `sortBy` for customers).
    """
    params: list[tuple[str, str]] = []
    text = " ".join(query.text.split())
    if text:
        params.append(("query", text))
    return params


# --- wire -> domain ------------------------------------------------------------------


def moment(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


def split_name(name: str | None) -> tuple[str | None, str | None]:
    """Chec keeps one `name` per address: the first word is the first name."""
    parts = (name or "").split(maxsplit=1)
    if not parts:
        return None, None
    return parts[0], parts[1] if len(parts) > 1 else None


def join_name(first: str | None, last: str | None) -> str | None:
    text = " ".join(p.strip() for p in (first, last) if p and p.strip())
    return text or None


def address(
    wire: ChecAddress,
    customer_id: str | None,
    *,
    default_shipping: str | None = None,
    default_billing: str | None = None,
    fallback_id: str = "",
) -> Address:
    first, last = split_name(wire.name)
    address_id = wire.id or fallback_id
    return Address(
        id=address_id,
        customer_id=customer_id,
        first_name=first,
        last_name=last,
        address_1=wire.street,
        address_2=wire.street_2,
        city=wire.town_city,
        province=wire.county_state,
        postal_code=wire.postal_zip_code,
        country_code=wire.country.lower() if wire.country else None,
        is_default_shipping=bool(address_id) and address_id == default_shipping,
        is_default_billing=bool(address_id) and address_id == default_billing,
        metadata=wire.meta or {},
    )


def _summary_fields(wire: ChecCustomer) -> dict[str, Any]:
    return {
        "id": wire.id,
        "email": wire.email,
        "first_name": wire.firstname,
        "last_name": wire.lastname,
        "phone": wire.phone,
        # Chec keeps no password accounts: customers sign in by an emailed link or a
        # merchant-issued JWT, whatever record they are [D: Customers]. No one "has an
        # account" in the Medusa sense, and there is no such field to filter by.
        "has_account": False,
        "created_at": moment(wire.created),
        "updated_at": moment(wire.updated),
    }


def customer_summary(wire: ChecCustomer) -> CustomerSummary:
    return CustomerSummary(**_summary_fields(wire))


def defaults_of(wire: ChecCustomer) -> tuple[str | None, str | None]:
    shipping = wire.default_shipping.id if wire.default_shipping else None
    billing = wire.default_billing.id if wire.default_billing else None
    return shipping, billing


def customer_addresses(wire: ChecCustomer, addresses: list[ChecAddress]) -> tuple[Address, ...]:
    shipping, billing = defaults_of(wire)
    return tuple(
        sorted(
            (
                address(a, wire.id, default_shipping=shipping, default_billing=billing)
                for a in addresses
            ),
            key=lambda a: a.id,
        )
    )


def default_addresses(wire: ChecCustomer) -> list[ChecAddress]:
    """The addresses a customer record itself carries: its default shipping and billing
    ones [S: Customer.ts], once each. Without an id an address gets a stable stand-in."""
    out: dict[str, ChecAddress] = {}
    for kind, found in (("shipping", wire.default_shipping), ("billing", wire.default_billing)):
        if found is None:
            continue
        key = found.id or f"{wire.id}-default-{kind}"
        out.setdefault(key, found if found.id else found.model_copy(update={"id": key}))
    return list(out.values())


_CONTENT = ("name", "street", "street_2", "town_city", "county_state", "postal_zip_code")


def same_place(wire: ChecAddress, sent: dict[str, Any]) -> bool:
    """Whether `wire` is the address a create `sent` (an answer without its id)."""
    if any((getattr(wire, name) or None) != (sent.get(name) or None) for name in _CONTENT):
        return False
    return (wire.country or "").upper() == str(sent.get("country") or "").upper()


def patched_address(current: Address, patch: AddressPatch) -> Address:
    """`current` with `patch` applied here, for a write Chec accepted but no read shows."""
    changes = {
        name: value
        for name, value in patch.changes().items()
        if name not in ADDRESS_FIELDS_WITHOUT_PLACE
    }
    if isinstance(changes.get("country_code"), str):
        changes["country_code"] = changes["country_code"].lower()
    if patch.metadata:
        changes["metadata"] = patch.metadata.apply(dict(current.metadata))
    return current.model_copy(update=changes)


def drafted_address(customer_id: str, address_id: str, draft: AddressDraft) -> Address:
    """The address a create sent, as Chec keeps it, for an answer that does not show it:
    the body sent, read back like any answer, with the default flags asked for."""
    sent = ChecAddress.model_validate({**address_create_body(draft), "id": address_id})
    return address(sent, customer_id).model_copy(
        update={
            "is_default_shipping": draft.is_default_shipping,
            "is_default_billing": draft.is_default_billing,
        }
    )


def customer(wire: ChecCustomer, addresses: list[ChecAddress] | None = None) -> Customer:
    return Customer(
        **_summary_fields(wire),
        metadata=wire.meta or {},
        addresses=customer_addresses(wire, addresses or []),
    )


def money(price: ChecPrice | None, currency: str) -> Money:
    return Money(amount=price.raw if price is not None else Decimal(0), currency=currency)


def order_status(payment: str | None, fulfillment: str | None) -> str:
    """Chec orders have no overall status, only payment and fulfilment ones [S: Order.ts]."""
    if payment == "refunded":
        return "refunded"
    if fulfillment == "returned":
        return "returned"
    if payment == "paid" and fulfillment == "fulfilled":
        return "completed"
    return "pending"


def _currency(wire: ChecOrder) -> str:
    return wire.currency.code.upper() if wire.currency else "XXX"


def _grand_total(wire: ChecOrder) -> ChecPrice | None:
    if wire.order is not None and wire.order.total_with_tax is not None:
        return wire.order.total_with_tax
    return wire.order_value


# A transaction Chec cancelled because its order was cancelled [S: Order/Transaction.ts
# StatusReason.ORDER_CANCELLED]: the only trace of a cancellation an order carries.
ORDER_CANCELLED = "order_cancelled"


def order_cancelled(wire: ChecOrder) -> bool:
    return any(t.status_reason == ORDER_CANCELLED for t in wire.transactions or ())


def _refunded(wire: ChecOrder, currency: str) -> Money | None:
    """Completed refund transactions; None where the order shows no transactions at all."""
    if wire.transactions is None:
        return None
    done = [t for t in wire.transactions if t.type == "refund" and t.status == "complete"]
    return Money(amount=sum((_raw(t.amount) for t in done), Decimal(0)), currency=currency)


def _last_change(wire: ChecOrder) -> int:
    # Orders carry no `updated` [S: Order.ts]; their transactions do (a charge, a refund, a
    # cancellation). Fulfilment changes leave no stamp: the mirror re-reads Chec in full.
    return max((wire.created, *(t.updated for t in wire.transactions or () if t.updated)))


def order_summary(wire: ChecOrder) -> OrderSummary:
    currency = _currency(wire)
    cancelled = order_cancelled(wire)
    return OrderSummary(
        id=wire.id,
        display_number=f"#{wire.customer_reference}" if wire.customer_reference else wire.id,
        status="cancelled"
        if cancelled
        else order_status(wire.status_payment, wire.status_fulfillment),
        payment_status=wire.status_payment,
        fulfillment_status=wire.status_fulfillment,
        total=money(wire.order_value or _grand_total(wire), currency),
        created_at=moment(wire.created),
        customer_id=wire.customer.id if wire.customer else None,
        updated_at=moment(_last_change(wire)),
        item_count=sum(i.quantity for i in wire.order.line_items) if wire.order else None,
        refunded=_refunded(wire, currency),
        cancelled=cancelled,
    )


def order_line(wire: ChecLineItem, currency: str) -> OrderLine:
    total = wire.line_total.raw if wire.line_total is not None else wire.price.raw * wire.quantity
    return OrderLine(
        id=wire.id,
        title=wire.product_name or "",
        sku=wire.product_sku,
        quantity=wire.quantity,
        unit_price=money(wire.price, currency),
        total=Money(amount=total, currency=currency),
    )


def _raw(price: ChecPrice | None) -> Decimal:
    return price.raw if price is not None else Decimal(0)


def order_detail(wire: ChecOrder) -> OrderDetail:
    """Totals as a breakdown that adds up: subtotal - discount + shipping + tax = total.

    Where Chec's prices include tax (`tax.included_in_price`), the subtotal shown is the
    tax-exclusive rest, so the four parts still add up to what the customer paid.
    """
    currency = _currency(wire)
    totals = wire.order
    tax = _raw(wire.tax.amount if wire.tax else None)
    shipping = _raw(totals.shipping.price if totals and totals.shipping else None)
    discount = _raw(totals.discount.amount_saved if totals and totals.discount else None)
    subtotal = _raw(totals.subtotal if totals else None)
    grand = _grand_total(wire)
    total = grand.raw if grand is not None else subtotal - discount + shipping + tax
    if wire.tax is not None and wire.tax.included_in_price:
        subtotal = total - tax - shipping + discount
    return OrderDetail(
        **order_summary(wire).model_dump(exclude={"total"}),
        total=Money(amount=total, currency=currency),
        email=wire.customer.email if wire.customer else None,
        lines=tuple(order_line(i, currency) for i in (totals.line_items if totals else ())),
        subtotal=Money(amount=subtotal, currency=currency),
        shipping_total=Money(amount=shipping, currency=currency),
        tax_total=Money(amount=tax, currency=currency),
        discount_total=Money(amount=discount, currency=currency),
        shipping_address=address(wire.shipping, None, fallback_id=f"{wire.id}-shipping")
        if wire.shipping
        else None,
        billing_address=address(wire.billing, None, fallback_id=f"{wire.id}-billing")
        if wire.billing
        else None,
    )


# --- domain -> wire ------------------------------------------------------------------

_CUSTOMER_FIELD = {
    "email": "email",
    "first_name": "firstname",
    "last_name": "lastname",
    "phone": "phone",
}


def unsupported_customer_fields(company: object) -> tuple[FieldError, ...]:
    """Chec customers have no company: refuse one rather than drop it silently."""
    if company is UNSET or company is None or company == "":
        return ()
    return (FieldError("company", "This store keeps no company name for customers."),)


def customer_create_body(draft: CustomerDraft) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": draft.email,
        "firstname": draft.first_name,
        "lastname": draft.last_name,
        "phone": draft.phone,
    }
    body = {k: v for k, v in body.items() if v is not None}
    if draft.metadata:
        body["meta"] = dict(draft.metadata)
    return body


def customer_update_body(
    patch: CustomerPatch, current_meta: dict[str, JsonValue] | None
) -> dict[str, Any]:
    """The changed fields; `meta` is sent whole (`current_meta` with the patch applied),
    as Chec replaces it [I]. `None` clears a field."""
    body = {
        _CUSTOMER_FIELD[name]: value
        for name, value in patch.changes().items()
        if name in _CUSTOMER_FIELD
    }
    if patch.metadata:
        body["meta"] = patch.metadata.apply(current_meta or {})
    return body


def _address_fields(
    *,
    address_1: str | None,
    address_2: str | None,
    city: str | None,
    province: str | None,
    postal_code: str | None,
    country_code: str | None,
) -> dict[str, Any]:
    return {
        "street": address_1,
        "street_2": address_2,
        "town_city": city,
        "county_state": province,
        "postal_zip_code": postal_code,
        "country": country_code.upper() if country_code else country_code,
    }


def address_create_body(draft: AddressDraft) -> dict[str, Any]:
    body = _address_fields(
        address_1=draft.address_1,
        address_2=draft.address_2,
        city=draft.city,
        province=draft.province,
        postal_code=draft.postal_code,
        country_code=draft.country_code,
    )
    body["name"] = join_name(draft.first_name, draft.last_name)
    body = {k: v for k, v in body.items() if v is not None}
    body["default_shipping"] = draft.is_default_shipping
    body["default_billing"] = draft.is_default_billing
    if draft.metadata:
        body["meta"] = dict(draft.metadata)
    return body


_ADDRESS_FIELD = {
    "address_1": "street",
    "address_2": "street_2",
    "city": "town_city",
    "province": "county_state",
    "postal_code": "postal_zip_code",
    "country_code": "country",
    "is_default_shipping": "default_shipping",
    "is_default_billing": "default_billing",
}


def address_update_body(patch: AddressPatch, current: Address) -> dict[str, Any]:
    """The changed fields. Names are one Chec field, so a changed first or last name sends
    the whole name; `meta` is sent whole with the patch applied [I: replaced]."""
    changes = patch.changes()
    body: dict[str, Any] = {}
    for name, value in changes.items():
        if name in _ADDRESS_FIELD:
            if name == "country_code" and isinstance(value, str):
                value = value.upper()
            body[_ADDRESS_FIELD[name]] = value
    if "first_name" in changes or "last_name" in changes:
        first = changes.get("first_name", current.first_name)
        last = changes.get("last_name", current.last_name)
        body["name"] = join_name(first, last)
    if patch.metadata:
        body["meta"] = patch.metadata.apply(dict(current.metadata))
    return body


# --- error bodies ----------------------------------------------------------------------


def _friendly(field: str, text: str) -> str:
    lowered = text.lower()
    if field == "email" and ("taken" in lowered or "already" in lowered):
        return "Another customer already uses this email address."
    if field == "email" and "valid" in lowered:
        return "This is not a valid email address."
    return text


def _field_errors(error: dict[str, Any]) -> list[FieldError]:
    out: list[FieldError] = []
    errors = error.get("errors")
    if isinstance(errors, dict):
        for name, texts in errors.items():
            items = texts if isinstance(texts, list) else [texts]
            for text in items:
                if isinstance(text, str):
                    field = DOMAIN_FIELD.get(str(name), str(name))
                    out.append(FieldError(field, _friendly(field, text)))
    message = error.get("message")
    if isinstance(message, list):  # `validation`: [{param, error}, …]
        for item in message:
            if isinstance(item, dict) and isinstance(item.get("error"), str):
                name = str(item.get("param") or "")
                field = DOMAIN_FIELD.get(name, name)
                out.append(FieldError(field, _friendly(field, item["error"])))
    param = error.get("param")
    if not out and isinstance(param, str) and isinstance(message, str):
        field = DOMAIN_FIELD.get(param, param)
        out.append(FieldError(field, _friendly(field, message)))
    return out


def parse_error_body(status: int, body: Any) -> ParsedErrorBody:
    """Chec: `{status_code?, error: {type, message, errors?, param?}}`."""
    if not isinstance(body, dict):
        return ParsedErrorBody()
    error = body.get("error")
    if not isinstance(error, dict):
        message = body.get("message")
        return ParsedErrorBody(message=message if isinstance(message, str) else None)
    if status >= 500:
        return ParsedErrorBody()  # a server's own words tell staff nothing useful
    field_errors = tuple(_field_errors(error)) if status in (400, 422) else ()
    if field_errors:
        unique = dict.fromkeys(f"{e.message}" for e in field_errors)
        return ParsedErrorBody(message=" ".join(unique), field_errors=field_errors)
    message = error.get("message")
    return ParsedErrorBody(message=message if isinstance(message, str) else None)
