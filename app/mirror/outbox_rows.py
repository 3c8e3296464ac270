"""`OutboxRows`: the queue of edits made offline, as rows (`app.mirror.outbox` replays)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.mirror.tables import Tables, from_micros, to_micros


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


class OutboxRows(Tables):
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
