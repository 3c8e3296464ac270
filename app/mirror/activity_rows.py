"""`ActivityRows`: what happened to customers through this desk (`app.domain.activity`).

Rows are only added, never changed: a record of writes the store accepted, tokens issued
and order status transitions the mirror noticed. `order_transitions` compares an order as the
mirror had it with the store's answer now; the order upsert (`OrderRows`) logs what it
finds in its own transaction (`log_activity`), so a transition is logged exactly when
the new status is stored.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from app.domain.activity import Activity, FieldChange
from app.domain.timeline import EventKind
from app.mirror.tables import Tables, to_micros

_STATUS_FIELDS = (
    (EventKind.PAYMENT, "payment_status", "payment"),
    (EventKind.FULFILMENT, "fulfillment_status", "fulfilment"),
)


class OrderState(NamedTuple):
    """What of an order a transition compares: as the mirror had it, as the store says."""

    order_id: str
    display_number: str
    customer_id: str | None
    payment_status: str | None
    fulfillment_status: str | None
    updated_at: datetime | None


def order_transitions(
    before: OrderState | None, after: OrderState, noticed_at: datetime | None = None
) -> list[Activity]:
    """The payment and fulfilment changes between the mirror's copy of an order and the
    store's answer now. None before: a first sight, no transition (the order's own event
    shows its status); no customer: no timeline to put it on. Dated by the order's
    `updated_at` where the store sends one that moved on, else by when the mirror
    noticed."""
    if before is None or after.customer_id is None:
        return []
    moved = after.updated_at is not None and (
        before.updated_at is None or after.updated_at > before.updated_at
    )
    at = after.updated_at if moved and after.updated_at else noticed_at or datetime.now(UTC)
    out: list[Activity] = []
    for kind, name, word in _STATUS_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        if old == new or new is None:
            continue
        number = after.display_number.lstrip("#")
        out.append(
            Activity(
                kind=kind,
                customer_id=after.customer_id,
                at=at,
                summary=f"Order #{number}: {word} {_words(new)}"
                + (f" (was {_words(old)})" if old else ""),
                changes=(FieldChange(field=name, old=old, new=new),),
                ref=after.order_id,
            )
        )
    return out


def _words(state: str) -> str:
    return state.replace("_", " ")


def log_activity(conn: sqlite3.Connection, entries: Iterable[Activity]) -> None:
    """Append records in the caller's transaction."""
    conn.executemany(
        "INSERT INTO activity(customer_id, kind, at, data) VALUES (?, ?, ?, ?)",
        [(a.customer_id, a.kind.value, to_micros(a.at), a.model_dump_json()) for a in entries],
    )


class ActivityRows(Tables):
    def add_activity(self, entries: Sequence[Activity]) -> None:
        with self.transaction() as conn:
            log_activity(conn, entries)

    def activity(self, customer_id: str) -> list[Activity]:
        """The customer's records, newest first (in the order they were added, for equal
        times)."""
        rows = self.conn.execute(
            "SELECT data FROM activity WHERE customer_id = ? ORDER BY at DESC, seq DESC",
            (customer_id,),
        )
        return [Activity.model_validate_json(r[0]) for r in rows]
