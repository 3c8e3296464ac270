"""`MirrorRepository`: the mirror's reads and writes, on one sqlite3 connection.

Every method runs on the store's worker thread (see `MirrorStore`). Writes that belong
together (a page of customers and the sync cursor after it) share one transaction, so a
crash leaves the database at a page boundary.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import JsonValue, TypeAdapter

from app.cache import text
from app.cache.schema import CUSTOMER_TRIGGERS, SORT_INDEXES
from app.domain.customer import Address, Customer, CustomerGroup, CustomerSummary
from app.domain.order import OrderDetail, OrderSummary
from app.domain.query import CustomerQuery, DateRange, Page, SortField

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICRO = timedelta(microseconds=1)
TOKEN_PREFIX = "mirror:"
_METADATA = TypeAdapter(dict[str, JsonValue])

# Sort column per field; the nullable ones sort NULLs as PostgreSQL does (last ascending).
_NULLABLE = frozenset(
    {SortField.EMAIL, SortField.FIRST_NAME, SortField.LAST_NAME, SortField.PHONE, SortField.COMPANY}
)
_SUMMARY_COLUMNS = (
    "c.id, c.email, c.first_name, c.last_name, c.phone, c.company, c.has_account, "
    "c.created_at, c.updated_at"
)


def to_micros(moment: datetime) -> int:
    return (moment - EPOCH) // MICRO


def from_micros(value: int) -> datetime:
    return EPOCH + timedelta(microseconds=value)


def _bound(moment: datetime) -> int:
    # The adapter sends bounds with millisecond precision, truncated: compare the same.
    micros = to_micros(moment)
    return micros - micros % 1000


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    seq: int
    key: str
    kind: str
    customer_id: str
    address_id: str | None
    patch: dict[str, Any]
    base: dict[str, Any]
    state: str
    detail: str | None
    created_at: datetime


def _search_values(c: CustomerSummary) -> tuple[str | None, ...]:
    return (
        text.lowered(c.first_name),
        text.lowered(c.last_name),
        text.lowered(c.email),
        text.lowered(c.phone),
        text.lowered(c.company),
        text.phone_digits(c.phone),
    )


class MirrorRepository:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA optimize")
        self.conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- meta --------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, values: dict[str, str | None]) -> None:
        with self.transaction():
            self._set_meta(values)

    def _set_meta(self, values: dict[str, str | None]) -> None:
        for key, value in values.items():
            if value is None:
                self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                self.conn.execute(
                    "INSERT INTO meta(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    def generation(self) -> int:
        return int(self.meta("sync.generation") or 0)

    # --- bulk loading ------------------------------------------------------------------

    def begin_bulk(self) -> None:
        """Before filling an empty mirror: no search index or sort indexes until the end."""
        with self.transaction():
            for name in ("customer_ai", "customer_ad", "customer_au"):
                self.conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            for (name,) in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'customer_by_%'"
            ).fetchall():
                self.conn.execute(f"DROP INDEX {name}")
            self._set_meta({"bulk": "1"})

    def end_bulk(self) -> None:
        """Build the search index and the sort indexes over everything loaded."""
        if self.meta("bulk") is None:
            return
        with self.transaction():
            self.conn.execute("INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')")
            for statement in (*CUSTOMER_TRIGGERS, *SORT_INDEXES):
                self.conn.execute(statement)
            self._set_meta({"bulk": None})
        self.conn.execute("PRAGMA optimize")

    # --- customer writes ---------------------------------------------------------------

    def upsert_customers(
        self,
        customers: Sequence[Customer],
        *,
        meta: dict[str, str | None] | None = None,
        now: datetime | None = None,
    ) -> None:
        """Store full customers (addresses, groups, metadata) and, atomically, `meta`."""
        fetched = to_micros(now or datetime.now(UTC))
        with self.transaction():
            generation = self.generation()
            self._upsert_rows(customers, generation, fetched, detail=True)
            ids = [(c.id,) for c in customers]
            self.conn.executemany("DELETE FROM address WHERE customer_id = ?", ids)
            self.conn.executemany(
                "INSERT OR REPLACE INTO address(id, customer_id, data) VALUES (?, ?, ?)",
                [(a.id, c.id, a.model_dump_json()) for c in customers for a in c.addresses],
            )
            self._replace_groups_of(customers)
            if meta:
                self._set_meta(meta)

    def upsert_summaries(
        self, summaries: Sequence[CustomerSummary], *, now: datetime | None = None
    ) -> None:
        """Store list rows; a known customer keeps its metadata and addresses."""
        fetched = to_micros(now or datetime.now(UTC))
        with self.transaction():
            self._upsert_rows(summaries, self.generation(), fetched, detail=False)
            self._replace_groups_of(summaries)

    def _upsert_rows(
        self, rows: Sequence[CustomerSummary], generation: int, fetched: int, *, detail: bool
    ) -> None:
        values = [
            (
                c.id,
                c.email,
                c.first_name,
                c.last_name,
                c.phone,
                c.company,
                int(c.has_account),
                to_micros(c.created_at),
                to_micros(c.updated_at),
                json.dumps(c.metadata) if isinstance(c, Customer) else "{}",
                int(detail),
                generation,
                fetched,
                *_search_values(c),
            )
            for c in rows
        ]
        keep = "" if detail else ", metadata = customer.metadata, detail = customer.detail"
        self.conn.executemany(
            "INSERT INTO customer(id, email, first_name, last_name, phone, company, "
            "has_account, created_at, updated_at, metadata, detail, generation, fetched_at, "
            "k_first_name, k_last_name, k_email, k_phone, k_company, k_phone_digits) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET email = excluded.email, "
            "first_name = excluded.first_name, last_name = excluded.last_name, "
            "phone = excluded.phone, company = excluded.company, "
            "has_account = excluded.has_account, created_at = excluded.created_at, "
            "updated_at = excluded.updated_at, metadata = excluded.metadata, "
            "detail = excluded.detail, generation = excluded.generation, "
            "fetched_at = excluded.fetched_at, k_first_name = excluded.k_first_name, "
            "k_last_name = excluded.k_last_name, k_email = excluded.k_email, "
            "k_phone = excluded.k_phone, k_company = excluded.k_company, "
            "k_phone_digits = excluded.k_phone_digits" + keep,
            values,
        )

    def _replace_groups_of(self, rows: Sequence[CustomerSummary]) -> None:
        self.conn.executemany(
            "DELETE FROM group_member WHERE customer_id = ?", [(c.id,) for c in rows]
        )
        self.conn.executemany(
            "INSERT OR REPLACE INTO group_member(customer_id, group_id, group_name) "
            "VALUES (?, ?, ?)",
            [(c.id, g.id, g.name) for c in rows for g in c.groups],
        )

    def delete_customers(self, ids: Iterable[str]) -> int:
        keys = [(i,) for i in ids]
        with self.transaction():
            return self._delete(keys)

    def _delete(self, keys: list[tuple[str]]) -> int:
        before = self.conn.total_changes
        self.conn.executemany("DELETE FROM customer WHERE id = ?", keys)
        deleted = self.conn.total_changes - before
        self.conn.executemany("DELETE FROM address WHERE customer_id = ?", keys)
        self.conn.executemany("DELETE FROM group_member WHERE customer_id = ?", keys)
        self.conn.executemany("DELETE FROM order_summary WHERE customer_id = ?", keys)
        return deleted

    def delete_unseen(self, generation: int, meta: dict[str, str | None]) -> list[str]:
        """Drop customers a completed full pass did not see (deleted on the server)."""
        with self.transaction():
            ids = [
                str(r[0])
                for r in self.conn.execute(
                    "SELECT id FROM customer WHERE generation < ?", (generation,)
                )
            ]
            self._delete([(i,) for i in ids])
            self._set_meta(meta)
        return ids

    def delete_missing(self, present: set[str], fetched_before: datetime) -> list[str]:
        """Drop customers absent from a complete id listing, unless stored after it began."""
        cutoff = to_micros(fetched_before)
        with self.transaction():
            ids = [
                str(r[0])
                for r in self.conn.execute("SELECT id, fetched_at FROM customer")
                if r[0] not in present and r[1] < cutoff
            ]
            self._delete([(i,) for i in ids])
        return ids

    def summary_fingerprints(self) -> dict[str, tuple[Any, ...]]:
        """id -> comparable summary values (the sweep compares the server's list with it)."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for cid, gid, name in self.conn.execute(
            "SELECT customer_id, group_id, group_name FROM group_member"
        ):
            groups.setdefault(cid, []).append((gid, name))
        out: dict[str, tuple[Any, ...]] = {}
        for row in self.conn.execute(f"SELECT {_SUMMARY_COLUMNS} FROM customer c"):
            out[row[0]] = (*row[1:], tuple(sorted(groups.get(row[0], ()))))
        return out

    @staticmethod
    def fingerprint(c: CustomerSummary) -> tuple[Any, ...]:
        return (
            c.email,
            c.first_name,
            c.last_name,
            c.phone,
            c.company,
            int(c.has_account),
            to_micros(c.created_at),
            to_micros(c.updated_at),
            tuple(sorted((g.id, g.name) for g in c.groups)),
        )

    # --- customer reads ----------------------------------------------------------------

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM customer").fetchone()[0])

    def ids(self) -> list[str]:
        return [str(r[0]) for r in self.conn.execute("SELECT id FROM customer ORDER BY id")]

    def get_customer(self, customer_id: str) -> Customer | None:
        row = self.conn.execute(
            f"SELECT {_SUMMARY_COLUMNS}, c.metadata FROM customer c WHERE c.id = ?",
            (customer_id,),
        ).fetchone()
        if row is None:
            return None
        summary = self._summaries([row[:-1]])[0]
        return Customer(
            **dict(summary),
            metadata=_METADATA.validate_json(row[-1]),
            addresses=tuple(self.addresses(customer_id)),
        )

    def has_detail(self, customer_id: str) -> bool:
        row = self.conn.execute(
            "SELECT detail FROM customer WHERE id = ?", (customer_id,)
        ).fetchone()
        return bool(row and row[0])

    def _summaries(self, rows: Sequence[Sequence[Any]]) -> list[CustomerSummary]:
        groups: dict[str, list[CustomerGroup]] = {}
        if rows:
            marks = ",".join("?" * len(rows))
            for cid, gid, name in self.conn.execute(
                "SELECT customer_id, group_id, group_name FROM group_member "
                f"WHERE customer_id IN ({marks}) ORDER BY group_name, group_id",
                [r[0] for r in rows],
            ):
                groups.setdefault(cid, []).append(CustomerGroup(id=gid, name=name))
        return [
            CustomerSummary(
                id=r[0],
                email=r[1],
                first_name=r[2],
                last_name=r[3],
                phone=r[4],
                company=r[5],
                has_account=bool(r[6]),
                groups=tuple(groups.get(r[0], ())),
                created_at=from_micros(r[7]),
                updated_at=from_micros(r[8]),
            )
            for r in rows
        ]

    def search(
        self, query: CustomerQuery, page_token: str | None = None, *, count: bool = True
    ) -> Page[CustomerSummary]:
        """One page of `query`, with the backend's matching and order, exact keyset paging.

        The first page carries the total when `count` is true; a desk asks for the page
        without it and for `count_matches()` afterwards, so rows show before a broad term
        is counted.
        """
        where, params = _filters(query, use_fts=False)
        field, desc = query.sort.field, query.sort.descending
        after = _decode_token(page_token)
        page_where: list[str] = []
        page_params: list[Any] = []
        if after is not None:
            clause, values = _keyset(field, desc, after)
            page_where.append(clause)
            page_params.extend(values)
        rows = self._page_by_scan(query, where, params, page_where, page_params)
        if rows is None:
            fts_where, fts_params = _filters(query, use_fts=True)
            sql_where = " AND ".join([*fts_where, *page_where]) or "1"
            rows = self.conn.execute(
                f"SELECT {_SUMMARY_COLUMNS}, {_sort_column(field)} FROM customer c "
                f"WHERE {sql_where} ORDER BY {_order(field, desc)} LIMIT ?",
                [*fts_params, *page_params, query.page_size + 1],
            ).fetchall()
        more = len(rows) > query.page_size
        rows = rows[: query.page_size]
        total = self.count_matches(query) if page_token is None and count else None
        next_token = None
        if more and rows:
            last = rows[-1]
            next_token = TOKEN_PREFIX + json.dumps([last[-1], last[0]])
        return Page(
            items=tuple(self._summaries([r[:-1] for r in rows])),
            total=total,
            next_token=next_token,
        )

    def _page_by_scan(
        self,
        query: CustomerQuery,
        where: list[str],
        params: list[Any],
        page_where: list[str],
        page_params: list[Any],
    ) -> list[Any] | None:
        """The page from the next SCAN_WINDOW rows in sort order, if they hold a whole page.

        A common term ("gmail") matches densely: walking the sort index and testing each
        row finds a page within a few hundred rows, where the trigram index would first
        collect every one of its 30,000 matches. A rare term falls through to the index
        (None). The window is a prefix in sort order, so a full page found in it is
        exactly the first page overall.
        """
        if not query.text.strip():
            return None  # no text: the plain filtered query is already an index walk
        field, desc = query.sort.field, query.sort.descending
        text_where = [w for w in where if w.startswith(_TEXT_MARK)]
        other_where = [w for w in where if not w.startswith(_TEXT_MARK)]
        text_params = params[: _text_param_count(query.text)]
        other_params = params[len(text_params) :]
        window_where = " AND ".join([*other_where, *page_where]) or "1"
        rows = self.conn.execute(
            f"SELECT {_SUMMARY_COLUMNS}, {_sort_column(field)} FROM customer c "
            f"WHERE c.rid IN (SELECT c.rid FROM customer c WHERE {window_where} "
            f"ORDER BY {_order(field, desc)} LIMIT {SCAN_WINDOW}) "
            f"AND {' AND '.join(text_where)} ORDER BY {_order(field, desc)} LIMIT ?",
            [*other_params, *page_params, *text_params, query.page_size + 1],
        ).fetchall()
        return rows if len(rows) > query.page_size else None

    def count_matches(self, query: CustomerQuery) -> int:
        where, params = _filters(query, use_fts=True)
        return int(
            self.conn.execute(
                f"SELECT count(*) FROM customer c WHERE {' AND '.join(where) or '1'}", params
            ).fetchone()[0]
        )

    # --- groups, addresses, orders -----------------------------------------------------

    def replace_groups(self, groups: Sequence[CustomerGroup]) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM customer_group")
            self.conn.executemany(
                "INSERT INTO customer_group(id, name) VALUES (?, ?)",
                [(g.id, g.name) for g in groups],
            )

    def groups(self) -> list[CustomerGroup]:
        rows = self.conn.execute("SELECT id, name FROM customer_group").fetchall()
        groups = [CustomerGroup(id=r[0], name=r[1]) for r in rows]
        return sorted(groups, key=lambda g: g.name.casefold())

    def addresses(self, customer_id: str) -> list[Address]:
        rows = self.conn.execute(
            "SELECT data FROM address WHERE customer_id = ? ORDER BY id", (customer_id,)
        )
        return [Address.model_validate_json(r[0]) for r in rows]

    def put_address(self, address: Address, customer_id: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO address(id, customer_id, data) VALUES (?, ?, ?)",
                (address.id, customer_id, address.model_dump_json()),
            )

    def replace_addresses(self, customer_id: str, addresses: Sequence[Address]) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM address WHERE customer_id = ?", (customer_id,))
            self.conn.executemany(
                "INSERT OR REPLACE INTO address(id, customer_id, data) VALUES (?, ?, ?)",
                [(a.id, customer_id, a.model_dump_json()) for a in addresses],
            )

    def delete_address(self, address_id: str) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM address WHERE id = ?", (address_id,))

    def put_orders(self, customer_id: str, orders: Sequence[OrderSummary], *, first: bool) -> None:
        with self.transaction():
            if first:  # the first page answers afresh: forget what the store dropped
                self.conn.execute("DELETE FROM order_summary WHERE customer_id = ?", (customer_id,))
            self.conn.executemany(
                "INSERT OR REPLACE INTO order_summary(id, customer_id, data) VALUES (?, ?, ?)",
                [(o.id, customer_id, o.model_dump_json()) for o in orders],
            )

    def orders(self, customer_id: str) -> list[OrderSummary]:
        rows = self.conn.execute(
            "SELECT data FROM order_summary WHERE customer_id = ? ORDER BY id DESC",
            (customer_id,),
        )
        return [OrderSummary.model_validate_json(r[0]) for r in rows]

    def put_order_detail(self, order: OrderDetail) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO order_detail(id, data) VALUES (?, ?)",
                (order.id, order.model_dump_json()),
            )

    def order_detail(self, order_id: str) -> OrderDetail | None:
        row = self.conn.execute(
            "SELECT data FROM order_detail WHERE id = ?", (order_id,)
        ).fetchone()
        return None if row is None else OrderDetail.model_validate_json(row[0])

    # --- outbox ------------------------------------------------------------------------

    def outbox_add(
        self,
        key: str,
        kind: str,
        customer_id: str,
        address_id: str | None,
        patch: dict[str, Any],
        base: dict[str, Any],
    ) -> int:
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO outbox(key, kind, customer_id, address_id, patch, base, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    kind,
                    customer_id,
                    address_id,
                    json.dumps(patch),
                    json.dumps(base),
                    to_micros(datetime.now(UTC)),
                ),
            )
            return int(cur.lastrowid or 0)

    def outbox(self, states: Sequence[str] = ("pending", "conflict")) -> list[OutboxEntry]:
        marks = ",".join("?" * len(states))
        rows = self.conn.execute(
            "SELECT seq, key, kind, customer_id, address_id, patch, base, state, detail, "
            f"created_at FROM outbox WHERE state IN ({marks}) ORDER BY seq",
            list(states),
        )
        return [
            OutboxEntry(
                seq=r[0],
                key=r[1],
                kind=r[2],
                customer_id=r[3],
                address_id=r[4],
                patch=json.loads(r[5]),
                base=json.loads(r[6]),
                state=r[7],
                detail=r[8],
                created_at=from_micros(r[9]),
            )
            for r in rows
        ]

    def outbox_set_state(self, seq: int, state: str, detail: str | None = None) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE outbox SET state = ?, detail = ? WHERE seq = ?", (state, detail, seq)
            )

    # --- drafts ------------------------------------------------------------------------

    def put_draft(self, key: str, data: dict[str, Any]) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO draft(key, data, saved_at) VALUES (?, ?, ?)",
                (key, json.dumps(data), to_micros(datetime.now(UTC))),
            )

    def drafts(self) -> dict[str, dict[str, Any]]:
        rows = self.conn.execute("SELECT key, data FROM draft ORDER BY saved_at")
        return {str(r[0]): json.loads(r[1]) for r in rows}

    def delete_draft(self, key: str) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM draft WHERE key = ?", (key,))


# --- query building ----------------------------------------------------------------------


def _sort_column(field: SortField) -> str:
    return f"c.{field.value}"


def _order(field: SortField, desc: bool) -> str:
    d = "DESC" if desc else "ASC"
    col = _sort_column(field)
    if field is SortField.ID:
        return f"c.id {d}"
    if field in _NULLABLE:
        # PostgreSQL: NULLs last ascending, first descending; the id breaks ties.
        return f"({col} IS NULL) {d}, {col} {d}, c.id {d}"
    return f"{col} {d}, c.id {d}"


def _decode_token(token: str | None) -> tuple[Any, str] | None:
    if not token:
        return None
    if not token.startswith(TOKEN_PREFIX):
        raise ValueError(f"not a mirror page token: {token!r}")
    value, last_id = json.loads(token[len(TOKEN_PREFIX) :])
    return value, str(last_id)


def _keyset(field: SortField, desc: bool, after: tuple[Any, str]) -> tuple[str, list[Any]]:
    """Rows strictly after `after` (the last row's sort value and id) in `_order`."""
    value, last_id = after
    op = "<" if desc else ">"
    col = _sort_column(field)
    if field is SortField.ID:
        return f"c.id {op} ?", [last_id]
    if field not in _NULLABLE:
        return f"({col}, c.id) {op} (?, ?)", [value, last_id]
    if value is None:
        if desc:  # NULLs come first descending: the rest of the NULLs, then every value
            return f"({col} IS NOT NULL OR c.id < ?)", [last_id]
        return f"({col} IS NULL AND c.id > ?)", [last_id]
    if desc:
        return f"({col} IS NOT NULL AND ({col}, c.id) < (?, ?))", [value, last_id]
    return f"({col} IS NULL OR ({col}, c.id) > (?, ?))", [value, last_id]


def _range(column: str, span: DateRange) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if span.start is not None:
        where.append(f"{column} >= ?")
        params.append(_bound(span.start))
    if span.end is not None:
        where.append(f"{column} < ?")
        params.append(_bound(span.end))
    return where, params


def _filters(query: CustomerQuery, *, use_fts: bool = True) -> tuple[list[str], list[Any]]:
    """WHERE clauses and parameters; the text clause (if any) comes first, marked."""
    where: list[str] = []
    params: list[Any] = []
    text_clause = _text_condition(query.text, use_fts=use_fts)
    if text_clause is not None:
        where.append(_TEXT_MARK + text_clause[0])
        params.extend(text_clause[1])
    if query.has_account is not None:
        where.append("c.has_account = ?")
        params.append(int(query.has_account))
    if query.group_ids:
        marks = ",".join("?" * len(query.group_ids))
        where.append(f"c.id IN (SELECT customer_id FROM group_member WHERE group_id IN ({marks}))")
        params.extend(sorted(query.group_ids))
    if query.email:
        where.append("c.email = ?")
        params.append(query.email)
    for column, span in (("c.created_at", query.created), ("c.updated_at", query.updated)):
        w, p = _range(column, span)
        where.extend(w)
        params.extend(p)
    return where, params


_FTS_COLUMNS = "{" + " ".join(text.SEARCH_COLUMNS) + "}"


# Rows of the sort order tested one by one before the trigram index is asked instead.
SCAN_WINDOW = 1000  # measured at 100k customers: the best of 1,000 / 2,000 / 4,000
# Marks the text clause among the WHERE clauses (an SQL comment: harmless in the query).
_TEXT_MARK = "/*text*/ "


def _text_param_count(query_text: str) -> int:
    clause = _text_condition(query_text, use_fts=False)
    return 0 if clause is None else len(clause[1])


def _text_condition(query_text: str, *, use_fts: bool = True) -> tuple[str, list[Any]] | None:
    """Every token must match one search column (substring, lowered); see app.cache.text.

    With `use_fts`, tokens of three or more characters go through the trigram index;
    otherwise each is a substring test on the row, cheap when rows are tested in order
    and a page is found early.
    """
    words = text.tokens(query_text)
    if not words:
        return None
    clauses: list[str] = []
    params: list[Any] = []
    phrases: list[str] = []
    for token in words:
        if text.has_like_specials(token):
            cols = ", ".join(f"c.{col}" for col in text.SEARCH_COLUMNS)
            clauses.append(f"like_any(?, {cols})")
            params.append(f"%{token}%")
        elif len(token) >= 3 and use_fts:
            phrases.append(text.fts_phrase(token))
        else:
            # Trigram MATCH finds nothing below three characters: a substring scan.
            clauses.append(
                "(" + " OR ".join(f"instr(c.{col}, ?) > 0" for col in text.SEARCH_COLUMNS) + ")"
            )
            params.extend([token] * len(text.SEARCH_COLUMNS))
    if phrases:
        clauses.insert(0, "c.rid IN (SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?)")
        params.insert(0, f"{_FTS_COLUMNS} : ({' AND '.join(phrases)})")
    condition = " AND ".join(clauses)
    digits = text.phone_query_digits(query_text)
    if digits is not None and use_fts:
        condition = (
            f"(({condition}) OR c.rid IN (SELECT rowid FROM customer_fts "
            "WHERE customer_fts MATCH ?))"
        )
        params.append(f"{{k_phone_digits}} : {text.fts_phrase(digits)}")
    elif digits is not None:
        condition = f"(({condition}) OR instr(c.k_phone_digits, ?) > 0)"
        params.append(digits)
    return condition, params
