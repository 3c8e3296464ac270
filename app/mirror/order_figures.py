"""Per-customer order figures, kept in step with the mirrored orders.

Two levels, both written here and only here:
- `order_figures`: per (customer, currency) the order count, cancelled count, spent
  (totals net of refunds) and refunded, exact decimal text, and the first and last
  order's time. Recomputed for the customers a write touched, never store-wide per page.
- the customer row's columns `o_*`: the list's figures (orders and dates over every
  currency; spent in the store's main currency), which the sort and filter indexes serve.

Cancelled orders count in `cancelled_count` only. Amounts are summed as `Decimal` (exact);
`o_spent` holds the main-currency sum in millionths, as a sort and filter key.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from app.mirror.tables import to_micros

UNIT = Decimal(1_000_000)  # `*_units`: amounts in millionths of the currency
# SQLite's integers are 64-bit: a key beyond keeps its order with its neighbours clamped.
_MAX_UNITS = 2**63 - 1
K_MAIN_CURRENCY = "orders.main_currency"


def units(amount: Decimal | str | None) -> int:
    """An amount in millionths, rounded down (a sort and filter key, not a sum)."""
    if amount is None:
        return 0
    try:
        scaled = (Decimal(amount) * UNIT).to_integral_value(ROUND_FLOOR)
    except (InvalidOperation, ValueError):
        return 0
    return max(-_MAX_UNITS, min(_MAX_UNITS, int(scaled)))


def iso_micros(value: str | None) -> int | None:
    """An ISO time (as pydantic dumps it) in microseconds since the epoch."""
    return None if not value else to_micros(datetime.fromisoformat(value))


@dataclass(slots=True)
class _Sum:
    orders: int = 0
    cancelled: int = 0
    spent: Decimal = field(default_factory=Decimal)
    refunded: Decimal = field(default_factory=Decimal)
    first: int | None = None
    last: int | None = None

    def add(self, total: str, refunded: str | None, cancelled: int, created: int) -> None:
        if cancelled:
            self.cancelled += 1
            return
        back = Decimal(refunded) if refunded else Decimal(0)
        self.orders += 1
        self.spent += Decimal(total) - back
        self.refunded += back
        if self.first is None or created < self.first:
            self.first = created
        if self.last is None or created > self.last:
            self.last = created


def _text(amount: Decimal) -> str:
    # Exact, without an exponent ("1E+2" would read back as 100 but look odd in a dump).
    return format(amount, "f")


def recompute(
    conn: sqlite3.Connection, customer_ids: Iterable[str | None], main_currency: str | None
) -> None:
    """Rebuild the figures of these customers from their orders (exact sums)."""
    ids = sorted({i for i in customer_ids if i is not None})
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT customer_id, currency, total, refunded, cancelled, created_at FROM orders "
            f"WHERE customer_id IN ({marks})",
            chunk,
        ).fetchall()
        conn.execute(f"DELETE FROM order_figures WHERE customer_id IN ({marks})", chunk)
        _store(conn, _sums(rows), main_currency, chunk)


def recompute_all(conn: sqlite3.Connection, main_currency: str | None) -> None:
    """Rebuild every customer's figures (after a bulk load or a new main currency)."""
    conn.execute("DELETE FROM order_figures")
    conn.execute(
        "UPDATE customer SET o_count = 0, o_spent = 0, o_spent_text = NULL, o_last_at = 0, "
        "o_first_at = 0 WHERE o_count <> 0 OR o_spent_text IS NOT NULL OR o_first_at <> 0"
    )
    rows = conn.execute(
        "SELECT customer_id, currency, total, refunded, cancelled, created_at FROM orders "
        "WHERE customer_id IS NOT NULL"
    ).fetchall()
    _store(conn, _sums(rows), main_currency, ())


@dataclass(slots=True)
class _RowFigures:
    count: int = 0
    spent: int = 0
    spent_text: str | None = None
    last: int = 0
    first: int = 0


def _sums(rows: Sequence[Sequence[Any]]) -> dict[tuple[str, str], _Sum]:
    sums: dict[tuple[str, str], _Sum] = {}
    for cid, currency, total, refunded, cancelled, created in rows:
        key = (str(cid), str(currency))
        found = sums.get(key)
        if found is None:
            found = sums[key] = _Sum()
        found.add(str(total), refunded, int(cancelled), int(created))
    return sums


def _store(
    conn: sqlite3.Connection,
    sums: dict[tuple[str, str], _Sum],
    main_currency: str | None,
    reset: Sequence[str],
) -> None:
    conn.executemany(
        "INSERT INTO order_figures(customer_id, currency, order_count, cancelled_count, "
        "spent, refunded, first_order_at, last_order_at) VALUES (?,?,?,?,?,?,?,?)",
        [
            (cid, cur, s.orders, s.cancelled, _text(s.spent), _text(s.refunded), s.first, s.last)
            for (cid, cur), s in sums.items()
        ],
    )
    rows = {cid: _RowFigures() for cid in reset}
    for (cid, cur), s in sums.items():
        row = rows.setdefault(cid, _RowFigures())
        row.count += s.orders
        if s.orders and cur == main_currency:
            row.spent, row.spent_text = units(s.spent), _text(s.spent)
        if s.last is not None:
            row.last = max(row.last, s.last)
        if s.first is not None:
            row.first = s.first if not row.first else min(row.first, s.first)
    conn.executemany(
        "UPDATE customer SET o_count = ?, o_spent = ?, o_spent_text = ?, o_last_at = ?, "
        "o_first_at = ? WHERE id = ?",
        [(r.count, r.spent, r.spent_text, r.last, r.first, cid) for cid, r in rows.items()],
    )


def fill_rows(
    conn: sqlite3.Connection, customer_ids: Sequence[str], main_currency: str | None
) -> None:
    """Set the list figures of customer rows stored after their orders (a refresh met the
    order before the customer): from `order_figures`, which already has them."""
    for start in range(0, len(customer_ids), 500):
        chunk = customer_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        known = [
            str(r[0])
            for r in conn.execute(
                f"SELECT DISTINCT customer_id FROM order_figures WHERE customer_id IN ({marks})",
                chunk,
            )
        ]
        if known:
            recompute(conn, known, main_currency)


def refigure_migrated(conn: sqlite3.Connection) -> None:
    """Sum the figures of orders a migration moved in (SQL alone cannot sum exactly)."""
    if conn.execute("SELECT 1 FROM meta WHERE key = 'orders.refigure'").fetchone() is None:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        main = main_currency(conn)
        recompute_all(conn, main)
        conn.execute("DELETE FROM meta WHERE key = 'orders.refigure'")
        if main is not None:
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (K_MAIN_CURRENCY, main)
            )
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def main_currency(conn: sqlite3.Connection) -> str | None:
    """The currency most non-cancelled orders use (ties: the alphabetically first)."""
    row = conn.execute(
        "SELECT currency FROM orders WHERE cancelled = 0 GROUP BY currency "
        "ORDER BY count(*) DESC, currency LIMIT 1"
    ).fetchone()
    return None if row is None else str(row[0])
