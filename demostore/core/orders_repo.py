"""Orders, draft orders and regions in the Medusa 2 admin dialect (worker thread only)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from demostore.core.clock import printed
from demostore.core.countries import COUNTRIES
from demostore.core.customers_repo import CUSTOMER_STAR_FIELDS, insert_customer, render_customer
from demostore.core.database import Database, Record, from_json_text, row_dict, to_json_text
from demostore.core.errors import invalid_data, not_allowed, not_found
from demostore.core.fields import RelationSpec, Selection, field_names, parse_fields, project
from demostore.core.jsvalues import jsonb
from demostore.core.money import ZERO, decimal_text, number, raw
from demostore.core.sqlfilters import (
    Condition,
    TableSpec,
    free_text_condition,
    order_clause,
    page_clause,
    where_clause,
)

ORDER_LIST_DEFAULT_FIELDS = field_names(
    "id display_id custom_display_id status version summary total metadata locale "
    "created_at updated_at"
)
_TOTAL_FIELDS = field_names(
    "subtotal tax_total discount_total discount_tax_total original_total "
    "original_subtotal original_tax_total item_total item_subtotal item_tax_total "
    "original_item_total original_item_subtotal original_item_tax_total shipping_total "
    "shipping_subtotal shipping_tax_total original_shipping_tax_total "
    "original_shipping_subtotal original_shipping_total credit_line_total "
    "credit_line_subtotal credit_line_tax_total"
)
ORDER_DETAIL_DEFAULT_FIELDS = (
    *ORDER_LIST_DEFAULT_FIELDS,
    "region_id",
    *_TOTAL_FIELDS,
    "*items",
    "*credit_lines",
    "*shipping_address",
    "*billing_address",
    "*shipping_methods",
    "*payment_collections",
    "*fulfillments",
)
DRAFT_ORDER_FIELDS = field_names(
    "id display_id custom_display_id status version email region_id summary total "
    "metadata created_at updated_at *items *shipping_address *billing_address "
    "*shipping_methods"
)
ORDER_ADDRESS_FIELDS = field_names(
    "id customer_id company first_name last_name address_1 address_2 city country_code "
    "province postal_code phone metadata created_at updated_at deleted_at"
)
_ITEM_HEAD_FIELDS = field_names(
    "id title subtitle thumbnail variant_id product_id product_title product_description "
    "product_subtitle product_type product_type_id product_collection product_handle "
    "variant_sku variant_barcode variant_title variant_option_values"
)

ORDER_RELATIONS = {
    "items": RelationSpec(()),  # items always print in full (see ``render_item``)
    "shipping_address": RelationSpec(ORDER_ADDRESS_FIELDS),
    "billing_address": RelationSpec(ORDER_ADDRESS_FIELDS),
    "shipping_methods": RelationSpec(()),
    "credit_lines": RelationSpec(()),
    "payment_collections": RelationSpec(()),
    "fulfillments": RelationSpec(()),
    "customer": RelationSpec(CUSTOMER_STAR_FIELDS),
}


ORDER_SPEC = TableSpec(
    table="order",
    alias="o",
    columns={
        "id": "text",
        "display_id": "int",
        "status": "text",
        "region_id": "text",
        "customer_id": "text",
        "email": "text",
        "currency_code": "text",
        "sales_channel_id": "text",
        "created_at": "time",
        "updated_at": "time",
        "deleted_at": "time",
    },
)


@dataclass
class _Totals:
    subtotal: Decimal = ZERO
    discount: Decimal = ZERO
    discount_tax: Decimal = ZERO
    tax: Decimal = ZERO
    original_tax: Decimal = ZERO
    total: Decimal = ZERO
    original_total: Decimal = ZERO


def _item_totals(row: Record, rate: Decimal) -> _Totals:
    unit = Decimal(row["unit_price"])
    subtotal = unit * row["quantity"]
    discount = Decimal(row["discount_total"])
    tax = (subtotal - discount) * rate
    original_tax = subtotal * rate
    return _Totals(
        subtotal=subtotal,
        discount=discount,
        discount_tax=discount * rate,
        tax=tax,
        original_tax=original_tax,
        total=subtotal - discount + tax,
        original_total=subtotal + original_tax,
    )


def render_item(row: Record, order: Record) -> dict[str, Any]:
    """A line item as Medusa prints it; items share their order's timestamps and tax rate."""
    totals = _item_totals(row, Decimal(order["tax_rate"]))
    quantity = Decimal(row["quantity"])
    unit = Decimal(row["unit_price"])
    per_unit = totals.total / quantity if quantity else ZERO
    metadata = from_json_text(row["metadata"]) or {}
    item: dict[str, Any] = dict.fromkeys(_ITEM_HEAD_FIELDS)
    item.update(id=row["id"], title=row["title"], variant_sku=row["variant_sku"])
    created = updated = printed(order["created_at"])
    quantities = {
        "fulfilled_quantity": row["fulfilled_quantity"],
        "delivered_quantity": row["delivered_quantity"],
        "shipped_quantity": row["shipped_quantity"],
        "return_requested_quantity": 0,
        "return_received_quantity": 0,
        "return_dismissed_quantity": 0,
        "written_off_quantity": 0,
    }
    detail: dict[str, Any] = {
        "id": "orditem_" + row["id"].removeprefix("ordli_"),
        "version": 1,
        "metadata": {},
        "order_id": row["order_id"],
        "raw_unit_price": None,
        "raw_compare_at_unit_price": None,
        "raw_quantity": raw(quantity),
        **{f"raw_{name}": raw(Decimal(value)) for name, value in quantities.items()},
        "created_at": created,
        "updated_at": updated,
        "deleted_at": None,
        "item_id": row["id"],
        "unit_price": None,
        "compare_at_unit_price": None,
        "quantity": row["quantity"],
        **quantities,
    }
    amounts = {
        "subtotal": totals.subtotal,
        "total": totals.total,
        "original_subtotal": totals.subtotal,
        "original_total": totals.original_total,
        "discount_subtotal": totals.discount,
        "discount_tax_total": totals.discount_tax,
        "discount_total": totals.discount + totals.discount_tax,
        "tax_total": totals.tax,
        "original_tax_total": totals.original_tax,
        "refundable_total_per_unit": per_unit,
        "refundable_total": totals.total,
        "fulfilled_total": per_unit * row["fulfilled_quantity"],
        "shipped_total": per_unit * row["shipped_quantity"],
        "return_requested_total": ZERO,
        "return_received_total": ZERO,
        "return_dismissed_total": ZERO,
        "write_off_total": ZERO,
    }
    item.update(
        {
            "requires_shipping": False,
            "is_giftcard": False,
            "is_discountable": True,
            "is_tax_inclusive": False,
            "is_custom_price": True,
            "metadata": metadata,
            "raw_compare_at_unit_price": None,
            "raw_unit_price": raw(unit),
            "created_at": created,
            "updated_at": updated,
            "deleted_at": None,
            "tax_lines": [],
            "adjustments": [],
            "compare_at_unit_price": None,
            "unit_price": number(unit),
            "quantity": row["quantity"],
            "raw_quantity": raw(quantity),
            "line_item_metadata": metadata,
            "detail": detail,
            **{name: number(value) for name, value in amounts.items()},
            **{f"raw_{name}": raw(value) for name, value in amounts.items()},
        }
    )
    return item


AddressBook = Mapping[str, Mapping[str, Any]]
"""Customer address rows by id, for orders that reference their addresses."""


def _order_address(row: Record, kind: str, book: AddressBook) -> dict[str, Any] | None:
    snapshot = from_json_text(row[kind])
    if isinstance(snapshot, dict):
        return snapshot
    source = book.get(row[f"{kind}_ref"] or "")
    if source is None:
        return None
    body = row["id"].removeprefix("order_")
    stamp = printed(row["created_at"])
    address: dict[str, Any] = {name: source.get(name) for name in ORDER_ADDRESS_FIELDS}
    address.update(
        # Derived ids: stable across reads, distinct for shipping and billing.
        id="ordaddr_"
        + (body if kind == "shipping_address" else body[:-1] + ("C" if body[-1] == "B" else "B")),
        customer_id=None,
        metadata=None,
        created_at=stamp,
        updated_at=stamp,
        deleted_at=None,
    )
    return address


def render_order(row: Record, items: Sequence[Record], book: AddressBook) -> dict[str, Any]:
    """Every printable field of an order; callers project what the request asked for."""
    rate = Decimal(row["tax_rate"])
    item_totals = [_item_totals(item, rate) for item in items]
    ship_sub = Decimal(row["shipping_subtotal"])
    ship_tax = ship_sub * rate
    sums = {
        "item_subtotal": sum((t.subtotal for t in item_totals), ZERO),
        "item_tax_total": sum((t.tax for t in item_totals), ZERO),
        "item_total": sum((t.total for t in item_totals), ZERO),
        "original_item_subtotal": sum((t.subtotal for t in item_totals), ZERO),
        "original_item_tax_total": sum((t.original_tax for t in item_totals), ZERO),
        "original_item_total": sum((t.original_total for t in item_totals), ZERO),
        "shipping_subtotal": ship_sub,
        "shipping_tax_total": ship_tax,
        "shipping_total": ship_sub + ship_tax,
        "original_shipping_subtotal": ship_sub,
        "original_shipping_tax_total": ship_tax,
        "original_shipping_total": ship_sub + ship_tax,
        "discount_tax_total": sum((t.discount_tax for t in item_totals), ZERO),
        "credit_line_total": ZERO,
        "credit_line_subtotal": ZERO,
        "credit_line_tax_total": ZERO,
    }
    sums["discount_total"] = (
        sum((t.discount for t in item_totals), ZERO) + sums["discount_tax_total"]
    )
    sums["subtotal"] = sums["item_subtotal"] + ship_sub
    sums["tax_total"] = sums["item_tax_total"] + ship_tax
    sums["total"] = sums["item_total"] + sums["shipping_total"]
    sums["original_subtotal"] = sums["subtotal"]
    sums["original_tax_total"] = sums["original_item_tax_total"] + ship_tax
    sums["original_total"] = sums["original_item_total"] + sums["original_shipping_total"]
    total = sums["total"]
    paid = (
        total if row["payment_status"] in ("captured", "partially_refunded", "refunded") else ZERO
    )
    refunded = total if row["payment_status"] == "refunded" else ZERO
    summary_values = {
        "paid_total": paid,
        "refunded_total": refunded,
        "accounting_total": total,
        "credit_line_total": ZERO,
        "transaction_total": paid - refunded,
        "pending_difference": total - paid + refunded,
        "current_order_total": total,
        "original_order_total": total,
    }
    summary = jsonb(
        {
            **{name: number(value) for name, value in summary_values.items()},
            **{f"raw_{name}": raw(value) for name, value in summary_values.items()},
        }
    )
    order: dict[str, Any] = {
        "id": row["id"],
        "display_id": row["display_id"],
        "custom_display_id": None,
        "status": row["status"],
        "version": 1,
        "summary": summary,
        "metadata": from_json_text(row["metadata"]),
        "locale": None,
        "created_at": printed(row["created_at"]),
        "updated_at": printed(row["updated_at"]),
        "deleted_at": printed(row["deleted_at"]),
        "region_id": row["region_id"],
        "sales_channel_id": row["sales_channel_id"],
        "customer_id": row["customer_id"],
        "email": row["email"],
        "currency_code": row["currency_code"],
        "is_draft_order": bool(row["is_draft_order"]),
        **{name: number(value) for name, value in sums.items()},
        "items": [render_item(item, row) for item in items],
        "credit_lines": [],
        "shipping_methods": [],
        "payment_collections": [],
        "fulfillments": [],
        "payment_status": row["payment_status"],
        "fulfillment_status": row["fulfillment_status"],
    }
    for key in ("shipping_address", "billing_address"):
        address = _order_address(row, key, book)
        if address is not None:  # Medusa leaves a missing address out entirely
            order[key] = address
    return order


def _items_by_order(db: Database, order_ids: Sequence[str]) -> dict[str, list[sqlite3.Row]]:
    grouped: dict[str, list[sqlite3.Row]] = {order_id: [] for order_id in order_ids}
    for start in range(0, len(order_ids), 900):
        chunk = order_ids[start : start + 900]
        marks = ",".join("?" * len(chunk))
        for row in db.conn.execute(
            f"SELECT * FROM order_line_item WHERE order_id IN ({marks}) ORDER BY order_id, id",
            chunk,
        ):
            grouped[row["order_id"]].append(row)
    return grouped


def _address_book(db: Database, rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    # Deleted addresses still resolve: an order keeps the address it was shipped to.
    refs = sorted(
        {r[k] for r in rows for k in ("shipping_address_ref", "billing_address_ref") if r[k]}
    )
    book: dict[str, dict[str, Any]] = {}
    for start in range(0, len(refs), 900):
        chunk = refs[start : start + 900]
        marks = ",".join("?" * len(chunk))
        for address in db.conn.execute(
            f"SELECT * FROM customer_address WHERE id IN ({marks})", chunk
        ):
            book[address["id"]] = dict(address)
    return book


def _attach_customers(db: Database, orders: list[dict[str, Any]]) -> None:
    ids = sorted({o["customer_id"] for o in orders if o["customer_id"]})
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        marks = ",".join("?" * len(chunk))
        for row in db.conn.execute(
            f"SELECT * FROM customer WHERE deleted_at IS NULL AND id IN ({marks})", chunk
        ):
            found[row["id"]] = render_customer(row)
    for order in orders:
        order["customer"] = found.get(order["customer_id"])


def _order_projection(order: dict[str, Any], selection: Selection) -> dict[str, Any]:
    out = project(order, selection, ORDER_RELATIONS)
    if "items" in out:  # items print in full whatever sub-fields were asked for
        out["items"] = order["items"]
    return out


def list_orders(
    db: Database,
    filters: Mapping[str, Any],
    selection: Selection,
    order: str | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    where, params = where_clause(ORDER_SPEC, filters)
    where += " AND o.is_draft_order = 0"
    ordering = order_clause(ORDER_SPEC, order)
    paging, page_params = page_clause(limit, offset)
    count = int(
        db.conn.execute(f'SELECT count(*) FROM "order" o WHERE {where}', params).fetchone()[0]
    )
    rows = []
    if limit:
        rows = db.conn.execute(
            f'SELECT o.* FROM "order" o WHERE {where} ORDER BY {ordering} {paging}',
            [*params, *page_params],
        ).fetchall()
    items = _items_by_order(db, [row["id"] for row in rows])
    book = _address_book(db, rows)
    orders = [render_order(row, items[row["id"]], book) for row in rows]
    if "customer" in selection.relations:
        _attach_customers(db, orders)
    out = []
    for rendered in orders:
        projected = _order_projection(rendered, selection)
        # Medusa's list workflow always adds these, whatever ``fields`` says.
        projected.setdefault("status", rendered["status"])
        projected.setdefault("version", 1)
        projected["items"] = rendered["items"]
        projected["payment_status"] = rendered["payment_status"]
        projected["fulfillment_status"] = rendered["fulfillment_status"]
        out.append(projected)
    return {"orders": out, "count": count, "offset": offset, "limit": limit}


def _order_row(db: Database, order_id: str) -> dict[str, Any] | None:
    return row_dict(
        db.conn.execute(
            'SELECT * FROM "order" WHERE id = ? AND deleted_at IS NULL', (order_id,)
        ).fetchone()
    )


def get_order(db: Database, order_id: str, selection: Selection) -> dict[str, Any]:
    row = _order_row(db, order_id)
    if row is None or row["is_draft_order"]:
        raise not_found(f"Order id not found: {order_id}")
    rendered = render_order(
        row, _items_by_order(db, [order_id])[order_id], _address_book(db, [row])
    )
    if "customer" in selection.relations:
        _attach_customers(db, [rendered])
    projected = _order_projection(rendered, selection)
    projected["payment_status"] = rendered["payment_status"]
    projected["fulfillment_status"] = rendered["fulfillment_status"]
    return projected


def cancel_order(db: Database, order_id: str) -> None:
    """Cancels a placed order the way Medusa's cancelOrderWorkflow checks it (a cancelled or
    completed order is refused); its updated_at moves, so incremental listings see it.
    Every dialect renders the stored "canceled" in its own vocabulary."""
    with db.transaction():
        row = _order_row(db, order_id)
        if row is None or row["is_draft_order"]:
            raise not_found(f"Order id not found: {order_id}")
        if row["status"] == "canceled":
            raise invalid_data(f"Order with id {order_id} has been canceled.")
        if row["status"] == "completed":
            raise not_allowed(
                "Cannot cancel a completed order. Please use the return process to handle "
                "refunds or exchanges."
            )
        db.conn.execute(
            "UPDATE \"order\" SET status = 'canceled', updated_at = ? WHERE id = ?",
            (db.now(), order_id),
        )


# --- draft orders --------------------------------------------------------------------


def _order_address_json(db: Database, data: Any, now: str) -> str | None:
    if not isinstance(data, dict):
        return None
    address = dict.fromkeys(ORDER_ADDRESS_FIELDS)
    address.update({key: value for key, value in data.items() if key in address})
    address.update(
        id=db.new_id("ordaddr"),
        customer_id=None,
        created_at=printed(now),
        updated_at=printed(now),
        deleted_at=None,
    )
    address["metadata"] = jsonb(data.get("metadata"))
    return json.dumps(address, ensure_ascii=False)


def _find_or_create_customer(
    db: Database, customer_id: str | None, email: str | None
) -> tuple[str | None, str | None]:
    """Medusa's ``findOrCreateCustomerStep``: which customer and email a new order gets."""
    customer: dict[str, Any] | None = None
    if customer_id:
        customer = _any_customer(db, "id = ?", customer_id)
        if customer is None:
            raise not_found(f"Customer with id: {customer_id} was not found")
    if not email:
        return (customer["id"], customer["email"]) if customer else (None, None)
    if customer is None:
        customer = _any_customer(db, "email = ?", email)
    if customer is not None and customer["has_account"]:
        return customer["id"], customer["email"]
    if customer is not None and customer["email"] != email:
        customer = _any_customer(db, "email = ? AND has_account = 0", email)
    if customer is None:
        new_id = insert_customer(db, {"email": email}, created_by=None, has_account=False)
        return new_id, email
    return customer["id"], customer["email"]


def _any_customer(db: Database, condition: str, value: str) -> dict[str, Any] | None:
    return row_dict(
        db.conn.execute(
            f"SELECT * FROM customer WHERE {condition} AND deleted_at IS NULL ORDER BY id LIMIT 1",
            (value,),
        ).fetchone()
    )


def insert_order(
    db: Database,
    *,
    region_id: str | None,
    currency_code: str,
    customer_id: str | None,
    email: str | None,
    sales_channel_id: str | None,
    items: Sequence[Mapping[str, Any]],
    shipping_address: Any = None,
    billing_address: Any = None,
    metadata: Any = None,
    is_draft: bool = True,
) -> str:
    now = db.now()
    order_id = db.new_id("order")
    display_id = int(
        db.conn.execute('SELECT coalesce(max(display_id), 0) + 1 FROM "order"').fetchone()[0]
    )
    db.conn.execute(
        'INSERT INTO "order" (id, display_id, status, is_draft_order, region_id, sales_channel_id, '
        "customer_id, email, currency_code, shipping_address, billing_address, metadata, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            order_id,
            display_id,
            "draft" if is_draft else "pending",
            1 if is_draft else 0,
            region_id,
            sales_channel_id,
            customer_id,
            email,
            currency_code,
            _order_address_json(db, shipping_address, now),
            _order_address_json(db, billing_address, now),
            to_json_text(metadata),
            now,
            now,
        ),
    )
    for item in items:
        db.conn.execute(
            "INSERT INTO order_line_item (id, order_id, title, variant_sku, unit_price, quantity, "
            "metadata) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                db.new_id("ordli"),
                order_id,
                item.get("title"),
                item.get("variant_sku") or item.get("sku"),
                decimal_text(Decimal(str(item.get("unit_price") or 0))),
                int(item["quantity"]),
                to_json_text(item.get("metadata") or {}),
            ),
        )
    return order_id


def create_draft_order(db: Database, data: Mapping[str, Any]) -> dict[str, Any]:
    with db.transaction():
        region = db.conn.execute(
            "SELECT * FROM region WHERE id = ? AND deleted_at IS NULL", (data["region_id"],)
        ).fetchone()
        if region is None:
            raise not_found(f"Region with id: {data['region_id']} was not found")
        customer_id, email = _find_or_create_customer(
            db, data.get("customer_id"), data.get("email")
        )
        order_id = insert_order(
            db,
            region_id=region["id"],
            currency_code=data.get("currency_code") or region["currency_code"],
            customer_id=customer_id,
            email=email,
            sales_channel_id=data.get("sales_channel_id"),
            items=data.get("items") or [],
            shipping_address=data.get("shipping_address"),
            billing_address=data.get("billing_address"),
            metadata=data.get("metadata"),
        )
    return _draft_json(db, order_id)


def _draft_json(db: Database, order_id: str) -> dict[str, Any]:
    row = _order_row(db, order_id)
    assert row is not None
    rendered = render_order(row, _items_by_order(db, [order_id])[order_id], {})
    return _order_projection(rendered, parse_fields(None, DRAFT_ORDER_FIELDS))


def convert_draft_order(db: Database, order_id: str) -> dict[str, Any]:
    with db.transaction():
        row = _order_row(db, order_id)
        if row is None:
            raise not_found(f"Order id not found: {order_id}")
        if not row["is_draft_order"]:
            raise invalid_data(f"Order {order_id} is not a draft order")
        db.conn.execute(
            "UPDATE \"order\" SET is_draft_order = 0, status = 'pending', updated_at = ? "
            "WHERE id = ?",
            (db.now(), order_id),
        )
    return _draft_json(db, order_id)


# --- regions -------------------------------------------------------------------------


def _render_region(db: Database, row: Mapping[str, Any]) -> dict[str, Any]:
    countries = []
    for country in db.conn.execute(
        "SELECT iso_2, updated_at FROM region_country WHERE region_id = ? ORDER BY iso_2 DESC",
        (row["id"],),
    ):
        iso_3, num_code, name, display_name = COUNTRIES[country["iso_2"]]
        countries.append(
            {
                "iso_2": country["iso_2"],
                "iso_3": iso_3,
                "num_code": num_code,
                "name": name,
                "display_name": display_name,
                "region_id": row["id"],
                "metadata": None,
                "created_at": printed(row["created_at"]),
                "updated_at": printed(country["updated_at"]),
                "deleted_at": None,
            }
        )
    return {
        "id": row["id"],
        "name": row["name"],
        "currency_code": row["currency_code"],
        "created_at": printed(row["created_at"]),
        "updated_at": printed(row["updated_at"]),
        "deleted_at": None,
        "automatic_taxes": bool(row["automatic_taxes"]),
        "metadata": from_json_text(row["metadata"]),
        "countries": countries,
    }


def _region_q(value: Any) -> Condition | None:
    return free_text_condition(value, "py_search_blob(r.name)") if isinstance(value, str) else None


REGION_SPEC = TableSpec(
    table="region",
    alias="r",
    columns={
        "id": "text",
        "name": "text",
        "currency_code": "text",
        "created_at": "time",
        "updated_at": "time",
        "deleted_at": "time",
    },
    special={"q": _region_q},
)


def list_regions(
    db: Database, filters: Mapping[str, Any], order: str | None, limit: int, offset: int
) -> dict[str, Any]:
    where, params = where_clause(REGION_SPEC, filters)
    paging, page_params = page_clause(limit, offset)
    count = int(
        db.conn.execute(f"SELECT count(*) FROM region r WHERE {where}", params).fetchone()[0]
    )
    ordering = order_clause(REGION_SPEC, order)
    rows = db.conn.execute(
        f"SELECT r.* FROM region r WHERE {where} ORDER BY {ordering} {paging}",
        [*params, *page_params],
    ).fetchall()
    return {
        "regions": [_render_region(db, r) for r in rows],
        "count": count,
        "offset": offset,
        "limit": limit,
    }


def insert_region(
    db: Database, name: str, currency_code: str, countries: Sequence[str], metadata: Any = None
) -> str:
    codes = [code.lower() for code in countries]
    unknown = [code for code in codes if code not in COUNTRIES]
    if unknown:
        raise invalid_data(
            "Countries with codes: {} do not exist".format(", ".join(f'"{c}"' for c in unknown))
        )
    marks = ",".join("?" * len(codes))
    taken = [
        r[0]
        for r in db.conn.execute(
            f"SELECT iso_2 FROM region_country WHERE iso_2 IN ({marks})", codes
        )
    ]
    if taken:
        raise invalid_data(
            "Countries with codes: {} are already assigned to a region".format(
                ", ".join(f'"{c}"' for c in taken)
            )
        )
    now = db.now()
    region_id = db.new_id("reg")
    db.conn.execute(
        "INSERT INTO region (id, name, currency_code, metadata, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (region_id, name, currency_code.lower(), to_json_text(metadata), now, now),
    )
    db.conn.executemany(
        "INSERT INTO region_country (iso_2, region_id, updated_at) VALUES (?, ?, ?)",
        [(code, region_id, now) for code in codes],
    )
    return region_id


def create_region(db: Database, data: Mapping[str, Any]) -> dict[str, Any]:
    with db.transaction():
        region_id = insert_region(
            db,
            data["name"],
            data["currency_code"],
            data.get("countries") or [],
            data.get("metadata"),
        )
    row = db.conn.execute("SELECT * FROM region WHERE id = ?", (region_id,)).fetchone()
    return _render_region(db, row)
