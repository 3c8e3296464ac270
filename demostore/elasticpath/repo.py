"""The Elastic Path dialect's data: the demo store's own tables, seen as EP resources.

Runs on the store's worker thread (`DemoStore.call`). The same SQLite data serves both
dialects: an EP customer is a `customer` row whose `name` is first and last name joined (a
name written through EP is kept whole in `first_name`, so it reads back exactly); EP's
`password: true` is `has_account`; custom fields of the `customers` flow live in the row's
`metadata`; address `county` and `instructions` live in the address row's `metadata`.
Addresses follow the strict dialect unless an `EPDialect` switch says otherwise.
Flows and fields get two tables of their own (`ensure_schema`).

Written from the reference (elasticpath/elasticpath-dev), never from the adapter:
`docs/customer-management/customer-management-api/*`, `CustomerAddresses.yaml`,
`guides/Getting-Started/{filtering,pagination,sorting,errors}.md`,
`guides/How-To/Customers/extend-customer-resources.md`, cartsorders `OpenAPISpec.yaml`.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from demostore.core.clock import printed
from demostore.core.customers_repo import delete_customer as soft_delete_customer
from demostore.core.customers_repo import insert_customer
from demostore.core.database import Database, from_json_text, row_dict, to_json_text
from demostore.core.orders_repo import insert_order
from demostore.core.passwords import hash_password, verify_password
from demostore.core.sqlfilters import search_blob
from demostore.elasticpath.dialect import EPDialect
from demostore.elasticpath.errors import (
    EPError,
    duplicate_email,
    failed_validation,
    label_too_short,
    not_found,
    required,
)
from demostore.elasticpath.filters import conditions, parse_filter

PAGE_LIMIT_MAX = 100  # guides/Getting-Started/pagination.md
STRICT = EPDialect()
CUSTOMER_FLOW = "customers"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ep_flow (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ep_field (
    id TEXT PRIMARY KEY,
    flow_id TEXT NOT NULL REFERENCES ep_flow (id),
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    field_type TEXT NOT NULL,
    description TEXT,
    required INTEGER NOT NULL DEFAULT 0,
    enabled INTEGER NOT NULL DEFAULT 1,
    position INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (flow_id, slug)
);
"""

NAME_SQL = (
    "(CASE WHEN c.last_name IS NULL OR c.last_name = '' THEN c.first_name "
    "WHEN c.first_name IS NULL OR c.first_name = '' THEN c.last_name "
    "ELSE c.first_name || ' ' || c.last_name END)"
)
_CUSTOMER_COLUMNS = {
    "email": ("c.email", "text"),
    "name": (NAME_SQL, "text"),
    "id": ("c.id", "key"),
    "created_at": ("c.created_at", "time"),
    "updated_at": ("c.updated_at", "time"),
    "external_ref": ("NULL", "never"),
}
_CMP = frozenset({"eq", "gt", "ge", "lt", "le"})
# get-all-customers.md, "Filtering" table.
_CUSTOMER_OPS = {
    "email": frozenset({"eq", "like"}),
    "name": frozenset({"eq", "like"}),
    "id": _CMP,
    "created_at": _CMP,
    "updated_at": _CMP,
    "external_ref": frozenset({"eq"}),
}
_CUSTOMER_SORT = {
    "created_at": "c.created_at",
    "email": "c.email",
    "id": "c.id",
    "name": NAME_SQL,
    "updated_at": "c.updated_at",
}
_ORDER_COLUMNS = {
    "customer_id": ("o.customer_id", "text"),
    "email": ("o.email", "text"),
    "created_at": ("o.created_at", "time"),
    "updated_at": ("o.updated_at", "time"),
}
_ORDER_OPS = {
    "customer_id": frozenset({"eq", "like"}),
    "email": frozenset({"eq", "like"}),
    "created_at": _CMP,
    "updated_at": _CMP,
}
_ORDER_SORT = {"created_at": "o.created_at"}
FIELD_TYPES = frozenset({"string", "integer", "float", "boolean", "date"})


def ensure_schema(db: Database) -> None:
    db.conn.executescript(_SCHEMA)


def _uuid() -> str:
    return str(uuid.uuid4())


def _stamps(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "timestamps": {
            "created_at": printed(row["created_at"]),
            "updated_at": printed(row["updated_at"]),
        }
    }


def _page_meta(limit: int, offset: int, total: int) -> dict[str, Any]:
    pages = (total + limit - 1) // limit if limit else 0
    return {
        "page": {"limit": limit, "offset": offset, "current": offset // limit + 1, "total": pages},
        "results": {"total": total},
    }


def page_args(query: Mapping[str, str]) -> tuple[int, int]:
    try:
        limit = int(query.get("page[limit]", "25"))  # default page length 25
        offset = int(query.get("page[offset]", "0"))
    except ValueError:
        raise EPError(400, "Bad Request", "page parameters must be integers") from None
    if limit < 1 or offset < 0:
        raise EPError(400, "Bad Request", "page parameters out of range")
    if limit > PAGE_LIMIT_MAX:
        # The reference caps the page at 100; whether more is refused or clamped is not
        # said. Refusing makes an adapter that asks for more fail loudly here.
        raise EPError(400, "Bad Request", "page[limit] must be at most 100")
    return limit, offset


def _order_by(sort: str | None, columns: Mapping[str, str], default: str, alias: str) -> str:
    text = sort or default
    desc = text.startswith("-")
    name = text.lstrip("-")
    if name not in columns:
        raise EPError(400, "Bad Request", f"Invalid sort attribute: {name}")
    direction = "DESC" if desc else "ASC"
    return f"{columns[name]} {direction}, {alias}.id {direction}"


# --- flows -----------------------------------------------------------------------------


def _flow_row(db: Database, slug_or_id: str) -> dict[str, Any] | None:
    return row_dict(
        db.conn.execute(
            "SELECT * FROM ep_flow WHERE slug = ? OR id = ?", (slug_or_id, slug_or_id)
        ).fetchone()
    )


def render_flow(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "type": "flow",
        "id": row["id"],
        "name": row["name"],
        "slug": row["slug"],
        "description": row["description"],
        "enabled": bool(row["enabled"]),
        "meta": _stamps(row),
    }


def render_field(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "type": "field",
        "id": row["id"],
        "name": row["name"],
        "slug": row["slug"],
        "field_type": row["field_type"],
        "description": row["description"],
        "required": bool(row["required"]),
        "enabled": bool(row["enabled"]),
        "order": row["position"],
        "relationships": {"flow": {"data": {"type": "flow", "id": row["flow_id"]}}},
        "meta": _stamps(row),
    }


def create_flow(db: Database, data: Mapping[str, Any]) -> dict[str, Any]:
    slug = data.get("slug")
    name = data.get("name")
    if not isinstance(slug, str) or not slug:
        raise failed_validation("slug", "slug is required")
    if not isinstance(name, str) or not name:
        raise failed_validation("name", "name is required")
    if _flow_row(db, slug) is not None:
        raise EPError(409, "Duplicate slug", "A flow with this slug already exists")
    with db.transaction():
        now = db.now()
        flow_id = _uuid()
        db.conn.execute(
            "INSERT INTO ep_flow (id, slug, name, description, enabled, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                flow_id,
                slug,
                name,
                data.get("description"),
                int(bool(data.get("enabled", True))),
                now,
                now,
            ),
        )
    row = _flow_row(db, flow_id)
    assert row is not None
    return {"data": render_flow(row)}


def create_field(db: Database, data: Mapping[str, Any]) -> dict[str, Any]:
    rel = data.get("relationships")
    flow_ref = rel.get("flow", {}).get("data", {}) if isinstance(rel, dict) else {}
    flow = _flow_row(db, str(flow_ref.get("id", ""))) if isinstance(flow_ref, dict) else None
    if flow is None:
        raise failed_validation("relationships.flow", "a flow relationship is required")
    slug, name, kind = data.get("slug"), data.get("name"), data.get("field_type")
    if not isinstance(slug, str) or not re.fullmatch(r"[A-Za-z0-9_-]+", slug):
        raise failed_validation("slug", "slug is required")
    if not isinstance(name, str) or not name:
        raise failed_validation("name", "name is required")
    if kind not in FIELD_TYPES:
        raise failed_validation("field_type", f"field_type must be one of {sorted(FIELD_TYPES)}")
    with db.transaction():
        now = db.now()
        field_id = _uuid()
        try:
            db.conn.execute(
                "INSERT INTO ep_field (id, flow_id, slug, name, field_type, description, required, "
                "enabled, position, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    field_id,
                    flow["id"],
                    slug,
                    name,
                    kind,
                    data.get("description"),
                    int(bool(data.get("required", False))),
                    int(bool(data.get("enabled", True))),
                    data.get("order"),
                    now,
                    now,
                ),
            )
        except Exception as exc:  # sqlite3.IntegrityError: the slug is taken in this flow
            raise EPError(409, "Duplicate slug", "A field with this slug already exists") from exc
    row = row_dict(db.conn.execute("SELECT * FROM ep_field WHERE id = ?", (field_id,)).fetchone())
    assert row is not None
    return {"data": render_field(row)}


def _fields(db: Database, flow_slug: str) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in db.conn.execute(
            "SELECT f.* FROM ep_field f JOIN ep_flow w ON w.id = f.flow_id "
            "WHERE w.slug = ? ORDER BY f.position, f.slug",
            (flow_slug,),
        )
    ]


def list_fields(db: Database, flow_slug: str) -> dict[str, Any]:
    if _flow_row(db, flow_slug) is None:
        raise not_found("flow")
    return {"data": [render_field(f) for f in _fields(db, flow_slug)]}


def _customer_fields(db: Database) -> dict[str, str]:
    return {f["slug"]: f["field_type"] for f in _fields(db, CUSTOMER_FLOW) if f["enabled"]}


def _check_field_value(slug: str, kind: str, value: Any) -> None:
    ok = {
        "string": isinstance(value, str),
        "date": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, int | float) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
    }[kind]
    if value is not None and not ok:
        raise failed_validation(slug, f"{slug} must be a {kind}")


# --- customers -------------------------------------------------------------------------


def _ep_name(row: Mapping[str, Any]) -> str | None:
    first, last = row["first_name"] or "", row["last_name"] or ""
    return (f"{first} {last}" if first and last else first or last) or None


def render_customer(row: Mapping[str, Any], fields: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "customer",
        "id": row["id"],
        "name": _ep_name(row),
        "email": row["email"],
        "password": bool(row["has_account"]),
    }
    metadata = from_json_text(row["metadata"])
    values = metadata if isinstance(metadata, dict) else {}
    for slug in fields:
        out[slug] = values.get(slug)
    out["meta"] = _stamps(row)
    out["links"] = {"self": f"/v2/customers/{row['id']}"}
    return out


def list_customers(db: Database, query: Mapping[str, str]) -> dict[str, Any]:
    limit, offset = page_args(query)
    where, params = conditions(
        parse_filter(query.get("filter", "")), _CUSTOMER_COLUMNS, _CUSTOMER_OPS
    )
    order = _order_by(query.get("sort"), _CUSTOMER_SORT, "-created_at", "c")
    source = f"customer c WHERE c.deleted_at IS NULL AND {where}"
    total = int(db.conn.execute(f"SELECT count(*) FROM {source}", params).fetchone()[0])
    rows = db.conn.execute(
        f"SELECT c.* FROM {source} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset]
    ).fetchall()
    fields = _customer_fields(db)
    return {
        "data": [render_customer(r, fields) for r in rows],
        "meta": _page_meta(limit, offset, total),
        "links": {"current": f"/v2/customers?page[offset]={offset}&page[limit]={limit}"},
    }


def _live_customer(db: Database, customer_id: str) -> dict[str, Any]:
    row = row_dict(
        db.conn.execute(
            "SELECT * FROM customer WHERE id = ? AND deleted_at IS NULL", (customer_id,)
        ).fetchone()
    )
    if row is None:
        raise not_found("customer")
    return row


def get_customer(db: Database, customer_id: str) -> dict[str, Any]:
    return {"data": render_customer(_live_customer(db, customer_id), _customer_fields(db))}


def _check_type(data: Any, kind: str) -> Mapping[str, Any]:
    if not isinstance(data, dict):
        raise failed_validation("data", "data is required")
    if data.get("type") != kind:
        raise failed_validation("type", f"type must be '{kind}'")
    return data


def _check_string(data: Mapping[str, Any], name: str, *, required: bool) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise failed_validation(name, f"{name} is required")
        return None
    if not isinstance(value, str):
        raise failed_validation(name, f"{name} must be a string")
    if required and not value:
        raise failed_validation(name, f"{name} must not be empty")
    return value


def _check_email(db: Database, email: str, exclude: str = "", dialect: EPDialect = STRICT) -> None:
    if not EMAIL.match(email):
        raise failed_validation("email", "email: Does not match format 'email'")
    taken = db.conn.execute(
        "SELECT 1 FROM customer WHERE lower(email) = lower(?) AND deleted_at IS NULL AND id != ?",
        (email, exclude),
    ).fetchone()
    if taken:
        raise duplicate_email(as_422=dialect.duplicate_email_422)


def _set_password(db: Database, customer_id: str, email: str, password: str) -> None:
    now = db.now()
    db.conn.execute(
        "DELETE FROM auth_identity WHERE json_extract(app_metadata, '$.customer_id') = ?",
        (customer_id,),
    )
    db.conn.execute(
        "INSERT INTO auth_identity (id, entity_id, password_hash, app_metadata, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (entity_id) DO UPDATE SET "
        "password_hash = excluded.password_hash, app_metadata = excluded.app_metadata, "
        "updated_at = excluded.updated_at",
        (
            db.new_id("authid"),
            email,
            hash_password(password),
            json.dumps({"customer_id": customer_id}),
            now,
            now,
        ),
    )


def _field_values(
    db: Database, data: Mapping[str, Any], current: Any
) -> tuple[dict[str, Any] | None, bool]:
    """Merged metadata after the flow fields in `data`, and whether any were given."""
    fields = _customer_fields(db)
    given = {slug: data[slug] for slug in fields if slug in data}
    if not given:
        return (current if isinstance(current, dict) else None), False
    merged = dict(current) if isinstance(current, dict) else {}
    for slug, value in given.items():
        _check_field_value(slug, fields[slug], value)
        if value is None:
            merged.pop(slug, None)
        else:
            merged[slug] = value
    return merged, True


def create_customer(db: Database, body: Any, dialect: EPDialect = STRICT) -> dict[str, Any]:
    data = _check_type(body.get("data") if isinstance(body, dict) else None, "customer")
    name = _check_string(data, "name", required=True)
    email = _check_string(data, "email", required=True)
    password = _check_string(data, "password", required=False)
    assert name is not None
    assert email is not None
    with db.transaction():
        _check_email(db, email, dialect=dialect)
        metadata, _ = _field_values(db, data, None)
        customer_id = insert_customer(
            db,
            {"first_name": name, "email": email, "metadata": metadata or None},
            created_by=None,
            has_account=password is not None,
        )
        if password is not None:
            _set_password(db, customer_id, email, password)
    return get_customer(db, customer_id)


def update_customer(
    db: Database, customer_id: str, body: Any, dialect: EPDialect = STRICT
) -> dict[str, Any]:
    data = _check_type(body.get("data") if isinstance(body, dict) else None, "customer")
    name = _check_string(data, "name", required=False)
    email = _check_string(data, "email", required=False)
    password = _check_string(data, "password", required=False)
    with db.transaction():
        row = _live_customer(db, customer_id)
        changes: dict[str, Any] = {}
        if name is not None and name != _ep_name(row):
            if not name:
                raise failed_validation("name", "name must not be empty")
            changes.update(first_name=name, last_name=None)
        if email is not None and email != row["email"]:
            _check_email(db, email, exclude=customer_id, dialect=dialect)
            changes["email"] = email
            db.conn.execute(
                "UPDATE auth_identity SET entity_id = ? "
                "WHERE json_extract(app_metadata, '$.customer_id') = ?",
                (email, customer_id),
            )
        metadata, given = _field_values(db, data, from_json_text(row["metadata"]))
        if given and to_json_text(metadata) != row["metadata"]:
            changes["metadata"] = to_json_text(metadata)
        if password is not None:
            if not password:
                raise failed_validation("password", "password must not be empty")
            _set_password(db, customer_id, changes.get("email", row["email"]), password)
            changes["has_account"] = 1
        if changes:
            merged = {**row, **changes}
            changes["search_blob"] = search_blob(
                [merged[k] for k in ("company_name", "first_name", "last_name", "email", "phone")]
            )
            changes["updated_at"] = db.now()
            assignments = ", ".join(f"{k} = ?" for k in changes)
            db.conn.execute(
                f"UPDATE customer SET {assignments} WHERE id = ?", [*changes.values(), customer_id]
            )
    return get_customer(db, customer_id)


def delete_customer(db: Database, customer_id: str) -> None:
    _live_customer(db, customer_id)
    soft_delete_customer(db, customer_id)


def authenticate_customer(db: Database, body: Any) -> str:
    """`POST /v2/customers/tokens` with email and password: the customer's id, else 401."""
    data = _check_type(body.get("data") if isinstance(body, dict) else None, "token")
    if data.get("authentication_mechanism", "password") != "password":
        raise EPError(400, "Bad Request", "Only password authentication is emulated")
    email = _check_string(data, "email", required=True)
    password = _check_string(data, "password", required=True)
    assert email is not None
    assert password is not None
    identity = row_dict(
        db.conn.execute("SELECT * FROM auth_identity WHERE entity_id = ?", (email,)).fetchone()
    )
    customer_id = None
    if identity is not None and verify_password(password, identity["password_hash"]):
        customer_id = json.loads(identity["app_metadata"]).get("customer_id")
    if (
        not customer_id
        or not db.conn.execute(
            "SELECT 1 FROM customer WHERE id = ? AND deleted_at IS NULL", (customer_id,)
        ).fetchone()
    ):
        # Status and wording not in the reference (unverified).
        raise EPError(401, "Unauthorized", "Invalid email or password")
    return str(customer_id)


def bulk_customers(db: Database, body: Any) -> dict[str, Any]:
    """Test-only seeding (`/_demo/customers/batch`): many customers in one transaction."""
    rows = body.get("customers") if isinstance(body, dict) else None
    if not isinstance(rows, list):
        raise failed_validation("customers", "customers must be a list")
    ids: list[str] = []
    with db.transaction():
        for item in rows:
            name = _check_string(item, "name", required=True)
            email = _check_string(item, "email", required=True)
            assert email is not None
            _check_email(db, email)
            ids.append(
                insert_customer(
                    db, {"first_name": name, "email": email}, created_by=None, has_account=False
                )
            )
    return {"data": [{"type": "customer", "id": i} for i in ids]}


# --- addresses -------------------------------------------------------------------------

# EP address attribute -> customer_address column (CustomerAddresses.yaml `Address`).
_ADDRESS_COLUMN = {
    "name": "address_name",
    "first_name": "first_name",
    "last_name": "last_name",
    "company_name": "company",
    "phone_number": "phone",
    "line_1": "address_1",
    "line_2": "address_2",
    "city": "city",
    "region": "province",
    "postcode": "postal_code",
    "country": "country_code",
}
_ADDRESS_META = ("county", "instructions")  # no column of their own: kept in `metadata`
# What Elastic Path's recorded 400 for an empty address names, in its order (epcc-cli
# docs/tutorial.md); `errors.required` quotes the shape.
ADDRESS_REQUIRED = ("first_name", "last_name", "line_1", "county", "postcode", "country")


def render_address(row: Mapping[str, Any]) -> dict[str, Any]:
    """An address as Elastic Path answers it: an attribute never set reads "" (the
    recorded 201 in epcc-cli docs/tutorial.md shows `"line_2": ""`)."""
    meta = from_json_text(row["metadata"])
    extra = meta if isinstance(meta, dict) else {}
    out: dict[str, Any] = {"type": "address", "id": row["id"]}
    for attr, column in _ADDRESS_COLUMN.items():
        value = row[column] or ""
        out[attr] = value.upper() if attr == "country" else value
    for attr in _ADDRESS_META:
        out[attr] = extra.get(attr) or ""
    out["meta"] = _stamps(row)
    out["links"] = {"self": f"/v2/customers/{row['customer_id']}/addresses/{row['id']}"}
    out["relationships"] = {"customer": {"id": row["customer_id"], "type": "customer"}}
    return out


def _check_address(data: Mapping[str, Any], dialect: EPDialect, *, creating: bool) -> None:
    """Refuse what Elastic Path refuses (see `dialect.py` for what strict means)."""
    for attr in (*_ADDRESS_COLUMN, *_ADDRESS_META):
        if attr not in data:
            continue
        value = data[attr]
        if value is None and dialect.null_clears:
            continue
        if not isinstance(value, str):
            # Every attribute is a string in the spec; the answer's wording is inferred.
            raise EPError(400, "Bad Request", f"{attr} must be a string", source=f"data.{attr}")
    if data.get("name") == "" and not dialect.empty_label:
        raise label_too_short()
    if creating:
        missing = [a for a in ADDRESS_REQUIRED if not data.get(a)]
    else:  # a PUT changes what it names: a required attribute may not be emptied
        missing = [a for a in ADDRESS_REQUIRED if a in data and not data[a]]
    if dialect.region_for_county and "county" in missing and data.get("region"):
        missing.remove("county")
    if missing:
        raise required(missing)


def _address_values(data: Mapping[str, Any], current_meta: Any) -> tuple[dict[str, Any], Any]:
    columns: dict[str, Any] = {}
    for attr, column in _ADDRESS_COLUMN.items():
        if attr in data:
            value = data[attr]
            if attr == "country" and value and not re.fullmatch(r"[A-Za-z]{2}", value):
                raise failed_validation("country", "country must be a two-letter ISO code")
            columns[column] = (value.lower() if attr == "country" else value) if value else None
    meta = dict(current_meta) if isinstance(current_meta, dict) else {}
    for attr in _ADDRESS_META:
        if attr in data:
            value = data[attr]
            if value:
                meta[attr] = value
            else:
                meta.pop(attr, None)
    return columns, (meta or None)


def _address_row(db: Database, customer_id: str, address_id: str) -> dict[str, Any]:
    row = row_dict(
        db.conn.execute(
            "SELECT * FROM customer_address WHERE id = ? AND customer_id = ? "
            "AND deleted_at IS NULL",
            (address_id, customer_id),
        ).fetchone()
    )
    if row is None:
        raise not_found("address")
    return row


def list_addresses(db: Database, customer_id: str) -> dict[str, Any]:
    _live_customer(db, customer_id)
    rows = db.conn.execute(
        "SELECT * FROM customer_address WHERE customer_id = ? AND deleted_at IS NULL "
        "ORDER BY created_at, id",
        (customer_id,),
    ).fetchall()
    return {"data": [render_address(r) for r in rows]}


def get_address(db: Database, customer_id: str, address_id: str) -> dict[str, Any]:
    _live_customer(db, customer_id)
    return {"data": render_address(_address_row(db, customer_id, address_id))}


def create_address(
    db: Database, customer_id: str, body: Any, dialect: EPDialect = STRICT
) -> dict[str, Any]:
    data = _check_type(body.get("data") if isinstance(body, dict) else None, "address")
    _check_address(data, dialect, creating=True)
    with db.transaction():
        _live_customer(db, customer_id)
        columns, meta = _address_values(data, None)
        now = db.now()
        address_id = _uuid()
        names = ["id", "customer_id", *columns, "metadata", "created_at", "updated_at"]
        values = [address_id, customer_id, *columns.values(), to_json_text(meta), now, now]
        db.conn.execute(
            f"INSERT INTO customer_address ({', '.join(names)}) "
            f"VALUES ({', '.join('?' * len(names))})",
            values,
        )
    return get_address(db, customer_id, address_id)


def update_address(
    db: Database, customer_id: str, address_id: str, body: Any, dialect: EPDialect = STRICT
) -> dict[str, Any]:
    data = _check_type(body.get("data") if isinstance(body, dict) else None, "address")
    _check_address(data, dialect, creating=False)
    with db.transaction():
        _live_customer(db, customer_id)
        row = _address_row(db, customer_id, address_id)
        columns, meta = _address_values(data, from_json_text(row["metadata"]))
        columns["metadata"] = to_json_text(meta)
        columns["updated_at"] = db.now()
        assignments = ", ".join(f"{k} = ?" for k in columns)
        db.conn.execute(
            f"UPDATE customer_address SET {assignments} WHERE id = ?",
            [*columns.values(), address_id],
        )
    return get_address(db, customer_id, address_id)


def delete_address(db: Database, customer_id: str, address_id: str) -> None:
    with db.transaction():
        _live_customer(db, customer_id)
        _address_row(db, customer_id, address_id)
        now = db.now()
        db.conn.execute(
            "UPDATE customer_address SET deleted_at = ?, updated_at = ? WHERE id = ?",
            (now, now, address_id),
        )


# --- orders ----------------------------------------------------------------------------

_EXPONENT = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
}


def _price(amount: Decimal, currency: str) -> dict[str, Any]:
    cur = currency.upper()
    exponent = _EXPONENT.get(cur, 2)
    minor = int((amount * (Decimal(10) ** exponent)).quantize(Decimal(1), ROUND_HALF_UP))
    shown = Decimal(minor).scaleb(-exponent)
    return {"amount": minor, "currency": cur, "formatted": f"{shown:,.{exponent}f} {cur}"}


def _ep_status(row: Mapping[str, Any]) -> tuple[str, str, str]:
    """The store's order states in EP's vocabulary (status, payment, shipping)."""
    payment = {
        "captured": "paid",
        "partially_refunded": "paid",
        "refunded": "refunded",
        "authorized": "authorized",
        "partially_authorized": "authorized",
    }.get(row["payment_status"], "unpaid")
    shipping = (
        "fulfilled"
        if row["fulfillment_status"] in ("fulfilled", "shipped", "delivered")
        else "unfulfilled"
    )
    status = row["status"]
    if status == "canceled":
        ep_status = "cancelled"
    elif status in ("completed", "archived"):
        ep_status = "complete"
    elif payment == "paid":
        ep_status = "processing"
    else:
        ep_status = "incomplete"
    return ep_status, payment, shipping


_ORDER_ADDRESS = {
    "first_name": "first_name",
    "last_name": "last_name",
    "company_name": "company",
    "phone_number": "phone",
    "line_1": "address_1",
    "line_2": "address_2",
    "city": "city",
    "region": "province",
    "postcode": "postal_code",
    "country": "country_code",
}


def _render_order_address(db: Database, row: Mapping[str, Any], kind: str) -> Any:
    source = from_json_text(row[kind])
    if not isinstance(source, dict):
        ref = row[f"{kind}_ref"]
        found = (
            row_dict(
                db.conn.execute("SELECT * FROM customer_address WHERE id = ?", (ref,)).fetchone()
            )
            if ref
            else None
        )
        if found is None:
            return None
        source = found
    out = {attr: source.get(col) for attr, col in _ORDER_ADDRESS.items()}
    if out["country"]:
        out["country"] = str(out["country"]).upper()
    out["county"] = None
    out["instructions"] = None
    return out


def _items(db: Database, order_id: str) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in db.conn.execute(
            "SELECT * FROM order_line_item WHERE order_id = ? ORDER BY id", (order_id,)
        )
    ]


def render_item(item: Mapping[str, Any], order: Mapping[str, Any]) -> dict[str, Any]:
    cur = order["currency_code"]
    rate = Decimal(order["tax_rate"])
    unit = Decimal(item["unit_price"])
    qty = int(item["quantity"])
    value = unit * qty
    return {
        "type": "order_item",
        "id": item["id"],
        "product_id": None,
        "name": item["title"],
        "sku": item["variant_sku"],
        "quantity": qty,
        "unit_price": {**_price(unit, cur), "includes_tax": False},
        "value": {**_price(value, cur), "includes_tax": False},
        "meta": {
            "display_price": {
                "with_tax": {
                    "unit": _price(unit * (1 + rate), cur),
                    "value": _price(value * (1 + rate), cur),
                },
                "without_tax": {"unit": _price(unit, cur), "value": _price(value, cur)},
                "tax": {"unit": _price(unit * rate, cur), "value": _price(value * rate, cur)},
            },
            "timestamps": _stamps(order)["timestamps"],
        },
    }


def render_order(db: Database, row: Mapping[str, Any]) -> dict[str, Any]:
    cur = row["currency_code"]
    rate = Decimal(row["tax_rate"])
    items = _items(db, row["id"])
    net = sum(
        (Decimal(i["unit_price"]) * i["quantity"] - Decimal(i["discount_total"]) for i in items),
        Decimal(0),
    )
    discount = sum((Decimal(i["discount_total"]) for i in items), Decimal(0))
    shipping = Decimal(row["shipping_subtotal"])
    without_tax = net + shipping
    tax = without_tax * rate
    status, payment, shipping_state = _ep_status(row)
    customer = (
        row_dict(
            db.conn.execute("SELECT * FROM customer WHERE id = ?", (row["customer_id"],)).fetchone()
        )
        if row["customer_id"]
        else None
    )
    out: dict[str, Any] = {
        "type": "order",
        "id": row["id"],
        "status": status,
        "payment": payment,
        "shipping": shipping_state,
        "order_number": str(row["display_id"]),
        "customer": {
            "id": row["customer_id"],
            "name": _ep_name(customer) if customer else None,
            "email": row["email"],
        },
        "shipping_address": _render_order_address(db, row, "shipping_address"),
        "billing_address": _render_order_address(db, row, "billing_address"),
        "meta": {
            "display_price": {
                "with_tax": _price(without_tax + tax, cur),
                "without_tax": _price(without_tax, cur),
                "tax": _price(tax, cur),
                "discount": _price(-discount, cur),
                "shipping": _price(shipping, cur),
            },
            **_stamps(row),
        },
        "relationships": {
            "items": {"data": [{"type": "item", "id": i["id"]} for i in items]},
        },
    }
    if row["customer_id"]:
        out["relationships"]["customer"] = {"data": {"type": "customer", "id": row["customer_id"]}}
    return out


# pagination.md "Page Offset": requests to /v2/orders have a hard offset limit of 10,000.
ORDER_OFFSET_CAP = 10_000


def list_orders(
    db: Database, query: Mapping[str, str], offset_cap: int = ORDER_OFFSET_CAP
) -> dict[str, Any]:
    limit, offset = page_args(query)
    if offset > offset_cap:
        # The spec: beyond the cap "an error is returned. Use a filter"; its wording is ours.
        raise EPError(400, "Bad Request", f"page[offset] must be at most {offset_cap}")
    where, params = conditions(parse_filter(query.get("filter", "")), _ORDER_COLUMNS, _ORDER_OPS)
    order = _order_by(query.get("sort"), _ORDER_SORT, "-created_at", "o")
    source = f'"order" o WHERE o.is_draft_order = 0 AND o.deleted_at IS NULL AND {where}'
    total = int(db.conn.execute(f"SELECT count(*) FROM {source}", params).fetchone()[0])
    rows = db.conn.execute(
        f"SELECT o.* FROM {source} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset]
    ).fetchall()
    return {"data": [render_order(db, r) for r in rows], "meta": _page_meta(limit, offset, total)}


def update_order(db: Database, order_id: str, body: Any) -> dict[str, Any]:
    """`PUT /v2/orders/{id}` as far as the demo keeps it: cancel (`status: cancelled`, only
    while not fulfilled) and fulfil (`shipping: fulfilled`, only when paid), per the
    cartsorders spec's "Update an Order". The order's updated_at moves."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict) or data.get("type") != "order":
        raise failed_validation("data.type", "data.type must be order")
    unknown = sorted(set(data) - {"type", "status", "shipping"})
    if unknown:
        # order_number/external_ref exist at the vendor; the demo keeps neither.
        raise failed_validation(unknown[0], f"{unknown[0]} is not supported by the demo store")
    with db.transaction():
        row = _order_row(db, order_id)
        status, payment, shipping = _ep_status(row)
        changes: dict[str, str] = {}
        if "status" in data:
            if data["status"] != "cancelled":
                raise failed_validation("status", "status can only be set to cancelled")
            if shipping == "fulfilled":
                raise EPError(400, "Bad Request", "a fulfilled order cannot be cancelled")
            if status != "cancelled":  # cancelling again changes nothing [I]
                changes["status"] = "canceled"  # the store's own (Medusa) word
        if "shipping" in data:
            if data["shipping"] != "fulfilled":
                raise failed_validation("shipping", "shipping can only be set to fulfilled")
            if payment != "paid":
                raise EPError(400, "Bad Request", "only a paid order can be fulfilled")
            changes["fulfillment_status"] = "fulfilled"
        if changes:
            sets = ", ".join(f"{column} = ?" for column in changes)
            db.conn.execute(
                f'UPDATE "order" SET {sets}, updated_at = ? WHERE id = ?',
                [*changes.values(), db.now(), order_id],
            )
    return get_order(db, order_id)


def _order_row(db: Database, order_id: str) -> dict[str, Any]:
    row = row_dict(
        db.conn.execute(
            'SELECT * FROM "order" WHERE id = ? AND is_draft_order = 0 AND deleted_at IS NULL',
            (order_id,),
        ).fetchone()
    )
    if row is None:
        raise not_found("order")
    return row


def get_order(db: Database, order_id: str) -> dict[str, Any]:
    return {"data": render_order(db, _order_row(db, order_id))}


def order_items(db: Database, order_id: str) -> dict[str, Any]:
    row = _order_row(db, order_id)
    return {"data": [render_item(i, row) for i in _items(db, order_id)]}


def seed_order(db: Database, body: Any) -> dict[str, Any]:
    """Test-only (`/_demo/orders`): an order of custom lines, no tax, shipping or discount.

    Elastic Path makes orders by checking out a cart; the contract harness only needs an
    order to read, so this route writes one directly. The adapter never calls it.
    """
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise failed_validation("data", "data is required")
    customer_id = _check_string(data, "customer_id", required=True)
    currency = _check_string(data, "currency", required=True)
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise failed_validation("items", "items must be a non-empty list")
    assert customer_id is not None
    assert currency is not None
    lines: list[dict[str, Any]] = []
    for item in items:
        if not isinstance(item, dict):
            raise failed_validation("items", "items must be objects")
        lines.append(
            {
                "title": item.get("name"),
                "sku": item.get("sku"),
                "unit_price": str(item.get("unit_price")),  # decimal string, major units
                "quantity": int(item.get("quantity", 1)),
            }
        )
    address = data.get("shipping_address")
    shipping: dict[str, Any] | None = None
    if isinstance(address, dict):
        shipping = {col: address.get(attr) for attr, col in _ORDER_ADDRESS.items()}
        if shipping.get("country_code"):
            shipping["country_code"] = str(shipping["country_code"]).lower()
    with db.transaction():
        customer = _live_customer(db, customer_id)
        order_id = insert_order(
            db,
            region_id=None,
            currency_code=currency.lower(),
            customer_id=customer_id,
            email=customer["email"],
            sales_channel_id=None,
            items=lines,
            shipping_address=shipping,
            is_draft=False,
        )
    return get_order(db, order_id)


def ensure_demo_flow(db: Database, fields: Sequence[tuple[str, str, str]]) -> None:
    """The demo shop's `customers` flow with the given (slug, name, type) fields, once."""
    ensure_schema(db)
    if _flow_row(db, CUSTOMER_FLOW) is None:
        create_flow(
            db,
            {
                "slug": CUSTOMER_FLOW,
                "name": "Customers",
                "description": "Extends the default customer object",
                "enabled": True,
            },
        )
    flow = _flow_row(db, CUSTOMER_FLOW)
    assert flow is not None
    existing = {f["slug"] for f in _fields(db, CUSTOMER_FLOW)}
    for position, (slug, name, kind) in enumerate(fields, start=1):
        if slug not in existing:
            create_field(
                db,
                {
                    "slug": slug,
                    "name": name,
                    "field_type": kind,
                    "enabled": True,
                    "order": position,
                    "relationships": {"flow": {"data": {"id": flow["id"]}}},
                },
            )
