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
_V1_SORT_INDEXES = [
    f"CREATE INDEX customer_by_{col} ON customer(({col} IS NULL), {col}, id)"
    for col in ("email", "first_name", "last_name", "phone", "company")
] + [
    f"CREATE INDEX customer_by_{col} ON customer({col}, id)"
    for col in ("has_account", "created_at", "updated_at")
]
# Schema 1.0 indexed each lowered field apart; kept verbatim, as migrations replay history.
_V1_FTS_COLUMNS = "k_first_name, k_last_name, k_email, k_phone, k_company, k_phone_digits"
_V1_TRIGGERS = [
    f"""CREATE TRIGGER customer_ai AFTER INSERT ON customer BEGIN
        INSERT INTO customer_fts(rowid, {_V1_FTS_COLUMNS})
        VALUES (new.rid, {_V1_FTS_COLUMNS.replace("k_", "new.k_")});
    END""",
    f"""CREATE TRIGGER customer_ad AFTER DELETE ON customer BEGIN
        INSERT INTO customer_fts(customer_fts, rowid, {_V1_FTS_COLUMNS})
        VALUES ('delete', old.rid, {_V1_FTS_COLUMNS.replace("k_", "old.k_")});
    END""",
    f"""CREATE TRIGGER customer_au AFTER UPDATE OF {_V1_FTS_COLUMNS} ON customer BEGIN
        INSERT INTO customer_fts(customer_fts, rowid, {_V1_FTS_COLUMNS})
        VALUES ('delete', old.rid, {_V1_FTS_COLUMNS.replace("k_", "old.k_")});
        INSERT INTO customer_fts(rowid, {_V1_FTS_COLUMNS})
        VALUES (new.rid, {_V1_FTS_COLUMNS.replace("k_", "new.k_")});
    END""",
]

# Since 2.0 the searchable fields live in one column, `k_text` (see
# `app.mirror.text.search_text`): one trigram phrase per token, one `instr` per row.
# Covers a scan of the search text alone: counting a one- or two-letter term (the
# trigram index cannot) reads this index, a fraction of the table.
_TEXT_INDEX = "CREATE INDEX IF NOT EXISTS customer_by_text ON customer(k_text, k_phone_digits)"
# Since 3.0 names sort by their collation keys (`app.mirror.collation.name_key`).
_NAME_SORT_INDEXES = [
    f"CREATE INDEX IF NOT EXISTS customer_by_{col} ON customer(({key} IS NULL), {key}, id)"
    for col, key in (("first_name", "k_first_sort"), ("last_name", "k_last_sort"))
]
# IF NOT EXISTS: a mirror migrated in the middle of its first bulk load already has them
# when `end_bulk` creates them.
_SORT_INDEXES = [
    *(
        f"CREATE INDEX IF NOT EXISTS customer_by_{col} ON customer(({col} IS NULL), {col}, id)"
        for col in ("email", "phone", "company")
    ),
    *(
        f"CREATE INDEX IF NOT EXISTS customer_by_{col} ON customer({col}, id)"
        for col in ("has_account", "created_at", "updated_at")
    ),
    *_NAME_SORT_INDEXES,
    _TEXT_INDEX,
]
# Since 4.0 the list sorts and filters by order figures (`app.mirror.order_figures`);
# the keys are NOT NULL (a customer without orders has 0), so one index serves each sort.
_FIGURE_INDEXES = [
    f"CREATE INDEX IF NOT EXISTS customer_by_{name} ON customer({col}, id)"
    for name, col in (("orders", "o_count"), ("spent", "o_spent"), ("last_order", "o_last_at"))
]

# Kept apart: the first full mirror drops them and builds them once at the end, which is
# several times faster than maintaining them row by row (`BulkLoad.begin_bulk`).
CUSTOMER_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS customer_ai AFTER INSERT ON customer BEGIN
        INSERT INTO customer_fts(rowid, k_text, k_phone_digits)
        VALUES (new.rid, new.k_text, new.k_phone_digits);
    END""",
    """CREATE TRIGGER IF NOT EXISTS customer_ad AFTER DELETE ON customer BEGIN
        INSERT INTO customer_fts(customer_fts, rowid, k_text, k_phone_digits)
        VALUES ('delete', old.rid, old.k_text, old.k_phone_digits);
    END""",
    # Only when a searchable field changes: metadata or generation updates skip the index.
    """CREATE TRIGGER IF NOT EXISTS customer_au AFTER UPDATE OF k_text, k_phone_digits
        ON customer BEGIN
        INSERT INTO customer_fts(customer_fts, rowid, k_text, k_phone_digits)
        VALUES ('delete', old.rid, old.k_text, old.k_phone_digits);
        INSERT INTO customer_fts(rowid, k_text, k_phone_digits)
        VALUES (new.rid, new.k_text, new.k_phone_digits);
    END""",
]
# Since 4.1 the default order (id) is walked with the search text at hand: a search's
# first page scans this index alone, a row's text tested without a table lookup (0.2 us
# a row at 1,000,000 customers, where the lookup costs 0.5-1.4 us).
_ID_TEXT_INDEX = (
    "CREATE INDEX IF NOT EXISTS customer_by_id_text ON customer(id, k_text, k_phone_digits)"
)
SORT_INDEXES = [*_SORT_INDEXES, *_FIGURE_INDEXES, _ID_TEXT_INDEX]
FIGURE_INDEXES = _FIGURE_INDEXES
# Kept apart like the customer indexes: the first full order pass drops them and builds
# them once at the end (`OrderRows.begin_order_bulk`).
ORDER_INDEXES = [
    "CREATE INDEX IF NOT EXISTS orders_by_customer ON orders(customer_id, created_at)",
]

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
    f"""CREATE VIRTUAL TABLE customer_fts USING fts5(
        {_V1_FTS_COLUMNS},
        content='customer', content_rowid='rid', tokenize='trigram case_sensitive 1',
        detail='full'
    )""",
    *_V1_TRIGGERS,
    *_V1_SORT_INDEXES,
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


def _joined(columns: str) -> str:
    return " || char(31) || ".join(f"coalesce({c}, '')" for c in columns.split(", "))


# 2.0: one search text per customer. Major: a 1.0 app writing rows
# into this schema would leave the search index stale, so it must refuse the file.
V2_0 = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in ("customer_ai", "customer_ad", "customer_au")),
    "DROP TABLE customer_fts",
    "ALTER TABLE customer ADD COLUMN k_text TEXT NOT NULL DEFAULT ''",
    f"UPDATE customer SET k_text = {_joined(_V1_FTS_COLUMNS.rsplit(', ', 1)[0])}",
    *(
        f"ALTER TABLE customer DROP COLUMN {column}"
        for column in _V1_FTS_COLUMNS.rsplit(", ", 1)[0].split(", ")
    ),
    """CREATE VIRTUAL TABLE customer_fts USING fts5(
        k_text, k_phone_digits,
        content='customer', content_rowid='rid', tokenize='trigram case_sensitive 1',
        detail='full'
    )""",
    "INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')",
    *CUSTOMER_TRIGGERS,
    _TEXT_INDEX,
]

# 3.0: the search text holds the folded forms of the fields (`app.mirror.text.search_text`)
# and names sort by collation keys. Computed by the functions `db.connect` registers, as
# this app computes them for new rows. Major: a 2.0 app would write unfolded text and no
# sort keys, so it must refuse the file.
V3_0 = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in ("customer_ai", "customer_ad", "customer_au")),
    "ALTER TABLE customer ADD COLUMN k_first_sort TEXT",
    "ALTER TABLE customer ADD COLUMN k_last_sort TEXT",
    "UPDATE customer SET "
    "k_text = search_text(first_name, last_name, email, phone, company), "
    "k_first_sort = name_key(first_name, last_name), "
    "k_last_sort = name_key(last_name, first_name)",
    "INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')",
    *CUSTOMER_TRIGGERS,
    "DROP INDEX IF EXISTS customer_by_first_name",
    "DROP INDEX IF EXISTS customer_by_last_name",
    *_NAME_SORT_INDEXES,
]

# 3.1: staff notes per customer (`app.mirror.note_rows`): the store's notes as last read
# (readable offline) and, for stores with no place for them, the only copy. Additive: a
# 3.0 app ignores the table.
V3_1 = [
    """CREATE TABLE IF NOT EXISTS customer_note (
        customer_id TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (customer_id, id)
    ) WITHOUT ROWID""",
]

# 3.2: what happened to customers through this desk (`app.domain.activity`): writes the
# store accepted, tokens issued, order status transitions the mirror noticed. Minor: an
# older 3.x app simply does not record or read it.
V3_2 = [
    """CREATE TABLE IF NOT EXISTS activity (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        customer_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        at INTEGER NOT NULL,
        data TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS activity_by_customer ON activity(customer_id, at, seq)",
]

# 4.0: every order summary of the store (`orders`, absorbing the per-customer
# `order_summary` copies) and per-customer order figures. Amounts are kept exactly as
# decimal text; `*_units` hold them in millionths for sums, sorts and filters.
# Major: a 3.0 app would keep writing `order_summary`, and its customer upserts would
# leave the figure columns of new rows unset.
V4_0 = [
    """CREATE TABLE orders (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        customer_id TEXT,
        display_number TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER,
        status TEXT NOT NULL,
        payment_status TEXT,
        fulfillment_status TEXT,
        currency TEXT NOT NULL,
        total TEXT NOT NULL,
        refunded TEXT,
        total_units INTEGER NOT NULL,
        refunded_units INTEGER NOT NULL DEFAULT 0,
        item_count INTEGER,
        cancelled INTEGER NOT NULL DEFAULT 0,
        listed INTEGER NOT NULL DEFAULT 0,
        generation INTEGER NOT NULL DEFAULT 0
    )""",
    # A 3.0 file's per-customer copies move over as they are (not `listed`: read from a
    # customer's history, not from the store-wide listing).
    """INSERT OR IGNORE INTO orders(id, customer_id, display_number, created_at,
        updated_at, status, payment_status, fulfillment_status, currency, total, refunded,
        total_units, refunded_units, item_count, cancelled)
        SELECT id, customer_id, json_extract(data, '$.display_number'),
            micros(json_extract(data, '$.created_at')),
            micros(json_extract(data, '$.updated_at')),
            json_extract(data, '$.status'), json_extract(data, '$.payment_status'),
            json_extract(data, '$.fulfillment_status'),
            upper(json_extract(data, '$.total.currency')),
            json_extract(data, '$.total.amount'), json_extract(data, '$.refunded.amount'),
            amount_units(json_extract(data, '$.total.amount')),
            amount_units(json_extract(data, '$.refunded.amount')),
            json_extract(data, '$.item_count'),
            coalesce(json_extract(data, '$.cancelled'), 0)
        FROM order_summary""",
    "DROP TABLE order_summary",
    *ORDER_INDEXES,
    """CREATE TABLE order_figures (
        customer_id TEXT NOT NULL,
        currency TEXT NOT NULL,
        order_count INTEGER NOT NULL,
        cancelled_count INTEGER NOT NULL,
        spent TEXT NOT NULL,
        refunded TEXT NOT NULL,
        first_order_at INTEGER,
        last_order_at INTEGER,
        PRIMARY KEY (customer_id, currency)
    ) WITHOUT ROWID""",
    # The list row's figures: orders and dates over every currency, spent in the main one.
    "ALTER TABLE customer ADD COLUMN o_count INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE customer ADD COLUMN o_spent INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE customer ADD COLUMN o_spent_text TEXT",
    "ALTER TABLE customer ADD COLUMN o_last_at INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE customer ADD COLUMN o_first_at INTEGER NOT NULL DEFAULT 0",
    *_FIGURE_INDEXES,
    # The moved orders' figures are summed exactly in Python (`db.connect`).
    "INSERT INTO meta(key, value) VALUES ('orders.refigure', '1')",
]

# 4.1: the default order's index with the search text (`_ID_TEXT_INDEX`). Minor: an
# index only; a 4.0 app ignores it and SQLite keeps it current.
V4_1 = [_ID_TEXT_INDEX]

MIGRATIONS: dict[Version, list[str]] = {
    Version(1, 0): V1_0,
    Version(2, 0): V2_0,
    Version(3, 0): V3_0,
    Version(3, 1): V3_1,
    Version(3, 2): V3_2,
    Version(4, 0): V4_0,
    Version(4, 1): V4_1,
}
CURRENT = max(MIGRATIONS)
