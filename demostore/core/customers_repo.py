"""Customers, their addresses and customer groups, with Medusa's module semantics.

Everything here runs on the store's worker thread (see ``DemoStore.call``) and
returns JSON-ready dicts already shaped for the response.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from demostore.core.clock import printed
from demostore.core.database import Database, Record, from_json_text, row_dict, to_json_text
from demostore.core.errors import invalid_data, not_found
from demostore.core.fields import RelationSpec, Selection, field_names, project
from demostore.core.jsvalues import JsonValue
from demostore.core.sqlfilters import (
    ColumnKind,
    Condition,
    TableSpec,
    free_text_condition,
    order_clause,
    page_clause,
    search_blob,
    where_clause,
)

CUSTOMER_DEFAULT_FIELDS = field_names(
    "id company_name first_name last_name email phone metadata has_account created_by "
    "created_at updated_at deleted_at"
)
CUSTOMER_STAR_FIELDS = field_names(
    "id company_name first_name last_name email phone has_account metadata created_by "
    "created_at updated_at deleted_at"
)
ADDRESS_DEFAULT_FIELDS = field_names(
    "id address_name company customer_id first_name last_name address_1 address_2 city "
    "province postal_code country_code phone metadata created_at updated_at"
)
ADDRESS_STAR_FIELDS = field_names(
    "id address_name is_default_shipping is_default_billing company first_name last_name "
    "address_1 address_2 city country_code province postal_code phone metadata "
    "customer_id created_at updated_at deleted_at"
)
GROUP_DEFAULT_FIELDS = field_names("id name created_by created_at updated_at deleted_at metadata")
GROUP_STAR_FIELDS = field_names("id name metadata created_by created_at updated_at deleted_at")

CUSTOMER_RELATIONS = {
    "groups": RelationSpec(GROUP_STAR_FIELDS),
    "addresses": RelationSpec(ADDRESS_STAR_FIELDS),
}
GROUP_RELATIONS = {"customers": RelationSpec(CUSTOMER_STAR_FIELDS, adds_id=True)}
ADDRESS_RELATIONS: dict[str, RelationSpec] = {}

CUSTOMER_TEXT_FIELDS = ("company_name", "first_name", "last_name", "email", "phone")
ADDRESS_TEXT_FIELDS = field_names(
    "address_name company first_name last_name address_1 address_2 city country_code "
    "province postal_code phone"
)
_ADDRESS_SEARCHABLE = field_names(
    "address_name company first_name last_name address_1 address_2 city province postal_code"
)

_TIMES: dict[str, ColumnKind] = {"created_at": "time", "updated_at": "time", "deleted_at": "time"}

GROUP_SPEC = TableSpec(
    table="customer_group",
    alias="g",
    columns={"id": "text", "name": "text", "metadata": "json", "created_by": "text", **_TIMES},
)


def _groups_of_customer_filter(value: Any) -> Condition | None:
    if isinstance(value, str | list):
        value = {"id": value}
    if not isinstance(value, dict) or not value:
        return None  # e.g. groups[unknown]=x: stripped by validation, so no filter at all
    where, params = where_clause(GROUP_SPEC, value)
    return (
        "c.id IN (SELECT m.customer_id FROM customer_group_customer m "
        f"JOIN customer_group g ON g.id = m.customer_group_id WHERE {where})",
        params,
    )


def _customer_q(value: Any) -> Condition | None:
    return free_text_condition(value, "c.search_blob") if isinstance(value, str) else None


CUSTOMER_SPEC = TableSpec(
    table="customer",
    alias="c",
    columns={
        "id": "text",
        "company_name": "text",
        "first_name": "text",
        "last_name": "text",
        "email": "text",
        "phone": "text",
        "has_account": "bool",
        "metadata": "json",
        "created_by": "text",
        **_TIMES,
    },
    special={"q": _customer_q, "groups": _groups_of_customer_filter},
    not_null=frozenset({"id", "has_account", "created_at", "updated_at"}),
)


def _address_q(value: Any) -> Condition | None:
    if not isinstance(value, str):
        return None
    blob = "py_search_blob(" + ", ".join(f"a.{name}" for name in _ADDRESS_SEARCHABLE) + ")"
    return free_text_condition(value, blob)


ADDRESS_SPEC = TableSpec(
    table="customer_address",
    alias="a",
    columns={
        "id": "text",
        "customer_id": "text",
        "address_name": "text",
        "is_default_shipping": "bool",
        "is_default_billing": "bool",
        **dict.fromkeys(ADDRESS_TEXT_FIELDS, "text"),
        "metadata": "json",
        **_TIMES,
    },
    special={"q": _address_q},
)


def _group_customers_filter(value: Any) -> Condition | None:
    if isinstance(value, str | list):
        value = {"id": value}
    if not isinstance(value, dict) or not value:
        return None
    where, params = where_clause(CUSTOMER_SPEC, value)
    return (
        "g.id IN (SELECT m.customer_group_id FROM customer_group_customer m "
        f"JOIN customer c ON c.id = m.customer_id WHERE {where})",
        params,
    )


def _group_q(value: Any) -> Condition | None:
    return free_text_condition(value, "py_search_blob(g.name)") if isinstance(value, str) else None


GROUP_LIST_SPEC = TableSpec(
    table=GROUP_SPEC.table,
    alias=GROUP_SPEC.alias,
    columns=GROUP_SPEC.columns,
    special={"q": _group_q, "customers": _group_customers_filter},
)


# --- rendering -------------------------------------------------------------------------


def render_customer(row: Record) -> dict[str, Any]:
    return {
        "id": row["id"],
        "company_name": row["company_name"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "email": row["email"],
        "phone": row["phone"],
        "metadata": from_json_text(row["metadata"]),
        "has_account": bool(row["has_account"]),
        "created_by": row["created_by"],
        "created_at": printed(row["created_at"]),
        "updated_at": printed(row["updated_at"]),
        "deleted_at": printed(row["deleted_at"]),
    }


def render_address(row: Record) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row["id"], "customer_id": row["customer_id"]}
    for name in ADDRESS_TEXT_FIELDS:
        out[name] = row[name]
    out["is_default_shipping"] = bool(row["is_default_shipping"])
    out["is_default_billing"] = bool(row["is_default_billing"])
    out["metadata"] = from_json_text(row["metadata"])
    for name in ("created_at", "updated_at", "deleted_at"):
        out[name] = printed(row[name])
    return out


def render_group(row: Record) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "metadata": from_json_text(row["metadata"]),
        "created_by": row["created_by"],
        "created_at": printed(row["created_at"]),
        "updated_at": printed(row["updated_at"]),
        "deleted_at": printed(row["deleted_at"]),
    }


def _chunks(items: Sequence[str], size: int = 900) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _attach_customer_relations(
    db: Database, customers: list[dict[str, Any]], relations: set[str]
) -> None:
    if not customers:
        return
    by_id = {c["id"]: c for c in customers}
    ids = list(by_id)
    if "groups" in relations:
        for customer in customers:
            customer["groups"] = []
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for row in db.conn.execute(
                "SELECT m.customer_id AS member_id, g.* FROM customer_group_customer m "
                "JOIN customer_group g ON g.id = m.customer_group_id "
                f"WHERE g.deleted_at IS NULL AND m.customer_id IN ({marks}) ORDER BY g.id",
                chunk,
            ):
                by_id[row["member_id"]]["groups"].append(render_group(row))
    if "addresses" in relations:
        for customer in customers:
            customer["addresses"] = []
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for row in db.conn.execute(
                "SELECT * FROM customer_address "
                f"WHERE deleted_at IS NULL AND customer_id IN ({marks}) ORDER BY id",
                chunk,
            ):
                by_id[row["customer_id"]]["addresses"].append(render_address(row))


def _attach_group_relations(
    db: Database, groups: list[dict[str, Any]], relations: set[str]
) -> None:
    if "customers" not in relations or not groups:
        return
    by_id = {g["id"]: g for g in groups}
    for group in groups:
        group["customers"] = []
    ids = list(by_id)
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for row in db.conn.execute(
            "SELECT m.customer_group_id AS group_id, c.* FROM customer_group_customer m "
            "JOIN customer c ON c.id = m.customer_id "
            f"WHERE c.deleted_at IS NULL AND m.customer_group_id IN ({marks}) ORDER BY c.id",
            chunk,
        ):
            by_id[row["group_id"]]["customers"].append(render_customer(row))


# --- generic list --------------------------------------------------------------------


def _list(
    db: Database,
    spec: TableSpec,
    filters: Mapping[str, Any],
    order: str | None,
    limit: int,
    offset: int,
) -> tuple[list[sqlite3.Row], int]:
    where, params = where_clause(spec, filters)
    ordering = order_clause(spec, order)
    paging, page_params = page_clause(limit, offset)
    source = f'"{spec.table}" {spec.alias}'
    count = int(
        db.conn.execute(f"SELECT count(*) FROM {source} WHERE {where}", params).fetchone()[0]
    )
    if limit == 0:
        return [], count
    rows = db.conn.execute(
        f"SELECT {spec.alias}.* FROM {source} WHERE {where} ORDER BY {ordering} {paging}",
        [*params, *page_params],
    ).fetchall()
    return rows, count


# --- customers -----------------------------------------------------------------------


def list_customers(
    db: Database,
    filters: Mapping[str, Any],
    selection: Selection,
    order: str | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    rows, count = _list(db, CUSTOMER_SPEC, filters, order, limit, offset)
    customers = [render_customer(row) for row in rows]
    _attach_customer_relations(db, customers, selection.relation_names)
    return {
        "customers": [project(c, selection, CUSTOMER_RELATIONS) for c in customers],
        "count": count,
        "offset": offset,
        "limit": limit,
    }


def _live_customer_row(db: Database, customer_id: str) -> dict[str, Any] | None:
    return row_dict(
        db.conn.execute(
            "SELECT * FROM customer WHERE id = ? AND deleted_at IS NULL", (customer_id,)
        ).fetchone()
    )


def get_customer(db: Database, customer_id: str, selection: Selection) -> dict[str, Any] | None:
    row = _live_customer_row(db, customer_id)
    if row is None:
        return None
    customer = render_customer(row)
    _attach_customer_relations(db, [customer], selection.relation_names)
    return project(customer, selection, CUSTOMER_RELATIONS)


def _check_email_free(
    db: Database, email: str | None, has_account: bool, exclude: str = ""
) -> None:
    if email is None:
        return
    taken = db.conn.execute(
        "SELECT 1 FROM customer WHERE email = ? AND has_account = ? AND deleted_at IS NULL "
        "AND id != ?",
        (email, 1 if has_account else 0, exclude),
    ).fetchone()
    if taken:
        flag = "true" if has_account else "false"
        raise invalid_data(f"Customer with email: {email}, has_account: {flag}, already exists.")


def insert_customer(
    db: Database, data: Mapping[str, Any], *, created_by: str | None, has_account: bool
) -> str:
    """Insert one customer (caller holds the transaction); returns its id."""
    _check_email_free(db, data.get("email"), has_account)
    now = db.now()
    customer_id = db.new_id("cus")
    values = {name: data.get(name) for name in CUSTOMER_TEXT_FIELDS}
    db.conn.execute(
        "INSERT INTO customer (id, company_name, first_name, last_name, email, phone, "
        "has_account, metadata, created_by, created_at, updated_at, search_blob) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            customer_id,
            values["company_name"],
            values["first_name"],
            values["last_name"],
            values["email"],
            values["phone"],
            1 if has_account else 0,
            to_json_text(data.get("metadata")),
            created_by,
            now,
            now,
            search_blob([values[name] for name in CUSTOMER_TEXT_FIELDS]),
        ),
    )
    return customer_id


def create_customer(
    db: Database, data: Mapping[str, Any], created_by: str, selection: Selection
) -> dict[str, Any] | None:
    with db.transaction():
        customer_id = insert_customer(db, data, created_by=created_by, has_account=False)
    return get_customer(db, customer_id, selection)


def merge_metadata(current: JsonValue, update: JsonValue) -> JsonValue:
    """Medusa's metadata update: keys merged into the stored object, ``""`` deletes a key."""
    if update is None:
        return None
    merged = dict(current) if isinstance(current, dict) else {}
    for key, value in update.items():
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def update_customer(
    db: Database, customer_id: str, data: Mapping[str, Any], selection: Selection
) -> dict[str, Any]:
    with db.transaction():
        row = _live_customer_row(db, customer_id)
        if row is None:
            raise not_found(f'Customer with id "{customer_id}" not found')
        changes: dict[str, Any] = {}
        for name in CUSTOMER_TEXT_FIELDS:
            if name in data and data[name] != row[name]:
                changes[name] = data[name]
        if "metadata" in data:
            current = from_json_text(row["metadata"])
            metadata = to_json_text(merge_metadata(current, data["metadata"]))
            if metadata != row["metadata"]:
                changes["metadata"] = metadata
        if "email" in changes:
            _check_email_free(db, changes["email"], bool(row["has_account"]), exclude=customer_id)
        # Like MikroORM, an update that changes nothing does not touch updated_at.
        if changes:
            merged = {**row, **changes}
            changes["search_blob"] = search_blob([merged[name] for name in CUSTOMER_TEXT_FIELDS])
            changes["updated_at"] = db.now()
            assignments = ", ".join(f"{name} = ?" for name in changes)
            db.conn.execute(
                f"UPDATE customer SET {assignments} WHERE id = ?", [*changes.values(), customer_id]
            )
    customer = get_customer(db, customer_id, selection)
    assert customer is not None
    return customer


def delete_customer(db: Database, customer_id: str) -> None:
    """Soft delete; addresses follow, group links go, an account's identity is removed."""
    with db.transaction():
        row = _live_customer_row(db, customer_id)
        if row is None:
            return
        now = db.now()
        db.conn.execute(
            "UPDATE customer SET deleted_at = ?, updated_at = ? WHERE id = ?",
            (now, now, customer_id),
        )
        db.conn.execute(
            "UPDATE customer_address SET deleted_at = ?, updated_at = ? "
            "WHERE customer_id = ? AND deleted_at IS NULL",
            (now, now, customer_id),
        )
        db.conn.execute("DELETE FROM customer_group_customer WHERE customer_id = ?", (customer_id,))
        if row["has_account"]:
            db.conn.execute(
                "DELETE FROM auth_identity WHERE json_extract(app_metadata, '$.customer_id') = ?",
                (customer_id,),
            )


def _customer_exists(db: Database, customer_id: str) -> bool:
    # A foreign key sees soft-deleted rows too, and so does Medusa here.
    return (
        db.conn.execute("SELECT 1 FROM customer WHERE id = ?", (customer_id,)).fetchone()
        is not None
    )


def _missing_relation(name: str, value: str) -> Exception:
    return not_found(
        f"You tried to set relationship {name}: {value}, but such entity does not exist"
    )


# --- addresses -----------------------------------------------------------------------


def list_addresses(
    db: Database,
    customer_id: str,
    filters: Mapping[str, Any],
    selection: Selection,
    order: str | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    rows, count = _list(
        db, ADDRESS_SPEC, {**filters, "customer_id": customer_id}, order, limit, offset
    )
    return {
        "addresses": [project(render_address(row), selection, ADDRESS_RELATIONS) for row in rows],
        "count": count,
        "offset": offset,
        "limit": limit,
    }


def get_address(
    db: Database, customer_id: str, address_id: str, selection: Selection
) -> dict[str, Any] | None:
    row = db.conn.execute(
        "SELECT * FROM customer_address WHERE id = ? AND customer_id = ? AND deleted_at IS NULL",
        (address_id, customer_id),
    ).fetchone()
    return None if row is None else project(render_address(row), selection, ADDRESS_RELATIONS)


def _clear_other_defaults(
    db: Database, customer_id: str, address_id: str, flags: Mapping[str, Any], now: str
) -> None:
    for flag in ("is_default_shipping", "is_default_billing"):
        if flags.get(flag) is True:
            db.conn.execute(
                f"UPDATE customer_address SET {flag} = 0, updated_at = ? "
                f"WHERE customer_id = ? AND id != ? AND {flag} = 1 AND deleted_at IS NULL",
                (now, customer_id, address_id),
            )


def insert_address(db: Database, customer_id: str, data: Mapping[str, Any]) -> str:
    now = db.now()
    address_id = db.new_id("cuaddr")
    _clear_other_defaults(db, customer_id, address_id, data, now)
    columns = [
        "id",
        "customer_id",
        *ADDRESS_TEXT_FIELDS,
        "is_default_shipping",
        "is_default_billing",
        "metadata",
        "created_at",
        "updated_at",
    ]
    values = [
        address_id,
        customer_id,
        *(data.get(name) for name in ADDRESS_TEXT_FIELDS),
        1 if data.get("is_default_shipping") else 0,
        1 if data.get("is_default_billing") else 0,
        to_json_text(data.get("metadata")),
        now,
        now,
    ]
    db.conn.execute(
        f"INSERT INTO customer_address ({', '.join(columns)}) "
        f"VALUES ({','.join('?' * len(columns))})",
        values,
    )
    return address_id


def create_address(
    db: Database, customer_id: str, data: Mapping[str, Any], selection: Selection
) -> dict[str, Any] | None:
    with db.transaction():
        if not _customer_exists(db, customer_id):
            raise _missing_relation("customer_id", customer_id)
        insert_address(db, customer_id, data)
    return get_customer(db, customer_id, selection)


def update_address(
    db: Database, customer_id: str, address_id: str, data: Mapping[str, Any], selection: Selection
) -> dict[str, Any] | None:
    with db.transaction():
        row = row_dict(
            db.conn.execute(
                "SELECT * FROM customer_address WHERE id = ? AND customer_id = ? "
                "AND deleted_at IS NULL",
                (address_id, customer_id),
            ).fetchone()
        )
        if row is not None:  # Medusa: an unknown address id updates nothing and still answers 200
            changes: dict[str, Any] = {}
            for name in ADDRESS_TEXT_FIELDS:
                if name in data and data[name] != row[name]:
                    changes[name] = data[name]
            for flag in ("is_default_shipping", "is_default_billing"):
                if flag in data and int(bool(data[flag])) != row[flag]:
                    changes[flag] = 1 if data[flag] else 0
            if "metadata" in data:
                metadata = to_json_text(
                    merge_metadata(from_json_text(row["metadata"]), data["metadata"])
                )
                if metadata != row["metadata"]:
                    changes["metadata"] = metadata
            if changes:
                now = db.now()
                _clear_other_defaults(db, customer_id, address_id, data, now)
                changes["updated_at"] = now
                assignments = ", ".join(f"{name} = ?" for name in changes)
                db.conn.execute(
                    f"UPDATE customer_address SET {assignments} WHERE id = ?",
                    [*changes.values(), address_id],
                )
    return get_customer(db, customer_id, selection)


def delete_address(
    db: Database, customer_id: str, address_id: str, selection: Selection
) -> dict[str, Any] | None:
    with db.transaction():
        # Medusa deletes by address id alone, whichever customer it belongs to. Soft, so
        # orders that reference the address keep showing where they were shipped.
        now = db.now()
        db.conn.execute(
            "UPDATE customer_address SET deleted_at = ?, updated_at = ?, is_default_shipping = 0, "
            "is_default_billing = 0 WHERE id = ? AND deleted_at IS NULL",
            (now, now, address_id),
        )
    return get_customer(db, customer_id, selection)


# --- groups --------------------------------------------------------------------------


def list_groups(
    db: Database,
    filters: Mapping[str, Any],
    selection: Selection,
    order: str | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    rows, count = _list(db, GROUP_LIST_SPEC, filters, order, limit, offset)
    groups = [render_group(row) for row in rows]
    _attach_group_relations(db, groups, selection.relation_names)
    return {
        "customer_groups": [project(g, selection, GROUP_RELATIONS) for g in groups],
        "count": count,
        "offset": offset,
        "limit": limit,
    }


def _live_group_row(db: Database, group_id: str) -> dict[str, Any] | None:
    return row_dict(
        db.conn.execute(
            "SELECT * FROM customer_group WHERE id = ? AND deleted_at IS NULL", (group_id,)
        ).fetchone()
    )


def get_group(db: Database, group_id: str, selection: Selection) -> dict[str, Any] | None:
    row = _live_group_row(db, group_id)
    if row is None:
        return None
    group = render_group(row)
    _attach_group_relations(db, [group], selection.relation_names)
    return project(group, selection, GROUP_RELATIONS)


def _check_group_name_free(db: Database, name: str, exclude: str = "") -> None:
    taken = db.conn.execute(
        "SELECT 1 FROM customer_group WHERE name = ? AND deleted_at IS NULL AND id != ?",
        (name, exclude),
    ).fetchone()
    if taken:
        raise invalid_data(f"Customer group with name: {name}, already exists.")


def insert_group(db: Database, name: str, metadata: JsonValue, created_by: str | None) -> str:
    _check_group_name_free(db, name)
    now = db.now()
    group_id = db.new_id("cusgroup")
    db.conn.execute(
        "INSERT INTO customer_group (id, name, metadata, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (group_id, name, to_json_text(metadata), created_by, now, now),
    )
    return group_id


def create_group(
    db: Database, data: Mapping[str, Any], created_by: str, selection: Selection
) -> dict[str, Any] | None:
    with db.transaction():
        group_id = insert_group(db, data["name"], data.get("metadata"), created_by)
    return get_group(db, group_id, selection)


def update_group(
    db: Database, group_id: str, data: Mapping[str, Any], selection: Selection
) -> dict[str, Any] | None:
    with db.transaction():
        row = _live_group_row(db, group_id)
        if row is None:
            raise not_found(f'Customer group with id "{group_id}" not found')
        changes: dict[str, Any] = {}
        if "name" in data and data["name"] != row["name"]:
            _check_group_name_free(db, data["name"], exclude=group_id)
            changes["name"] = data["name"]
        if "metadata" in data:
            metadata = to_json_text(
                merge_metadata(from_json_text(row["metadata"]), data["metadata"])
            )
            if metadata != row["metadata"]:
                changes["metadata"] = metadata
        if changes:
            changes["updated_at"] = db.now()
            assignments = ", ".join(f"{name} = ?" for name in changes)
            db.conn.execute(
                f"UPDATE customer_group SET {assignments} WHERE id = ?",
                [*changes.values(), group_id],
            )
    return get_group(db, group_id, selection)


def delete_group(db: Database, group_id: str) -> None:
    with db.transaction():
        now = db.now()
        db.conn.execute(
            "UPDATE customer_group SET deleted_at = ?, updated_at = ? "
            "WHERE id = ? AND deleted_at IS NULL",
            (now, now, group_id),
        )
        db.conn.execute(
            "DELETE FROM customer_group_customer WHERE customer_group_id = ?", (group_id,)
        )


def _link(
    db: Database,
    pairs: Iterable[tuple[str, str]],
    unlink: Iterable[tuple[str, str]],
    created_by: str | None,
) -> None:
    """Add/remove (customer_id, group_id) links; customer updated_at is untouched, as in Medusa."""
    now = db.now()
    for customer_id, group_id in pairs:
        if not _customer_exists(db, customer_id):
            raise _missing_relation("customer_id", customer_id)
        if (
            db.conn.execute("SELECT 1 FROM customer_group WHERE id = ?", (group_id,)).fetchone()
            is None
        ):
            raise _missing_relation("customer_group_id", group_id)
        db.conn.execute(
            "INSERT OR IGNORE INTO customer_group_customer "
            "(id, customer_id, customer_group_id, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
            (db.new_id("cusgc"), customer_id, group_id, created_by, now),
        )
    for customer_id, group_id in unlink:
        db.conn.execute(
            "DELETE FROM customer_group_customer WHERE customer_id = ? AND customer_group_id = ?",
            (customer_id, group_id),
        )


def link_group_customers(
    db: Database,
    group_id: str,
    add: Sequence[str],
    remove: Sequence[str],
    created_by: str,
    selection: Selection,
) -> dict[str, Any] | None:
    with db.transaction():
        _link(db, [(c, group_id) for c in add], [(c, group_id) for c in remove], created_by)
    return get_group(db, group_id, selection)


def link_customer_groups(
    db: Database,
    customer_id: str,
    add: Sequence[str],
    remove: Sequence[str],
    created_by: str,
    selection: Selection,
) -> dict[str, Any] | None:
    with db.transaction():
        _link(db, [(customer_id, g) for g in add], [(customer_id, g) for g in remove], created_by)
    return get_customer(db, customer_id, selection)
