"""`CustomerRows`: the mirrored customers, their groups and addresses (rows in, rows out)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import JsonValue, TypeAdapter

from app.domain.customer import Address, Customer, CustomerGroup, CustomerSummary
from app.mirror import collation, order_figures, text
from app.mirror.tables import Tables, from_micros, to_micros

SUMMARY_COLUMNS = (
    "c.id, c.email, c.first_name, c.last_name, c.phone, c.company, c.has_account, "
    "c.created_at, c.updated_at"
)
_METADATA = TypeAdapter(dict[str, JsonValue])
# Addresses read to guess the store's country: a few milliseconds at any size.
COUNTRY_SAMPLE = 5000


def _search_values(c: CustomerSummary) -> tuple[str | None, ...]:
    return (
        text.search_text(c.first_name, c.last_name, c.email, c.phone, c.company),
        text.phone_digits(c.phone),
        collation.name_key(c.first_name, c.last_name),
        collation.name_key(c.last_name, c.first_name),
    )


class CustomerRows(Tables):
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
        # A customer stored after its orders (a refresh met the order first): its row
        # takes the figures already counted. An update leaves the figure columns alone.
        order_figures.fill_rows(
            self.conn, [c.id for c in rows], self.meta(order_figures.K_MAIN_CURRENCY)
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
        # Orders of the store-wide listing stay (the store keeps a deleted customer's
        # orders); those read from the customer's history alone go with it.
        self.conn.executemany("DELETE FROM orders WHERE customer_id = ? AND listed = 0", keys)
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

    def common_country(self) -> str | None:
        """The most common country of the customers' addresses (upper case), from a
        bounded sample: the store's default country for phone numbers, as a guess."""
        row = self.conn.execute(
            "SELECT upper(json_extract(data, '$.country_code')) AS country FROM ("
            f"SELECT data FROM address LIMIT {COUNTRY_SAMPLE}) WHERE coalesce(country, '') <> '' "
            "GROUP BY country ORDER BY count(*) DESC, country LIMIT 1"
        ).fetchone()
        return None if row is None else str(row[0])

    # --- groups and addresses ----------------------------------------------------------

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
