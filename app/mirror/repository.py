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
from datetime import UTC, datetime
from typing import Any

from pydantic import JsonValue, TypeAdapter

from app.domain.customer import Address, Customer, CustomerGroup, CustomerSummary
from app.domain.order import OrderDetail, OrderSummary
from app.domain.query import CustomerQuery, Page
from app.mirror import collation, text
from app.mirror import search_sql as sql
from app.mirror.schema import CUSTOMER_TRIGGERS, SORT_INDEXES
from app.mirror.search_sql import SUMMARY_COLUMNS, from_micros, to_micros

_METADATA = TypeAdapter(dict[str, JsonValue])
_HITS = "SELECT rid FROM temp.hits"
# Addresses read to guess the store's country: a few milliseconds at any size.
COUNTRY_SAMPLE = 5000
_ORDERS_KNOWN = "orders_known:"  # meta key prefix, + customer id


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
        text.search_text(c.first_name, c.last_name, c.email, c.phone, c.company),
        text.phone_digits(c.phone),
        collation.name_key(c.first_name, c.last_name),
        collation.name_key(c.last_name, c.first_name),
    )


class MirrorRepository:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # The trigram matches of the last search are kept in temp.hits (made by
        # `db.connect`), so a page and its count evaluate the expression once. Any write
        # forgets them.
        self._hits: tuple[str, int] | None = None  # (expression, how many)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA optimize")
        self.conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self._hits = None
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            # SQLite may have rolled back already (a full disk, an I/O error): the
            # original error is the one to report, not "no transaction is active".
            with contextlib.suppress(sqlite3.Error):
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
        keep_addresses: bool = False,
    ) -> None:
        """Store full customers (addresses, groups, metadata) and, atomically, `meta`.

        `keep_addresses`: the customers come from a listing without addresses (Elastic
        Path's): the addresses already mirrored stay as they are."""
        fetched = to_micros(now or datetime.now(UTC))
        with self.transaction():
            generation = self.generation()
            self._upsert_rows(customers, generation, fetched, detail=True)
            if not keep_addresses:
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
            "k_text, k_phone_digits, k_first_sort, k_last_sort) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET email = excluded.email, "
            "first_name = excluded.first_name, last_name = excluded.last_name, "
            "phone = excluded.phone, company = excluded.company, "
            "has_account = excluded.has_account, created_at = excluded.created_at, "
            "updated_at = excluded.updated_at, metadata = excluded.metadata, "
            "detail = excluded.detail, generation = excluded.generation, "
            "fetched_at = excluded.fetched_at, k_text = excluded.k_text, "
            "k_phone_digits = excluded.k_phone_digits, k_first_sort = excluded.k_first_sort, "
            "k_last_sort = excluded.k_last_sort" + keep,
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
        return {row[0]: (*row[1:-1], groups) for row, groups in self._fingerprint_rows()}

    def detail_fingerprints(self) -> dict[str, tuple[Any, ...]]:
        """id -> summary values plus metadata and addresses (a detailed sweep compares)."""
        addresses: dict[str, list[str]] = {}
        for cid, data in self.conn.execute("SELECT customer_id, data FROM address"):
            addresses.setdefault(cid, []).append(data)
        return {
            row[0]: (
                *row[1:-1],
                groups,
                json.dumps(json.loads(row[-1]), sort_keys=True),
                tuple(sorted(addresses.get(row[0], ()))),
            )
            for row, groups in self._fingerprint_rows()
        }

    def _fingerprint_rows(self) -> Iterator[tuple[Any, tuple[tuple[str, str], ...]]]:
        """Every customer's summary columns and metadata, with its sorted groups."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for cid, gid, name in self.conn.execute(
            "SELECT customer_id, group_id, group_name FROM group_member"
        ):
            groups.setdefault(cid, []).append((gid, name))
        for row in self.conn.execute(f"SELECT {SUMMARY_COLUMNS}, c.metadata FROM customer c"):
            yield row, tuple(sorted(groups.get(row[0], ())))

    @staticmethod
    def detail_fingerprint(c: Customer) -> tuple[Any, ...]:
        return (
            *MirrorRepository.fingerprint(c),
            json.dumps(c.metadata, sort_keys=True),
            tuple(sorted(a.model_dump_json() for a in c.addresses)),
        )

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
            f"SELECT {SUMMARY_COLUMNS}, c.metadata FROM customer c WHERE c.id = ?",
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
        self,
        query: CustomerQuery,
        page_token: str | None = None,
        *,
        count: bool = True,
        phone_region: str | None = None,
    ) -> Page[CustomerSummary]:
        """One page of `query`, with the backend's matching and order, exact keyset paging.

        The first page carries the total when it comes free (a free-text search the
        trigram index answers alone) or when `count` is true; a desk asks for the page
        without it and for `count_matches()` afterwards, so rows show before a broad term
        is counted. `phone_region` is the store's country, for phone numbers typed in
        national form.
        """
        field, desc = query.sort.field, query.sort.descending
        where, params = sql.filters(query)
        filtered = bool(where)
        after = sql.decode_token(page_token)
        if after is not None:
            clause, values = sql.keyset(field, desc, after)
            where.append(clause)
            params.extend(values)
        match = sql.text_match(query.text, phone_region)
        total: int | None = None
        if match is None:
            rows = self._page(query, where, params)
        else:
            probe = None
            if match.fts is not None and sql.PROBE_WINDOW > 0:
                probe = self._scan_window(query, match, where, params, sql.PROBE_WINDOW)
            if probe is not None:
                rows = probe
            else:
                matches = None if match.fts is None else self._collect_hits(match.fts)
                if matches == 0:
                    return Page(items=(), total=None if page_token else 0, next_token=None)
                if match.exact and not filtered and page_token is None:
                    total = matches
                rows = self._text_page(query, match, matches, where, params)
        more = len(rows) > query.page_size
        rows = rows[: query.page_size]
        if total is None and page_token is None and count:
            total = self.count_matches(query, phone_region)
        last = rows[-1] if more and rows else None
        return Page(
            items=tuple(self._summaries([r[:-1] for r in rows])),
            total=total,
            next_token=None if last is None else sql.encode_token(last[-1], last[0]),
        )

    def _page(self, query: CustomerQuery, where: Sequence[str], params: Sequence[Any]) -> list[Any]:
        field, desc = query.sort.field, query.sort.descending
        return self.conn.execute(
            f"SELECT {SUMMARY_COLUMNS}, {sql.sort_column(field)} FROM customer c "
            f"WHERE {' AND '.join(where) or '1'} ORDER BY {sql.order(field, desc)} LIMIT ?",
            [*params, query.page_size + 1],
        ).fetchall()

    def _text_page(
        self,
        query: CustomerQuery,
        match: sql.TextMatch,
        matches: int | None,
        where: list[str],
        params: list[Any],
    ) -> list[Any]:
        strategy = sql.Strategy.SCAN  # without a trigram expression only a scan answers
        if match.fts is not None and matches is not None:
            strategy = sql.plan(matches, self._row_estimate(), query.page_size)
        if strategy is sql.Strategy.SCAN:
            return self._page(query, [match.condition, *where], [*match.params, *params])
        # A unary `+` keeps SQLite from looking rows up by the hits: it walks the sort
        # index instead and tests membership (WALK); COLLECT looks up and sorts.
        member = "+c.rid" if strategy is sql.Strategy.WALK else "c.rid"
        refine = [] if match.exact else [match.condition]
        return self._page(
            query,
            [f"{member} IN ({_HITS})", *refine, *where],
            [*([] if match.exact else match.params), *params],
        )

    def _scan_window(
        self,
        query: CustomerQuery,
        match: sql.TextMatch,
        where: Sequence[str],
        params: Sequence[Any],
        window: int,
    ) -> list[Any] | None:
        """The page from the next `window` rows in sort order, if they hold a whole page.

        The window is a prefix of the sort order, so a full page found in it is exactly
        the page overall; otherwise None. SQLite runs the window as a co-routine walking
        the sort index: rows are tested as they come and the walk stops with the page,
        so a dense term costs a few hundred rows, not the window.
        """
        field, desc = query.sort.field, query.sort.descending
        columns = SUMMARY_COLUMNS.replace("c.", "")
        rows = self.conn.execute(
            f"SELECT {columns}, sort_value FROM ("
            f"SELECT {SUMMARY_COLUMNS}, {sql.sort_column(field)} AS sort_value, c.k_text, "
            f"c.k_phone_digits FROM customer c WHERE {' AND '.join(where) or '1'} "
            f"ORDER BY {sql.order(field, desc)} LIMIT {int(window)}"
            f") AS c WHERE {match.condition} LIMIT ?",  # no ORDER BY: the window's order
            [*params, *match.params, query.page_size + 1],
        ).fetchall()
        return rows if len(rows) > query.page_size else None

    def _collect_hits(self, expression: str) -> int:
        """Put the rows matching the trigram `expression` in temp.hits; how many."""
        if self._hits is not None and self._hits[0] == expression:
            return self._hits[1]
        self._hits = None
        self.conn.execute("DELETE FROM temp.hits")
        cursor = self.conn.execute(
            "INSERT INTO temp.hits(rid) SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?",
            (expression,),
        )
        self._hits = (expression, cursor.rowcount)
        return cursor.rowcount

    def _fts_count(self, match: sql.TextMatch) -> int:
        """How many rows the exact trigram expression matches, the cheaper way.

        Counting inside the index never touches a customer row, but a phrase costs about
        its trigrams' doclists: "@bulk.ex" in a store where every email has that domain
        reads 6 x 100,000 postings (~18 ms), where a scan of the narrow text index reads
        each row once (~9 ms). A sample of rows tells which term is which.
        """
        assert match.fts is not None
        if self._hits is not None and self._hits[0] == match.fts:
            return self._hits[1]
        rows = self._row_estimate()
        sample = self.conn.execute(
            f"SELECT count(*) FROM (SELECT c.k_text, c.k_phone_digits FROM customer c "
            f"ORDER BY c.rid LIMIT {sql.COUNT_SAMPLE}) AS c WHERE {match.condition}",
            match.params,
        ).fetchone()[0]
        if sql.count_by_scan(match, sample / sql.COUNT_SAMPLE * rows, rows):
            return self._count_where([match.condition], list(match.params))
        return int(
            self.conn.execute(
                "SELECT count(*) FROM customer_fts WHERE customer_fts MATCH ?", (match.fts,)
            ).fetchone()[0]
        )

    def _row_estimate(self) -> int:
        # The largest rowid: an upper bound on the rows, found in one index step (count(*)
        # would walk a whole index). Deletions only skew the plan's cost guesses a little.
        return int(self.conn.execute("SELECT coalesce(max(rid), 0) FROM customer").fetchone()[0])

    def count_matches(self, query: CustomerQuery, phone_region: str | None = None) -> int:
        where, params = sql.filters(query)
        match = sql.text_match(query.text, phone_region)
        if match is not None and match.fts is not None:
            if match.exact and not where:
                return self._fts_count(match)
            hits = self._collect_hits(match.fts)
            if not where and sql.refine_by_scan(hits, self._row_estimate()):
                return self._count_where([match.condition], list(match.params))
            refine = [] if match.exact else [match.condition]
            where = [f"c.rid IN ({_HITS})", *refine, *where]
            params = [*([] if match.exact else match.params), *params]
        elif match is not None:
            # One- or two-letter tokens: a scan (of the narrow customer_by_text index alone
            # when nothing else is filtered).
            where = [match.condition, *where]
            params = [*match.params, *params]
        return self._count_where(where, params)

    def _count_where(self, where: Sequence[str], params: Sequence[Any]) -> int:
        return int(
            self.conn.execute(
                f"SELECT count(*) FROM customer c WHERE {' AND '.join(where) or '1'}", params
            ).fetchone()[0]
        )

    def common_country(self) -> str | None:
        """The most common country of the customers' addresses (upper case), from a
        bounded sample: the store's default country for phone numbers, as a guess."""
        row = self.conn.execute(
            "SELECT upper(json_extract(data, '$.country_code')) AS country FROM ("
            f"SELECT data FROM address LIMIT {COUNTRY_SAMPLE}) WHERE coalesce(country, '') <> '' "
            "GROUP BY country ORDER BY count(*) DESC, country LIMIT 1"
        ).fetchone()
        return None if row is None else str(row[0])

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
                # No rows can mean "no orders" or "never asked": remember that we asked.
                self._set_meta({_ORDERS_KNOWN + customer_id: "1"})
            self.conn.executemany(
                "INSERT OR REPLACE INTO order_summary(id, customer_id, data) VALUES (?, ?, ?)",
                [(o.id, customer_id, o.model_dump_json()) for o in orders],
            )

    def orders_known(self, customer_id: str) -> bool:
        """Whether the store's order list for this customer was ever read into the mirror."""
        return self.meta(_ORDERS_KNOWN + customer_id) is not None

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

    def outbox_set_patch(self, seq: int, patch: dict[str, Any]) -> None:
        with self.transaction():
            self.conn.execute("UPDATE outbox SET patch = ? WHERE seq = ?", (json.dumps(patch), seq))

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
