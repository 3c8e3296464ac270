"""The mirror's schema and its forward migrations.

`PRAGMA user_version` holds `major * 1000 + minor`. A newer minor is readable by this
version (additive changes only); a newer major is refused. A migration is a list of SQL
statements taking the previous version to its own; they run in one transaction.
Kept as Python strings so a frozen app needs no package data.
"""

from __future__ import annotations

from typing import NamedTuple


class Version(NamedTuple):
    major: int
    minor: int

    @classmethod
    def decode(cls, value: int) -> Version:
        return cls(value // 1000, value % 1000)

    def encode(self) -> int:
        return self.major * 1000 + self.minor

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


# Nullable text columns sort as PostgreSQL does: an index on (col IS NULL, col, id) serves
# both the sort and the keyset paging of the mirror's list.
_SORT_INDEXES = [
    f"CREATE INDEX customer_by_{col} ON customer(({col} IS NULL), {col}, id)"
    for col in ("email", "first_name", "last_name", "phone", "company")
] + [
    f"CREATE INDEX customer_by_{col} ON customer({col}, id)"
    for col in ("has_account", "created_at", "updated_at")
]

# Kept apart: the first full mirror drops them and builds them once at the end, which is
# several times faster than maintaining them row by row (`MirrorRepository.begin_bulk`).
CUSTOMER_TRIGGERS = [
    """CREATE TRIGGER customer_ai AFTER INSERT ON customer BEGIN
        INSERT INTO customer_fts(rowid, k_first_name, k_last_name, k_email, k_phone,
            k_company, k_phone_digits)
        VALUES (new.rid, new.k_first_name, new.k_last_name, new.k_email, new.k_phone,
            new.k_company, new.k_phone_digits);
    END""",
    """CREATE TRIGGER customer_ad AFTER DELETE ON customer BEGIN
        INSERT INTO customer_fts(customer_fts, rowid, k_first_name, k_last_name, k_email,
            k_phone, k_company, k_phone_digits)
        VALUES ('delete', old.rid, old.k_first_name, old.k_last_name, old.k_email,
            old.k_phone, old.k_company, old.k_phone_digits);
    END""",
    # Only when a searchable field changes: metadata or generation updates skip the index.
    """CREATE TRIGGER customer_au AFTER UPDATE OF k_first_name, k_last_name, k_email,
        k_phone, k_company, k_phone_digits ON customer BEGIN
        INSERT INTO customer_fts(customer_fts, rowid, k_first_name, k_last_name, k_email,
            k_phone, k_company, k_phone_digits)
        VALUES ('delete', old.rid, old.k_first_name, old.k_last_name, old.k_email,
            old.k_phone, old.k_company, old.k_phone_digits);
        INSERT INTO customer_fts(rowid, k_first_name, k_last_name, k_email, k_phone,
            k_company, k_phone_digits)
        VALUES (new.rid, new.k_first_name, new.k_last_name, new.k_email, new.k_phone,
            new.k_company, new.k_phone_digits);
    END""",
]
SORT_INDEXES = _SORT_INDEXES

V1_0 = [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    # Times are integer microseconds since the epoch, UTC: exact, sortable, comparable.
    # k_* hold the lowered search fields (PostgreSQL lower()), indexed by customer_fts.
    """CREATE TABLE customer (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        email TEXT, first_name TEXT, last_name TEXT, phone TEXT, company TEXT,
        has_account INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        metadata TEXT NOT NULL DEFAULT '{}',
        detail INTEGER NOT NULL DEFAULT 0,
        generation INTEGER NOT NULL DEFAULT 0,
        fetched_at INTEGER NOT NULL,
        k_first_name TEXT, k_last_name TEXT, k_email TEXT, k_phone TEXT, k_company TEXT,
        k_phone_digits TEXT
    )""",
    """CREATE VIRTUAL TABLE customer_fts USING fts5(
        k_first_name, k_last_name, k_email, k_phone, k_company, k_phone_digits,
        content='customer', content_rowid='rid', tokenize='trigram case_sensitive 1',
        detail='full'
    )""",
    *CUSTOMER_TRIGGERS,
    *_SORT_INDEXES,
    "CREATE TABLE customer_group (id TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID",
    """CREATE TABLE group_member (
        customer_id TEXT NOT NULL, group_id TEXT NOT NULL, group_name TEXT NOT NULL,
        PRIMARY KEY (customer_id, group_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX group_member_by_group ON group_member(group_id, customer_id)",
    """CREATE TABLE address (
        id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, data TEXT NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX address_by_customer ON address(customer_id)",
    """CREATE TABLE order_summary (
        id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, data TEXT NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX order_summary_by_customer ON order_summary(customer_id, id)",
    "CREATE TABLE order_detail (id TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID",
    # Edits made offline, replayed in `seq` order once the backend is back.
    """CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        address_id TEXT,
        patch TEXT NOT NULL,
        base TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        detail TEXT,
        created_at INTEGER NOT NULL
    )""",
    "CREATE TABLE draft (key TEXT PRIMARY KEY, data TEXT NOT NULL, saved_at INTEGER NOT NULL)",
]

MIGRATIONS: dict[Version, list[str]] = {Version(1, 0): V1_0}
CURRENT = max(MIGRATIONS)
