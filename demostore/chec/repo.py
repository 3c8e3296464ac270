"""Chec's customer, address and order resources over the demo store's SQLite tables.

Everything here runs on the store's worker thread (see ``DemoStore.call``) and returns
JSON-ready dicts shaped like Chec's responses. The rows are the demo store's own
(``customer``, ``customer_address``, ``"order"``, ``order_line_item``, ``notification``,
``api_key``); what Chec has and Medusa has not lives in two side tables made here.

Chec ids are the stored ids under Chec's prefixes (``cus_X`` is ``cstmr_X``), so the
generated demo data reads as Chec data and Chec writes land in the shared tables.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from demostore.core.accounts_repo import create_api_key, secret_key_id
from demostore.core.database import (
    Database,
    from_json_text,
    row_dict,
    secret_digest,
    to_json_text,
)
from demostore.core.money import ZERO, decimal_text, number
from demostore.core.sqlfilters import free_text_condition, search_blob

# --- ids -----------------------------------------------------------------------------

_PREFIXES = {"cus": "cstmr", "cuaddr": "addr", "order": "ord", "ordli": "item"}
_STORED = {chec: stored for stored, chec in _PREFIXES.items()}


def chec_id(stored: str) -> str:
    prefix, _, body = stored.partition("_")
    return f"{_PREFIXES.get(prefix, prefix)}_{body}"


def stored_id(chec: str, kind: str) -> str | None:
    """The stored id of a Chec id of `kind` (`cstmr`, `addr`, `ord`), None if malformed."""
    prefix, _, body = chec.partition("_")
    if prefix != kind or not body:
        return None
    return f"{_STORED[kind]}_{body}"


# --- errors --------------------------------------------------------------------------


class ChecError(Exception):
    """An error answer in Chec's shape: ``{status_code, error: {type, message, errors?}}``."""

    def __init__(
        self,
        status: int,
        kind: str,
        message: str,
        errors: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.message = message
        self.errors = dict(errors) if errors else None

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.kind, "message": self.message}
        if self.errors:
            error["errors"] = {k: list(v) for k, v in self.errors.items()}
        return {"status_code": self.status, "error": error}


def not_found(what: str) -> ChecError:
    return ChecError(404, "not_found", f"{what} not found")


def invalid(errors: Mapping[str, Sequence[str]]) -> ChecError:
    return ChecError(422, "validation", "The given data was invalid.", errors)


# --- schema and keys -------------------------------------------------------------------

_SIDE_TABLES = """
CREATE TABLE IF NOT EXISTS chec_customer (
    customer_id TEXT PRIMARY KEY REFERENCES customer (id),
    external_id TEXT
);
CREATE TABLE IF NOT EXISTS chec_address (
    address_id TEXT PRIMARY KEY REFERENCES customer_address (id),
    delivery_instructions TEXT
);
"""
DEMO_KEY_SETTING = "chec_demo_secret_key"


def ensure_schema(db: Database) -> None:
    db.conn.executescript(f"BEGIN;\n{_SIDE_TABLES}\nCOMMIT;")


def demo_secret_key(db: Database) -> str:
    """The demo shop's secret key (a local demo credential), made on first use."""
    ensure_schema(db)
    key = db.setting(DEMO_KEY_SETTING)
    if key is None:
        key = str(create_api_key(db, "Chec demo", "secret", db.admin_user_id)["token"])
        with db.transaction():
            db.set_setting(DEMO_KEY_SETTING, key)
    return key


def new_secret_key(db: Database, title: str) -> str:
    return str(create_api_key(db, title, "secret", db.admin_user_id)["token"])


def key_scope(db: Database, token: str) -> str | None:
    """`secret`, `public` or None for an unknown key."""
    if token.startswith("sk_") and secret_key_id(db, token) is not None:
        return "secret"
    if token.startswith("pk_"):
        row = db.conn.execute(
            "SELECT 1 FROM api_key WHERE token = ? AND type = 'publishable' AND revoked_at IS NULL",
            (token,),
        ).fetchone()
        return "public" if row else None
    return None


# --- shapes --------------------------------------------------------------------------


def epoch_seconds(stored: str) -> int:
    moment = datetime.strptime(stored, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return int(moment.timestamp())


def _join(*parts: str | None) -> str | None:
    text = " ".join(p for p in parts if p)
    return text or None


def render_address(row: Mapping[str, Any], instructions: str | None = None) -> dict[str, Any]:
    meta = from_json_text(row["metadata"])
    return {
        "id": chec_id(row["id"]),
        "name": _join(row["first_name"], row["last_name"]),
        "street": row["address_1"],
        "street_2": row["address_2"],
        "town_city": row["city"],
        "county_state": row["province"],
        "postal_zip_code": row["postal_code"],
        "country": row["country_code"].upper() if row["country_code"] else None,
        "delivery_instructions": instructions,
        "meta": meta if meta else None,
    }


def _instructions(db: Database, address_ids: Sequence[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for start in range(0, len(address_ids), 900):
        chunk = address_ids[start : start + 900]
        rows = db.conn.execute(
            "SELECT address_id, delivery_instructions FROM chec_address "
            f"WHERE address_id IN ({','.join('?' * len(chunk))})",
            chunk,
        ).fetchall()
        out.update({r[0]: r[1] for r in rows})
    return out


def _default_addresses(db: Database, customer_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """(customer id, flag) -> address row, for the default shipping/billing addresses."""
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(customer_ids), 900):
        chunk = customer_ids[start : start + 900]
        rows = db.conn.execute(
            "SELECT * FROM customer_address WHERE deleted_at IS NULL "
            "AND (is_default_shipping = 1 OR is_default_billing = 1) "
            f"AND customer_id IN ({','.join('?' * len(chunk))})",
            chunk,
        ).fetchall()
        for row in rows:
            for flag in ("is_default_shipping", "is_default_billing"):
                if row[flag]:
                    out[f"{row['customer_id']}:{flag}"] = dict(row)
    return out


def _render_customers(db: Database, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    ids = [row["id"] for row in rows]
    externals: dict[str, str | None] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        found = db.conn.execute(
            "SELECT customer_id, external_id FROM chec_customer "
            f"WHERE customer_id IN ({','.join('?' * len(chunk))})",
            chunk,
        ).fetchall()
        externals.update({r[0]: r[1] for r in found})
    defaults = _default_addresses(db, ids)
    notes = _instructions(db, [a["id"] for a in defaults.values()])
    out = []
    for row in rows:
        meta = from_json_text(row["metadata"])
        shipping = defaults.get(f"{row['id']}:is_default_shipping")
        billing = defaults.get(f"{row['id']}:is_default_billing")
        out.append(
            {
                "id": chec_id(row["id"]),
                "external_id": externals.get(row["id"]),
                "firstname": row["first_name"],
                "lastname": row["last_name"],
                "email": row["email"],
                "phone": row["phone"],
                "meta": meta if meta else None,
                "created": epoch_seconds(row["created_at"]),
                "updated": epoch_seconds(row["updated_at"]),
                "default_shipping": render_address(shipping, notes.get(shipping["id"]))
                if shipping
                else None,
                "default_billing": render_address(billing, notes.get(billing["id"]))
                if billing
                else None,
            }
        )
    return out


def pagination(total: int, count: int, limit: int, page: int, path: str) -> dict[str, Any]:
    pages = -(-total // limit) if total else 0
    links: dict[str, str] = {}
    if page > 1:
        links["previous"] = f"{path}?page={page - 1}&limit={limit}"
    if page < pages:
        links["next"] = f"{path}?page={page + 1}&limit={limit}"
    return {
        "pagination": {
            "total": total,
            "count": count,
            "per_page": limit,
            "current_page": page,
            "total_pages": pages,
            "links": links,
        }
    }


@dataclass(frozen=True)
class ListQuery:
    limit: int
    page: int
    sort_by: str
    descending: bool
    text: str = ""

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


# --- customers -----------------------------------------------------------------------

CUSTOMER_SORT = {
    "created": "c.created_at",
    "updated": "c.updated_at",
    "email": "c.email",
    "firstname": "c.first_name",
    "lastname": "c.last_name",
}
_SEARCHED = "py_search_blob(c.first_name, c.last_name, c.email)"


def list_customers(db: Database, query: ListQuery, path: str) -> dict[str, Any]:
    where = "c.deleted_at IS NULL"
    params: list[Any] = []
    condition = free_text_condition(query.text, _SEARCHED) if query.text else None
    if condition is not None:
        where += f" AND ({condition[0]})"
        params.extend(condition[1])
    direction = "DESC" if query.descending else "ASC"
    column = CUSTOMER_SORT[query.sort_by]
    # NULLs last whichever the direction; the id keeps rows with equal keys in one order.
    ordering = f"({column} IS NULL), {column} {direction}, c.id {direction}"
    total = int(
        db.conn.execute(f"SELECT count(*) FROM customer c WHERE {where}", params).fetchone()[0]
    )
    rows = db.conn.execute(
        f"SELECT c.* FROM customer c WHERE {where} ORDER BY {ordering} LIMIT ? OFFSET ?",
        [*params, query.limit, query.offset],
    ).fetchall()
    data = _render_customers(db, rows)
    return {"data": data, "meta": pagination(total, len(data), query.limit, query.page, path)}


def _live_customer(db: Database, chec: str) -> dict[str, Any]:
    stored = stored_id(chec, "cstmr")
    row = None
    if stored is not None:
        row = row_dict(
            db.conn.execute(
                "SELECT * FROM customer WHERE id = ? AND deleted_at IS NULL", (stored,)
            ).fetchone()
        )
    if row is None:
        raise not_found("Customer")
    return row


def get_customer(db: Database, chec: str) -> dict[str, Any]:
    return _render_customers(db, [_live_customer(db, chec)])[0]


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CUSTOMER_STRINGS = ("email", "firstname", "lastname", "phone", "external_id")


def _check_customer(
    db: Database, data: Mapping[str, Any], *, creating: bool, exclude: str = ""
) -> None:
    errors: dict[str, list[str]] = {}
    for name in _CUSTOMER_STRINGS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            errors.setdefault(name, []).append(f"The {name} must be a string.")
    email = data.get("email")
    if creating and not email:
        errors.setdefault("email", []).append("The email field is required.")
    if "email" in data and not creating and not email:
        errors.setdefault("email", []).append("The email field is required.")
    if isinstance(email, str) and email and not _EMAIL.match(email):
        errors.setdefault("email", []).append("The email must be a valid email address.")
    elif isinstance(email, str) and email:
        taken = db.conn.execute(
            "SELECT 1 FROM customer WHERE lower(email) = lower(?) AND deleted_at IS NULL "
            "AND id != ?",
            (email, exclude),
        ).fetchone()
        if taken:
            errors.setdefault("email", []).append("The email has already been taken.")
    meta = data.get("meta")
    if "meta" in data and meta is not None and not isinstance(meta, dict | list):
        errors.setdefault("meta", []).append("The meta must be an object.")
    if isinstance(meta, list) and meta:
        errors.setdefault("meta", []).append("The meta must be an object.")
    if errors:
        raise invalid(errors)


def _meta_text(value: Any) -> str | None:
    return to_json_text(value) if isinstance(value, dict) and value else None


def _blob(first: str | None, last: str | None, email: str | None, phone: str | None) -> str:
    # The shared column the Medusa dialect searches (company first, as it writes it).
    return search_blob([None, first, last, email, phone])


def create_customer(db: Database, data: Mapping[str, Any]) -> dict[str, Any]:
    with db.transaction():
        _check_customer(db, data, creating=True)
        now = db.now()
        customer_id = db.new_id("cus")
        first, last = data.get("firstname"), data.get("lastname")
        email, phone = data.get("email"), data.get("phone")
        db.conn.execute(
            "INSERT INTO customer (id, first_name, last_name, email, phone, has_account, "
            "metadata, created_at, updated_at, search_blob) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
            (
                customer_id,
                first,
                last,
                email,
                phone,
                _meta_text(data.get("meta")),
                now,
                now,
                _blob(first, last, email, phone),
            ),
        )
        if data.get("external_id") is not None:
            db.conn.execute(
                "INSERT INTO chec_customer (customer_id, external_id) VALUES (?, ?)",
                (customer_id, data["external_id"]),
            )
    return get_customer(db, chec_id(customer_id))


_COLUMN = {"email": "email", "firstname": "first_name", "lastname": "last_name", "phone": "phone"}


def update_customer(db: Database, chec: str, data: Mapping[str, Any]) -> dict[str, Any]:
    with db.transaction():
        row = _live_customer(db, chec)
        _check_customer(db, data, creating=False, exclude=row["id"])
        changes: dict[str, Any] = {}
        for name, column in _COLUMN.items():
            if name in data and data[name] != row[column]:
                changes[column] = data[name]
        if "meta" in data:  # the whole object is replaced
            meta = _meta_text(data["meta"])
            if meta != row["metadata"]:
                changes["metadata"] = meta
        if "external_id" in data:
            db.conn.execute(
                "INSERT INTO chec_customer (customer_id, external_id) VALUES (?, ?) "
                "ON CONFLICT (customer_id) DO UPDATE SET external_id = excluded.external_id",
                (row["id"], data["external_id"]),
            )
        if changes or "external_id" in data:
            merged = {**row, **changes}
            changes["search_blob"] = _blob(
                merged["first_name"], merged["last_name"], merged["email"], merged["phone"]
            )
            changes["updated_at"] = db.now()
            assignments = ", ".join(f"{name} = ?" for name in changes)
            db.conn.execute(
                f"UPDATE customer SET {assignments} WHERE id = ?", [*changes.values(), row["id"]]
            )
    return get_customer(db, chec)


def delete_customer(db: Database, chec: str) -> dict[str, Any]:
    """The customer and its addresses go (soft, so the shared tables stay consistent)."""
    with db.transaction():
        row = _live_customer(db, chec)
        now = db.now()
        db.conn.execute(
            "UPDATE customer SET deleted_at = ?, updated_at = ? WHERE id = ?",
            (now, now, row["id"]),
        )
        db.conn.execute(
            "UPDATE customer_address SET deleted_at = ?, updated_at = ?, is_default_shipping = 0, "
            "is_default_billing = 0 WHERE customer_id = ? AND deleted_at IS NULL",
            (now, now, row["id"]),
        )
        db.conn.execute("DELETE FROM customer_group_customer WHERE customer_id = ?", (row["id"],))
    return {"id": chec, "deleted": True}


# --- addresses -----------------------------------------------------------------------


def list_addresses(db: Database, chec: str, limit: int, page: int, path: str) -> dict[str, Any]:
    customer = _live_customer(db, chec)
    total = int(
        db.conn.execute(
            "SELECT count(*) FROM customer_address WHERE customer_id = ? AND deleted_at IS NULL",
            (customer["id"],),
        ).fetchone()[0]
    )
    rows = db.conn.execute(
        "SELECT * FROM customer_address WHERE customer_id = ? AND deleted_at IS NULL "
        "ORDER BY created_at, id LIMIT ? OFFSET ?",
        (customer["id"], limit, (page - 1) * limit),
    ).fetchall()
    notes = _instructions(db, [r["id"] for r in rows])
    data = [render_address(r, notes.get(r["id"])) for r in rows]
    return {"data": data, "meta": pagination(total, len(data), limit, page, path)}


def _live_address(db: Database, customer_id: str, chec: str) -> dict[str, Any]:
    stored = stored_id(chec, "addr")
    row = None
    if stored is not None:
        row = row_dict(
            db.conn.execute(
                "SELECT * FROM customer_address WHERE id = ? AND customer_id = ? "
                "AND deleted_at IS NULL",
                (stored, customer_id),
            ).fetchone()
        )
    if row is None:
        raise not_found("Address")
    return row


_ADDRESS_STRINGS = {
    "street": "address_1",
    "street_2": "address_2",
    "town_city": "city",
    "county_state": "province",
    "postal_zip_code": "postal_code",
}
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


def _address_columns(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validated column values for the Chec address fields present in `data`."""
    errors: dict[str, list[str]] = {}
    columns: dict[str, Any] = {}
    for name in (*_ADDRESS_STRINGS, "name", "country", "delivery_instructions"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            errors.setdefault(name, []).append(f"The {name} must be a string.")
    country = data.get("country")
    if isinstance(country, str) and country and not _COUNTRY.match(country):
        errors.setdefault("country", []).append("The selected country is invalid.")
    for flag in ("default_shipping", "default_billing"):
        if flag in data and not isinstance(data[flag], bool):
            errors.setdefault(flag, []).append(f"The {flag} field must be true or false.")
    meta = data.get("meta")
    if meta is not None and not isinstance(meta, dict | list):
        errors.setdefault("meta", []).append("The meta must be an object.")
    if errors:
        raise invalid(errors)
    for name, column in _ADDRESS_STRINGS.items():
        if name in data:
            columns[column] = data[name]
    if "country" in data:
        columns["country_code"] = country.lower() if isinstance(country, str) else None
    if "name" in data:  # one field in Chec: kept whole in first_name
        columns["first_name"], columns["last_name"] = data["name"], None
    if "meta" in data:
        columns["metadata"] = _meta_text(meta)
    for flag, column in (
        ("default_shipping", "is_default_shipping"),
        ("default_billing", "is_default_billing"),
    ):
        if flag in data:
            columns[column] = 1 if data[flag] else 0
    return columns


def _clear_defaults(db: Database, customer_id: str, keep: str, columns: Mapping[str, Any]) -> None:
    for flag in ("is_default_shipping", "is_default_billing"):
        if columns.get(flag) == 1:
            db.conn.execute(
                f"UPDATE customer_address SET {flag} = 0 WHERE customer_id = ? AND id != ? "
                f"AND {flag} = 1 AND deleted_at IS NULL",
                (customer_id, keep),
            )


def _set_instructions(db: Database, address_id: str, data: Mapping[str, Any]) -> None:
    if "delivery_instructions" in data:
        db.conn.execute(
            "INSERT INTO chec_address (address_id, delivery_instructions) VALUES (?, ?) "
            "ON CONFLICT (address_id) DO UPDATE "
            "SET delivery_instructions = excluded.delivery_instructions",
            (address_id, data["delivery_instructions"]),
        )


def _address_answer(db: Database, customer_id: str, address_id: str) -> dict[str, Any]:
    row = db.conn.execute("SELECT * FROM customer_address WHERE id = ?", (address_id,)).fetchone()
    return render_address(row, _instructions(db, [address_id]).get(address_id))


def create_address(db: Database, chec: str, data: Mapping[str, Any]) -> dict[str, Any]:
    with db.transaction():
        customer = _live_customer(db, chec)
        columns = _address_columns(data)
        now = db.now()
        address_id = db.new_id("cuaddr")
        _clear_defaults(db, customer["id"], address_id, columns)
        values = {
            "id": address_id,
            "customer_id": customer["id"],
            "is_default_shipping": 0,
            "is_default_billing": 0,
            **columns,
            "created_at": now,
            "updated_at": now,
        }
        db.conn.execute(
            f"INSERT INTO customer_address ({', '.join(values)}) "
            f"VALUES ({','.join('?' * len(values))})",
            list(values.values()),
        )
        _set_instructions(db, address_id, data)
        _touch(db, customer["id"], now)
    return _address_answer(db, customer["id"], address_id)


def _touch(db: Database, customer_id: str, now: str) -> None:
    db.conn.execute("UPDATE customer SET updated_at = ? WHERE id = ?", (now, customer_id))


def update_address(
    db: Database, chec: str, address_chec: str, data: Mapping[str, Any]
) -> dict[str, Any]:
    with db.transaction():
        customer = _live_customer(db, chec)
        row = _live_address(db, customer["id"], address_chec)
        columns = {k: v for k, v in _address_columns(data).items() if row[k] != v}
        if columns or "delivery_instructions" in data:
            now = db.now()
            _clear_defaults(db, customer["id"], row["id"], columns)
            columns["updated_at"] = now
            assignments = ", ".join(f"{name} = ?" for name in columns)
            db.conn.execute(
                f"UPDATE customer_address SET {assignments} WHERE id = ?",
                [*columns.values(), row["id"]],
            )
            _set_instructions(db, row["id"], data)
            _touch(db, customer["id"], now)
    return _address_answer(db, customer["id"], row["id"])


def delete_address(db: Database, chec: str, address_chec: str) -> dict[str, Any]:
    with db.transaction():
        customer = _live_customer(db, chec)
        row = _live_address(db, customer["id"], address_chec)
        now = db.now()
        db.conn.execute(
            "UPDATE customer_address SET deleted_at = ?, updated_at = ?, is_default_shipping = 0, "
            "is_default_billing = 0 WHERE id = ?",
            (now, now, row["id"]),
        )
        _touch(db, customer["id"], now)
    return {"id": address_chec, "deleted": True}


# --- orders --------------------------------------------------------------------------

# The demo store keeps Medusa's statuses; Chec has its own [S: Order.ts].
_PAYMENT = {
    "captured": "paid",
    "partially_captured": "partially_paid",
    "partially_refunded": "paid",
    "refunded": "refunded",
    "authorized": "pending",
    "partially_authorized": "pending",
    "awaiting": "pending",
    "requires_action": "pending",
}
_FULFILMENT = {
    "fulfilled": "fulfilled",
    "shipped": "fulfilled",
    "delivered": "fulfilled",
    "partially_fulfilled": "partially_fulfilled",
    "partially_shipped": "partially_fulfilled",
    "partially_delivered": "partially_fulfilled",
    "returned": "returned",
    "partially_returned": "returned",
}
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF ", "SEK": "kr "}


def _cents(currency: str) -> Decimal:
    return Decimal(1) if currency.upper() == "JPY" else Decimal("0.01")


def price(amount: Decimal, currency: str) -> dict[str, Any]:
    code = currency.upper()
    formatted = f"{amount.quantize(_cents(code)):,}"
    return {
        "raw": number(amount),
        "formatted": formatted,
        "formatted_with_symbol": f"{_SYMBOLS.get(code, '')}{formatted}",
        "formatted_with_code": f"{formatted} {code}",
    }


def _order_address(db: Database, row: Mapping[str, Any], kind: str) -> dict[str, Any] | None:
    snapshot = from_json_text(row[kind])
    source: Mapping[str, Any] | None = None
    if isinstance(snapshot, dict):
        source = {
            **dict.fromkeys(
                ("first_name", "last_name", "address_1", "address_2", "city", "province")
            ),
            **dict.fromkeys(("postal_code", "country_code", "metadata")),
            **snapshot,
        }
        source = {**source, "metadata": to_json_text(source.get("metadata"))}
        address_id = str(snapshot.get("id") or f"{row['id']}_{kind}")
    else:
        ref = row[f"{kind}_ref"]
        found = (
            db.conn.execute("SELECT * FROM customer_address WHERE id = ?", (ref,)).fetchone()
            if ref
            else None
        )
        if found is None:
            return None
        source = dict(found)
        address_id = f"{row['id']}_{kind}"
    rendered = render_address({**source, "id": address_id})
    rendered["id"] = chec_id(address_id) if address_id.startswith("cuaddr_") else address_id
    return rendered


def render_order(
    db: Database, row: Mapping[str, Any], items: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    currency = row["currency_code"].upper()
    rate = Decimal(row["tax_rate"])
    lines = []
    subtotal = discount = ZERO
    for item in items:
        unit = Decimal(item["unit_price"])
        line_total = unit * item["quantity"]
        subtotal += line_total
        discount += Decimal(item["discount_total"])
        lines.append(
            {
                "id": chec_id(item["id"]),
                "product_id": None,
                "product_name": item["title"],
                "product_sku": item["variant_sku"],
                "quantity": item["quantity"],
                "price": price(unit, currency),
                "line_total": price(line_total, currency),
                "line_total_with_tax": price(line_total * (1 + rate), currency),
            }
        )
    shipping = Decimal(row["shipping_subtotal"])
    total = subtotal - discount + shipping
    tax = (total * rate).quantize(_cents(currency))  # Chec prices are in whole cents
    customer = None
    if row["customer_id"]:
        found = db.conn.execute(
            "SELECT id, email, first_name, last_name FROM customer WHERE id = ?",
            (row["customer_id"],),
        ).fetchone()
        if found is not None:
            customer = {
                "id": chec_id(found["id"]),
                "email": found["email"],
                "firstname": found["first_name"],
                "lastname": found["last_name"],
            }
    payment = _PAYMENT.get(row["payment_status"], "not_paid")
    grand = total + tax
    return {
        **_order_head(row, payment, grand, currency),
        "status_payment": payment,
        "status_fulfillment": _FULFILMENT.get(row["fulfillment_status"], "not_fulfilled"),
        "currency": {"code": currency, "symbol": _SYMBOLS.get(currency, "")},
        "order_value": price(grand, currency),
        "order": {
            "subtotal": price(subtotal, currency),
            "total": price(total, currency),
            "total_with_tax": price(grand, currency),
            "total_paid": price(grand if payment == "paid" else ZERO, currency),
            "shipping": {
                "id": None,
                "description": "Shipping",
                "provider": "chec",
                "price": price(shipping, currency),
            },
            "line_items": lines,
            "discount": {"code": None, "amount_saved": price(discount, currency)}
            if discount
            else [],
        },
        "shipping": _order_address(db, row, "shipping_address"),
        "billing": _order_address(db, row, "billing_address"),
        "customer": customer,
        "tax": {
            "amount": price(tax, currency),
            "included_in_price": False,
            "provider": "chec",
            "breakdown": [],
        },
        "meta": None,
    }


def _order_head(
    row: Mapping[str, Any], payment: str, grand: Decimal, currency: str
) -> dict[str, Any]:
    return {
        "version": "v1",
        "sandbox": True,
        "id": chec_id(row["id"]),
        "customer_reference": f"DEMO-{row['display_id']}",
        "created": epoch_seconds(row["created_at"]),
        "transactions": _transactions(row, payment, grand, currency),
    }


def _transactions(
    row: Mapping[str, Any], payment: str, grand: Decimal, currency: str
) -> list[dict[str, Any]]:
    """The order's charge (and refund) in Chec's vocabulary [S: Order/Transaction.ts]. The
    demo keeps no payment history: one charge per paid or cancelled order, stamped with
    the order's last change; a cancelled order's charge is cancelled for that reason."""
    stamp = epoch_seconds(row["updated_at"])

    def transaction(kind: str, status: str, reason: str) -> dict[str, Any]:
        return {
            "id": f"trns_{row['id'].removeprefix('order_')}_{kind}",
            "type": kind,
            "status": status,
            "status_reason": reason,
            "amount": price(grand, currency),
            "gateway": "test_gateway",
            "created": epoch_seconds(row["created_at"]),
            "updated": stamp,
        }

    if row["status"] == "canceled":
        return [transaction("charge", "cancelled", "order_cancelled")]
    if payment in ("paid", "refunded", "partially_paid"):
        charged = [transaction("charge", "complete", "complete")]
        if payment == "refunded":
            charged.append(transaction("refund", "complete", "complete"))
        return charged
    return []


def _items(db: Database, order_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {order_id: [] for order_id in order_ids}
    for start in range(0, len(order_ids), 900):
        chunk = order_ids[start : start + 900]
        rows = db.conn.execute(
            f"SELECT * FROM order_line_item WHERE order_id IN ({','.join('?' * len(chunk))}) "
            "ORDER BY order_id, id",
            chunk,
        ).fetchall()
        for item in rows:
            grouped[item["order_id"]].append(dict(item))
    return grouped


# The one value the vendor's SDK sends since 1fe26ff; `created` "causes error" [S].
ORDER_SORT = {"created_at": "o.created_at"}


def list_customer_orders(db: Database, chec: str, query: ListQuery, path: str) -> dict[str, Any]:
    customer = _live_customer(db, chec)
    where = "o.customer_id = ? AND o.is_draft_order = 0 AND o.deleted_at IS NULL"
    total = int(
        db.conn.execute(
            f'SELECT count(*) FROM "order" o WHERE {where}', (customer["id"],)
        ).fetchone()[0]
    )
    direction = "DESC" if query.descending else "ASC"
    column = ORDER_SORT[query.sort_by]
    rows = db.conn.execute(
        f'SELECT o.* FROM "order" o WHERE {where} ORDER BY {column} {direction}, o.id {direction} '
        "LIMIT ? OFFSET ?",
        (customer["id"], query.limit, query.offset),
    ).fetchall()
    items = _items(db, [r["id"] for r in rows])
    data = [render_order(db, r, items[r["id"]]) for r in rows]
    return {"data": data, "meta": pagination(total, len(data), query.limit, query.page, path)}


# No sort is documented for the merchant's "List orders": the demo lists the newest first
# (like the customer orders' default), the id breaking ties [I].
_ALL_ORDERS_ORDER = "o.created_at DESC, o.id DESC"
_ORDER_SEARCHED = "py_search_blob('DEMO-' || o.display_id, o.email)"


def list_orders(db: Database, query: ListQuery, path: str) -> dict[str, Any]:
    """The merchant's "List orders" (`GET /v1/orders`): `limit`, `page` and `query` (the
    customer reference or email) [T: apis-reference § 3.4]."""
    where = "o.is_draft_order = 0 AND o.deleted_at IS NULL"
    params: list[Any] = []
    condition = free_text_condition(query.text, _ORDER_SEARCHED) if query.text else None
    if condition is not None:
        where += f" AND ({condition[0]})"
        params.extend(condition[1])
    total = int(
        db.conn.execute(f'SELECT count(*) FROM "order" o WHERE {where}', params).fetchone()[0]
    )
    ordering = _ALL_ORDERS_ORDER
    if query.sort_by in ORDER_SORT:  # lenient only: the customer orders' sort
        direction = "DESC" if query.descending else "ASC"
        ordering = f"{ORDER_SORT[query.sort_by]} {direction}, o.id {direction}"
    rows = db.conn.execute(
        f'SELECT o.* FROM "order" o WHERE {where} ORDER BY {ordering} LIMIT ? OFFSET ?',
        [*params, query.limit, query.offset],
    ).fetchall()
    items = _items(db, [r["id"] for r in rows])
    data = [render_order(db, r, items[r["id"]]) for r in rows]
    return {"data": data, "meta": pagination(total, len(data), query.limit, query.page, path)}


def get_order(db: Database, order_chec: str, customer_chec: str | None = None) -> dict[str, Any]:
    stored = stored_id(order_chec, "ord")
    row = None
    if stored is not None:
        row = row_dict(
            db.conn.execute(
                'SELECT * FROM "order" WHERE id = ? AND is_draft_order = 0 AND deleted_at IS NULL',
                (stored,),
            ).fetchone()
        )
    if customer_chec is not None:
        customer = _live_customer(db, customer_chec)
        if row is not None and row["customer_id"] != customer["id"]:
            row = None
    if row is None:
        raise not_found("Order")
    return render_order(db, row, _items(db, [row["id"]])[row["id"]])


def create_test_order(db: Database, data: Mapping[str, Any]) -> dict[str, Any]:
    """The demo's own seeding route: an order of custom lines for a customer."""
    customer = _live_customer(db, str(data.get("customer_id") or ""))
    lines = data.get("line_items")
    if not isinstance(lines, list) or not lines:
        raise invalid({"line_items": ["At least one line item is required."]})
    with db.transaction():
        now = db.now()
        order_id = db.new_id("order")
        display_id = int(
            db.conn.execute('SELECT coalesce(max(display_id), 0) + 1 FROM "order"').fetchone()[0]
        )
        shipping = data.get("shipping")
        snapshot = None
        if isinstance(shipping, dict):
            first, _, last = str(shipping.get("name") or "").partition(" ")
            snapshot = to_json_text(
                {
                    "id": db.new_id("ordaddr"),
                    "first_name": first or None,
                    "last_name": last or None,
                    "address_1": shipping.get("street"),
                    "address_2": shipping.get("street_2"),
                    "city": shipping.get("town_city"),
                    "province": shipping.get("county_state"),
                    "postal_code": shipping.get("postal_zip_code"),
                    "country_code": str(shipping.get("country") or "").lower() or None,
                }
            )
        db.conn.execute(
            'INSERT INTO "order" (id, display_id, status, is_draft_order, customer_id, email, '
            "currency_code, shipping_address, created_at, updated_at) "
            "VALUES (?, ?, 'pending', 0, ?, ?, ?, ?, ?, ?)",
            (
                order_id,
                display_id,
                customer["id"],
                customer["email"],
                str(data.get("currency") or "EUR").lower(),
                snapshot,
                now,
                now,
            ),
        )
        for line in lines:
            db.conn.execute(
                "INSERT INTO order_line_item (id, order_id, title, variant_sku, unit_price, "
                "quantity) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    db.new_id("ordli"),
                    order_id,
                    line.get("product_name"),
                    line.get("product_sku"),
                    decimal_text(Decimal(str(line.get("price") or 0))),
                    int(line.get("quantity") or 1),
                ),
            )
    return get_order(db, chec_id(order_id))


# --- login tokens and emails ---------------------------------------------------------


def _customer_by_email(db: Database, email: str) -> dict[str, Any]:
    row = row_dict(
        db.conn.execute(
            "SELECT * FROM customer WHERE lower(email) = lower(?) AND deleted_at IS NULL "
            "ORDER BY id LIMIT 1",
            (email,),
        ).fetchone()
    )
    if row is None:
        raise not_found("Customer")
    return row


def issue_login_token(db: Database, email: str, base_url: str, *, send: bool) -> dict[str, Any]:
    """A one-time login token; emailed (recorded as a notification) or handed back."""
    customer = _customer_by_email(db, email)
    token = secrets.token_urlsafe(24)
    link = base_url.replace("{token}", token) if "{token}" in base_url else base_url + token
    notification_id = db.new_id("noti")
    with db.transaction():
        now = db.now()
        db.conn.execute(
            'INSERT INTO notification (id, "to", channel, template, data, trigger_type, '
            "resource_id, resource_type, receiver_id, created_at, updated_at) "
            "VALUES (?, ?, ?, 'chec-login-token', ?, 'customers.email-token', ?, 'customer', ?, "
            "?, ?)",
            (
                notification_id,
                customer["email"],
                "email" if send else "api",
                to_json_text(db.seal(notification_id, {"token": token, "link": link})),
                customer["id"],
                customer["id"],
                now,
                now,
            ),
        )
    return {"customer_id": chec_id(customer["id"]), "token": token, "link": link}


def redeem_login_token(db: Database, token: str) -> str:
    """The Chec id of the customer a login token was issued to; the token is used up."""
    with db.transaction():
        row = db.conn.execute(
            "SELECT id, receiver_id FROM notification WHERE template = 'chec-login-token' "
            "AND json_extract(data, '$.token_sha256') = ?",
            (secret_digest(token),),
        ).fetchone()
        if row is None:
            raise ChecError(422, "validation", "The token is invalid or has expired.")
        db.conn.execute(
            "UPDATE notification SET template = 'chec-login-token-used' WHERE id = ?", (row[0],)
        )
    return chec_id(str(row[1]))


def sent_emails(db: Database, email: str) -> list[dict[str, Any]]:
    rows = db.conn.execute(
        'SELECT id, "to", data, created_at FROM notification WHERE lower("to") = lower(?) '
        "AND channel = 'email' AND template LIKE 'chec-login-token%' ORDER BY id DESC",
        (email,),
    ).fetchall()
    return [
        {
            "id": r["id"],
            "to": r["to"],
            "data": db.unseal(r["id"], from_json_text(r["data"])),
            "created_at": r["created_at"],
        }
        for r in rows
    ]
