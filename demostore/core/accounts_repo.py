"""Auth identities (customer e-mail/password), notifications, API keys and sales channels."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from demostore.core.clock import printed
from demostore.core.customers_repo import get_customer, insert_customer
from demostore.core.database import (
    Database,
    Record,
    from_json_text,
    redact,
    row_dict,
    to_json_text,
)
from demostore.core.errors import ErrorKind, MedusaError, invalid_data
from demostore.core.fields import RelationSpec, Selection, field_names, parse_fields, project
from demostore.core.passwords import hash_password, verify_password
from demostore.core.sqlfilters import TableSpec, order_clause, page_clause, where_clause

STORE_CUSTOMER_FIELDS = field_names(
    "id email company_name first_name last_name phone metadata has_account deleted_at "
    "created_at updated_at *addresses"
)
NOTIFICATION_FIELDS = field_names(
    "id to channel template data trigger_type resource_id resource_type receiver_id "
    "created_at updated_at"
)

NOTIFICATION_SPEC = TableSpec(
    table="notification",
    alias="n",
    columns={
        "id": "text",
        "to": "text",
        "channel": "text",
        "template": "text",
        "created_at": "time",
        "updated_at": "time",
    },
    soft_delete=False,
)


def _unauthorized(message: str) -> MedusaError:
    return MedusaError(ErrorKind.UNAUTHORIZED, message)


def _identity_by_email(db: Database, email: str) -> dict[str, Any] | None:
    return row_dict(
        db.conn.execute("SELECT * FROM auth_identity WHERE entity_id = ?", (email,)).fetchone()
    )


def register_identity(db: Database, email: str, password: str) -> dict[str, Any]:
    """emailpass ``register``: a new identity, or the same one again if nothing is attached yet."""
    existing = _identity_by_email(db, email)
    if existing is not None:
        unattached = not json.loads(existing["app_metadata"])
        if unattached and verify_password(password, existing["password_hash"]):
            return existing
        raise _unauthorized("Identity with email already exists")
    password_hash = hash_password(password)
    with db.transaction():
        now = db.now()
        identity_id = db.new_id("authid")
        db.conn.execute(
            "INSERT INTO auth_identity (id, entity_id, password_hash, app_metadata, created_at, "
            "updated_at) VALUES (?, ?, ?, '{}', ?, ?)",
            (identity_id, email, password_hash, now, now),
        )
    identity = _identity_by_email(db, email)
    assert identity is not None
    return identity


def authenticate_identity(db: Database, email: str, password: str) -> dict[str, Any]:
    identity = _identity_by_email(db, email)
    if identity is None or not verify_password(password, identity["password_hash"]):
        raise _unauthorized("Invalid email or password")
    return identity


def identity_app_metadata(identity: Mapping[str, Any]) -> dict[str, Any]:
    value = json.loads(identity["app_metadata"])
    return value if isinstance(value, dict) else {}


def create_customer_account(
    db: Database, auth_identity_id: str, data: Mapping[str, Any]
) -> dict[str, Any] | None:
    """``POST /store/customers``: a customer with ``has_account: true`` bound to the identity."""
    email = data.get("email")
    if not email:
        raise invalid_data("Email is required to create a customer")
    with db.transaction():
        existing = db.conn.execute(
            "SELECT has_account FROM customer WHERE email = ? AND deleted_at IS NULL", (email,)
        ).fetchall()
        if any(row["has_account"] for row in existing):
            raise MedusaError(
                ErrorKind.DUPLICATE_ERROR, "Customer with this email already has an account"
            )
        customer_id = insert_customer(db, data, created_by=None, has_account=True)
        db.conn.execute(
            "UPDATE auth_identity SET app_metadata = json_set(app_metadata, '$.customer_id', ?), "
            "updated_at = ? WHERE id = ?",
            (customer_id, db.now(), auth_identity_id),
        )
    return get_customer(db, customer_id, parse_fields(None, STORE_CUSTOMER_FIELDS))


# --- password reset ------------------------------------------------------------------

TokenMaker = Callable[[str], tuple[str, str]]
"""Given an identifier, returns (reset JWT, its jti)."""


def _jti_hash(jti: str) -> str:
    return hashlib.sha256(jti.encode()).hexdigest()


def request_password_reset(db: Database, identifier: str, make_token: TokenMaker) -> None:
    """Record a ``password-reset`` e-mail notification if the identity exists.

    Nothing happens (and nothing is said) for unknown identifiers: no account enumeration.
    """
    identity = _identity_by_email(db, identifier)
    if identity is None:
        return
    token, jti = make_token(identifier)
    notification_id = db.new_id("noti")
    with db.transaction():
        now = db.now()
        # Only a hash of the jti is kept; issuing a new token invalidates the previous one.
        db.conn.execute(
            "UPDATE auth_identity SET reset_jti_hash = ?, updated_at = ? WHERE id = ?",
            (_jti_hash(jti), now, identity["id"]),
        )
        db.conn.execute(
            'INSERT INTO notification (id, "to", channel, template, data, created_at, updated_at) '
            "VALUES (?, ?, 'email', 'password-reset', ?, ?, ?)",
            (
                notification_id,
                identifier,
                # Never the token in clear: it stays in the process's mailbox only.
                to_json_text(
                    {**db.seal(notification_id, {"token": token}), "actor_type": "customer"}
                    | {"metadata": {}}
                ),
                now,
                now,
            ),
        )


def update_password(db: Database, identifier: str, jti: str, password: str) -> bool:
    """Consume a reset token (by jti) and set a new password; False when the token is stale."""
    identity = _identity_by_email(db, identifier)
    if identity is None or identity["reset_jti_hash"] != _jti_hash(jti):
        return False
    password_hash = hash_password(password)
    with db.transaction():
        db.conn.execute(
            "UPDATE auth_identity SET password_hash = ?, reset_jti_hash = NULL, updated_at = ? "
            "WHERE id = ?",
            (password_hash, db.now(), identity["id"]),
        )
    return True


# --- notifications -------------------------------------------------------------------


def list_notifications(
    db: Database, filters: Mapping[str, Any], order: str | None, limit: int, offset: int
) -> dict[str, Any]:
    where, params = where_clause(NOTIFICATION_SPEC, filters)
    ordering = order_clause(NOTIFICATION_SPEC, order, default="-created_at")
    paging, page_params = page_clause(limit, offset)
    count = int(
        db.conn.execute(f"SELECT count(*) FROM notification n WHERE {where}", params).fetchone()[0]
    )
    rows = (
        db.conn.execute(
            f"SELECT n.* FROM notification n WHERE {where} ORDER BY {ordering} {paging}",
            [*params, *page_params],
        ).fetchall()
        if limit
        else []
    )
    notifications = [
        {
            "id": row["id"],
            "to": row["to"],
            "channel": row["channel"],
            "template": row["template"],
            "data": db.unseal(row["id"], from_json_text(row["data"])),
            "trigger_type": row["trigger_type"],
            "resource_id": row["resource_id"],
            "resource_type": row["resource_type"],
            "receiver_id": row["receiver_id"],
            "created_at": printed(row["created_at"]),
            "updated_at": printed(row["updated_at"]),
        }
        for row in rows
    ]
    return {"notifications": notifications, "count": count, "offset": offset, "limit": limit}


# --- API keys and sales channels -------------------------------------------------------


def publishable_key_is_valid(db: Database, token: str) -> bool:
    row = db.conn.execute(
        "SELECT 1 FROM api_key WHERE token = ? AND type = 'publishable' AND revoked_at IS NULL",
        (token,),
    ).fetchone()
    return row is not None


def _secret_digest(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode()).hexdigest()


def secret_key_id(db: Database, token: str) -> str | None:
    """Id of the unrevoked secret API key with this token, if any."""
    row = db.conn.execute(
        "SELECT id FROM api_key WHERE token = ? AND type = 'secret' AND revoked_at IS NULL",
        (_secret_digest(token),),
    ).fetchone()
    return None if row is None else str(row[0])


API_KEY_FIELDS = field_names(
    "id title token redacted type last_used_at updated_at created_at created_by "
    "revoked_at revoked_by *sales_channels"
)


def _render_key(row: Record, token: str) -> dict[str, Any]:
    return {
        "id": row["id"],
        "title": row["title"],
        "token": token,
        "redacted": row["redacted"],
        "type": row["type"],
        "last_used_at": None,
        "created_by": row["created_by"],
        "revoked_by": None,
        "revoked_at": printed(row["revoked_at"]),
        "created_at": printed(row["created_at"]),
        "updated_at": printed(row["updated_at"]),
        "deleted_at": None,
    }


def create_api_key(db: Database, title: str, key_type: str, created_by: str) -> dict[str, Any]:
    """A new key; a secret key's token is returned this once and stored only as a digest."""
    prefix = "sk_" if key_type == "secret" else "pk_"
    token = prefix + secrets.token_hex(32)
    stored = _secret_digest(token) if key_type == "secret" else token
    with db.transaction():
        now = db.now()
        key_id = db.new_id("apk")
        db.conn.execute(
            "INSERT INTO api_key (id, title, token, redacted, type, created_by, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (key_id, title, stored, redact(token), key_type, created_by, now, now),
        )
    row = db.conn.execute("SELECT * FROM api_key WHERE id = ?", (key_id,)).fetchone()
    return _render_key(row, token)


def list_api_keys(
    db: Database, key_type: str | None, selection: Selection, limit: int, offset: int
) -> dict[str, Any]:
    where, params = "1", []
    if key_type is not None:
        where, params = "k.type = ?", [key_type]
    count = int(
        db.conn.execute(f"SELECT count(*) FROM api_key k WHERE {where}", params).fetchone()[0]
    )
    rows = db.conn.execute(
        f"SELECT k.*, s.name AS channel_name FROM api_key k "
        f"LEFT JOIN sales_channel s ON s.id = k.sales_channel_id WHERE {where} "
        "ORDER BY k.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    keys = []
    for row in rows:
        # Secret tokens are never listed (Medusa prints ""), publishable ones are.
        key = _render_key(row, "" if row["type"] == "secret" else row["token"])
        del key["deleted_at"]
        channel = row["sales_channel_id"]
        key["sales_channels"] = [{"id": channel, "name": row["channel_name"]}] if channel else []
        keys.append(key)
    relations = {"sales_channels": RelationSpec(("id", "name"))}
    keys = [project(key, selection, relations) for key in keys]
    return {"api_keys": keys, "count": count, "offset": offset, "limit": limit}


def list_sales_channels(db: Database, limit: int, offset: int) -> dict[str, Any]:
    count = int(
        db.conn.execute("SELECT count(*) FROM sales_channel WHERE deleted_at IS NULL").fetchone()[0]
    )
    rows = db.conn.execute(
        "SELECT * FROM sales_channel WHERE deleted_at IS NULL ORDER BY id LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    channels = [
        {
            "id": row["id"],
            "name": row["name"],
            "description": row["description"],
            "is_disabled": bool(row["is_disabled"]),
            "created_at": printed(row["created_at"]),
            "updated_at": printed(row["updated_at"]),
            "deleted_at": None,
            "metadata": from_json_text(row["metadata"]),
        }
        for row in rows
    ]
    return {"sales_channels": channels, "count": count, "offset": offset, "limit": limit}
