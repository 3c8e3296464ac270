"""Pure translation between Medusa's wire shapes and the domain. No I/O.

Kept pure so it can be property-tested; the adapter does the requests.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import JsonValue

from app.backends.medusa.wire import (
    MedusaAddress,
    MedusaCustomer,
    MedusaGroup,
    MedusaOrder,
    MedusaOrderItem,
)
from app.domain.customer import (
    Address,
    AddressDraft,
    Customer,
    CustomerDraft,
    CustomerGroup,
    CustomerSummary,
)
from app.domain.errors import FieldError
from app.domain.money import Money
from app.domain.order import OrderDetail, OrderLine, OrderSummary
from app.domain.patch import AddressPatch, CustomerPatch, MetadataPatch
from app.domain.query import CustomerQuery, DateRange, SortField
from app.gateway.errors import ParsedErrorBody

# Domain field -> Medusa field where the names differ.
CUSTOMER_FIELD = {"company": "company_name"}
DOMAIN_FIELD = {v: k for k, v in CUSTOMER_FIELD.items()}

SORT_FIELD = {
    SortField.ID: "id",
    SortField.EMAIL: "email",
    SortField.FIRST_NAME: "first_name",
    SortField.LAST_NAME: "last_name",
    SortField.PHONE: "phone",
    SortField.COMPANY: "company_name",
    SortField.HAS_ACCOUNT: "has_account",
    SortField.CREATED_AT: "created_at",
    SortField.UPDATED_AT: "updated_at",
}

SUMMARY_FIELDS = (
    "id,email,first_name,last_name,phone,company_name,has_account,"
    "created_at,updated_at,groups.id,groups.name"
)
DETAIL_FIELDS = "*groups,*addresses"
ADDRESS_FIELDS = "+is_default_shipping,+is_default_billing"
# A list row: the list always adds every item (get-orders-list.js loads `items.*` whatever
# `fields` says), so the item count costs nothing extra; `summary` brings refunded_total.
ORDER_SUMMARY_FIELDS = (
    "id,display_id,status,payment_status,fulfillment_status,total,currency_code,created_at,"
    "updated_at,customer_id,summary"
)
# Medusa's word for a cancelled order (OrderStatus.CANCELED in @medusajs/utils).
CANCELED = "canceled"
ORDER_DETAIL_FIELDS = "+email,+currency_code,+customer_id"


# --- wire -> domain ------------------------------------------------------------------


def group(wire: MedusaGroup) -> CustomerGroup:
    return CustomerGroup(id=wire.id, name=wire.name or wire.id)


def address(wire: MedusaAddress, customer_id: str | None = None) -> Address:
    return Address(
        id=wire.id,
        customer_id=wire.customer_id or customer_id,
        address_name=wire.address_name,
        first_name=wire.first_name,
        last_name=wire.last_name,
        company=wire.company,
        address_1=wire.address_1,
        address_2=wire.address_2,
        city=wire.city,
        province=wire.province,
        postal_code=wire.postal_code,
        country_code=wire.country_code.lower() if wire.country_code else None,
        phone=wire.phone,
        is_default_shipping=bool(wire.is_default_shipping),
        is_default_billing=bool(wire.is_default_billing),
        metadata=wire.metadata or {},
    )


def _summary_fields(wire: MedusaCustomer) -> dict[str, Any]:
    return {
        "id": wire.id,
        "email": wire.email,
        "first_name": wire.first_name,
        "last_name": wire.last_name,
        "phone": wire.phone,
        "company": wire.company_name,
        "has_account": wire.has_account,
        "groups": tuple(sorted((group(g) for g in wire.groups or ()), key=lambda g: g.name)),
        "created_at": wire.created_at,
        "updated_at": wire.updated_at,
    }


def customer_summary(wire: MedusaCustomer) -> CustomerSummary:
    return CustomerSummary(**_summary_fields(wire))


def customer(wire: MedusaCustomer) -> Customer:
    return Customer(
        **_summary_fields(wire),
        metadata=wire.metadata or {},
        addresses=tuple(
            sorted((address(a, wire.id) for a in wire.addresses or ()), key=lambda a: a.id)
        ),
    )


def _money(amount: Decimal | None, currency: str) -> Money:
    return Money(amount=amount if amount is not None else Decimal(0), currency=currency)


def order_summary(wire: MedusaOrder) -> OrderSummary:
    currency = wire.currency_code or "XXX"
    return OrderSummary(
        id=wire.id,
        display_number=f"#{wire.display_id}" if wire.display_id is not None else wire.id,
        status=wire.status,
        payment_status=wire.payment_status,
        fulfillment_status=wire.fulfillment_status,
        total=_money(wire.total, currency),
        created_at=wire.created_at,
        customer_id=wire.customer_id,
        updated_at=wire.updated_at,
        item_count=sum(int(i.quantity) for i in wire.items) if wire.items is not None else None,
        refunded=_money(wire.summary.refunded_total, currency)
        if wire.summary is not None and wire.summary.refunded_total is not None
        else None,
        cancelled=wire.status == CANCELED,
    )


def order_line(wire: MedusaOrderItem, currency: str) -> OrderLine:
    # The line's subtotal (before tax and discount), so lines add up to the order subtotal.
    total = wire.subtotal if wire.subtotal is not None else wire.unit_price * wire.quantity
    return OrderLine(
        id=wire.id,
        title=wire.title or wire.product_title or "",
        sku=wire.variant_sku,
        quantity=int(wire.quantity),
        unit_price=_money(wire.unit_price, currency),
        total=_money(total, currency),
    )


def _without_tax(total: Decimal | None, tax: Decimal | None) -> Decimal | None:
    return total - tax if total is not None and tax is not None else total


def order_detail(wire: MedusaOrder) -> OrderDetail:
    """Totals as a breakdown that adds up: subtotal - discount + shipping + tax = total.

    Medusa's `shipping_total` and `discount_total` include their tax, which `tax_total`
    already counts, so we show the tax-exclusive parts next to `tax_total`.
    """
    currency = wire.currency_code or "XXX"
    summary = order_summary(wire)
    shipping = wire.shipping_subtotal if wire.shipping_subtotal is not None else wire.shipping_total
    discount = _without_tax(wire.discount_total, wire.discount_tax_total)
    return OrderDetail(
        **summary.model_dump(),
        email=wire.email,
        lines=tuple(order_line(i, currency) for i in wire.items or ()),
        subtotal=_money(
            wire.item_subtotal if wire.item_subtotal is not None else wire.subtotal, currency
        ),
        shipping_total=_money(shipping, currency),
        tax_total=_money(wire.tax_total, currency),
        discount_total=_money(discount, currency),
        shipping_address=address(wire.shipping_address, wire.customer_id)
        if wire.shipping_address
        else None,
        billing_address=address(wire.billing_address, wire.customer_id)
        if wire.billing_address
        else None,
    )


# --- domain -> wire ------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _date_params(name: str, span: DateRange) -> list[tuple[str, str]]:
    out = []
    if span.start is not None:
        out.append((f"{name}[$gte]", _iso(span.start)))
    if span.end is not None:
        out.append((f"{name}[$lt]", _iso(span.end)))
    return out


def query_params(query: CustomerQuery) -> list[tuple[str, str]]:
    """Filters and search of a customer query (paging and order are added by the adapter)."""
    params: list[tuple[str, str]] = []
    text = " ".join(query.text.split())
    if text:
        params.append(("q", text))
    if query.has_account is not None:
        params.append(("has_account", "true" if query.has_account else "false"))
    params.extend(("groups[]", gid) for gid in sorted(query.group_ids))
    if query.email:
        params.append(("email", query.email))
    params.extend(_date_params("created_at", query.created))
    params.extend(_date_params("updated_at", query.updated))
    return params


def changed_since_params(since: datetime | None) -> list[tuple[str, str]]:
    return [("updated_at[$gte]", _iso(since))] if since is not None else []


def _metadata_body(meta: MetadataPatch) -> dict[str, JsonValue]:
    # Medusa merges metadata; a key sent as "" is removed.
    body: dict[str, JsonValue] = dict(meta.set)
    body.update(dict.fromkeys(meta.remove, ""))
    return body


def customer_create_body(draft: CustomerDraft) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": draft.email,
        "first_name": draft.first_name,
        "last_name": draft.last_name,
        "phone": draft.phone,
        "company_name": draft.company,
    }
    body = {k: v for k, v in body.items() if v is not None}
    if draft.metadata:
        body["metadata"] = dict(draft.metadata)
    return body


def customer_update_body(patch: CustomerPatch) -> dict[str, Any]:
    body = {CUSTOMER_FIELD.get(k, k): v for k, v in patch.changes().items()}
    if patch.metadata:
        body["metadata"] = _metadata_body(patch.metadata)
    return body


def address_create_body(draft: AddressDraft) -> dict[str, Any]:
    # Medusa addresses have no county (the desk's form for Medusa has none either).
    body = {
        k: v for k, v in draft.model_dump(exclude={"metadata", "county"}).items() if v is not None
    }
    if draft.metadata:
        body["metadata"] = dict(draft.metadata)
    return body


def address_update_body(patch: AddressPatch) -> dict[str, Any]:
    body = {k: v for k, v in patch.changes().items() if k != "county"}
    if patch.metadata:
        body["metadata"] = _metadata_body(patch.metadata)
    return body


def empty_metadata_values(values: dict[str, JsonValue]) -> list[str]:
    """Keys whose value is "", which Medusa would silently treat as "remove"."""
    return sorted(k for k, v in values.items() if v == "")


# --- error bodies ----------------------------------------------------------------------

_DUPLICATE_EMAIL = re.compile(r"Customer with email: .*already exists", re.IGNORECASE)
_FIELD_PROBLEM = re.compile(r"for field '([a-z_]+)'")


def _field_errors(message: str) -> tuple[FieldError, ...]:
    errors: list[FieldError] = []
    if _DUPLICATE_EMAIL.search(message):
        return (FieldError("email", "Another customer already uses this email address."),)
    for part in message.removeprefix("Invalid request: ").split("; "):
        if "email" in part.lower() and "invalid" in part.lower():
            errors.append(FieldError("email", "This is not a valid email address."))
        elif match := _FIELD_PROBLEM.search(part):
            name = match.group(1)
            errors.append(FieldError(DOMAIN_FIELD.get(name, name), part))
    return tuple(errors)


def parse_error_body(status: int, body: Any) -> ParsedErrorBody:
    """Medusa: `{type, message}` (the 401 on /admin has only `message`)."""
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return ParsedErrorBody()
    message: str = body["message"]
    if status >= 500:
        return ParsedErrorBody()  # "An unknown error occurred." tells staff nothing
    field_errors = _field_errors(message) if status == 400 else ()
    if field_errors and _DUPLICATE_EMAIL.search(message):
        return ParsedErrorBody(
            message="Another customer already uses this email address.",
            field_errors=field_errors,
        )
    return ParsedErrorBody(
        message=message.removeprefix("Invalid request: "), field_errors=field_errors
    )
