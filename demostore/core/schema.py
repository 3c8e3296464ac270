"""SQLite schema of the demo store, versioned with ``PRAGMA user_version``."""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 1

_V1 = """
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE customer (
    id TEXT PRIMARY KEY,
    company_name TEXT,
    first_name TEXT,
    last_name TEXT,
    email TEXT,
    phone TEXT,
    has_account INTEGER NOT NULL DEFAULT 0,
    metadata TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    -- lower-cased searchable fields joined by U+001F, for fast ILIKE-style q search
    search_blob TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX customer_email_account_unique
    ON customer (email, has_account) WHERE deleted_at IS NULL;
CREATE INDEX customer_email ON customer (email);
-- Sort indexes in the exact shape of the ORDER BY that sqlfilters.order_clause emits
-- (PostgreSQL NULL placement plus id as tie-breaker): first pages come straight off them.
CREATE INDEX customer_sort_updated_at ON customer (updated_at, id);
CREATE INDEX customer_sort_created_at ON customer (created_at, id);
CREATE INDEX customer_sort_email ON customer ((email IS NULL), email, id);
CREATE INDEX customer_sort_first_name ON customer ((first_name IS NULL), first_name, id);
CREATE INDEX customer_sort_last_name ON customer ((last_name IS NULL), last_name, id);
CREATE INDEX customer_sort_company_name ON customer ((company_name IS NULL), company_name, id);

CREATE TABLE customer_address (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer (id),
    address_name TEXT,
    is_default_shipping INTEGER NOT NULL DEFAULT 0,
    is_default_billing INTEGER NOT NULL DEFAULT 0,
    company TEXT,
    first_name TEXT,
    last_name TEXT,
    address_1 TEXT,
    address_2 TEXT,
    city TEXT,
    country_code TEXT,
    province TEXT,
    postal_code TEXT,
    phone TEXT,
    metadata TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX customer_address_customer ON customer_address (customer_id);
CREATE UNIQUE INDEX customer_address_default_shipping
    ON customer_address (customer_id) WHERE is_default_shipping = 1 AND deleted_at IS NULL;
CREATE UNIQUE INDEX customer_address_default_billing
    ON customer_address (customer_id) WHERE is_default_billing = 1 AND deleted_at IS NULL;

CREATE TABLE customer_group (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    metadata TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX customer_group_name_unique ON customer_group (name) WHERE deleted_at IS NULL;

CREATE TABLE customer_group_customer (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer (id),
    customer_group_id TEXT NOT NULL REFERENCES customer_group (id),
    created_by TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (customer_group_id, customer_id)
);
CREATE INDEX customer_group_customer_customer ON customer_group_customer (customer_id);

CREATE TABLE region (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    currency_code TEXT NOT NULL,
    automatic_taxes INTEGER NOT NULL DEFAULT 1,
    metadata TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);

CREATE TABLE region_country (
    iso_2 TEXT PRIMARY KEY,
    region_id TEXT NOT NULL REFERENCES region (id),
    updated_at TEXT NOT NULL
);

CREATE TABLE sales_channel (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT,
    is_disabled INTEGER NOT NULL DEFAULT 0,
    metadata TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);

-- Secret keys keep only a SHA-256 of the token (shown once, on creation), like Medusa.
CREATE TABLE api_key (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    redacted TEXT NOT NULL DEFAULT '',
    type TEXT NOT NULL,
    sales_channel_id TEXT,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    revoked_at TEXT
);

-- Orders and draft orders share a table, as in Medusa (``is_draft_order``).
-- Addresses are either a JSON snapshot (orders made over HTTP) or, for generated
-- orders, a reference to the customer address they were shipped to: that keeps a
-- 100k-customer demo database small. Prices are decimal strings in major units.
CREATE TABLE "order" (
    id TEXT PRIMARY KEY,
    display_id INTEGER NOT NULL UNIQUE,
    status TEXT NOT NULL,
    is_draft_order INTEGER NOT NULL DEFAULT 0,
    payment_status TEXT NOT NULL DEFAULT 'not_paid',
    fulfillment_status TEXT NOT NULL DEFAULT 'not_fulfilled',
    region_id TEXT,
    sales_channel_id TEXT,
    customer_id TEXT,
    email TEXT,
    currency_code TEXT NOT NULL,
    tax_rate TEXT NOT NULL DEFAULT '0',
    shipping_subtotal TEXT NOT NULL DEFAULT '0',
    shipping_address TEXT,
    billing_address TEXT,
    shipping_address_ref TEXT,
    billing_address_ref TEXT,
    metadata TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX order_customer ON "order" (customer_id, is_draft_order);

CREATE TABLE order_line_item (
    order_id TEXT NOT NULL REFERENCES "order" (id),
    id TEXT NOT NULL,
    title TEXT,
    variant_sku TEXT,
    unit_price TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    discount_total TEXT NOT NULL DEFAULT '0',
    fulfilled_quantity INTEGER NOT NULL DEFAULT 0,
    shipped_quantity INTEGER NOT NULL DEFAULT 0,
    delivered_quantity INTEGER NOT NULL DEFAULT 0,
    metadata TEXT,
    PRIMARY KEY (order_id, id)
) WITHOUT ROWID;

CREATE TABLE auth_identity (
    id TEXT PRIMARY KEY,
    entity_id TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    app_metadata TEXT NOT NULL DEFAULT '{}',
    reset_jti_hash TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE notification (
    id TEXT PRIMARY KEY,
    "to" TEXT NOT NULL,
    channel TEXT NOT NULL,
    template TEXT,
    data TEXT,
    trigger_type TEXT,
    resource_id TEXT,
    resource_type TEXT,
    receiver_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX notification_to ON notification ("to", channel);
"""

_MIGRATIONS: dict[int, str] = {1: _V1}


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the database to ``SCHEMA_VERSION``; refuses databases from a newer version."""
    (current,) = conn.execute("PRAGMA user_version").fetchone()
    if current > SCHEMA_VERSION:
        raise RuntimeError(
            f"demo store schema {current} is newer than this build ({SCHEMA_VERSION})"
        )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        # One script, one transaction: a crash leaves the previous version intact.
        conn.executescript(
            f"BEGIN;\n{_MIGRATIONS[version]}\nPRAGMA user_version = {version};\nCOMMIT;"
        )
