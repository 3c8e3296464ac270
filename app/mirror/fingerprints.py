"""`Fingerprints`: comparable values of each mirrored customer, so the sweep can tell
which rows of the store's listing changed without fetching them all again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from app.domain.customer import Customer, CustomerSummary
from app.mirror.customer_rows import SUMMARY_COLUMNS
from app.mirror.tables import Tables, to_micros


class Fingerprints(Tables):
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
            *Fingerprints.fingerprint(c),
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
