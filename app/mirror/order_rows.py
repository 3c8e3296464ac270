"""`OrderRows`: the store's orders as last read, their pages offline and the figures.

Orders arrive two ways: the store-wide listing of the sync's orders phase (`listed`, with
a generation per full pass, so a completed pass finds deletions) and a customer's own
history as the desk reads it (`put_orders`). Either write recomputes the figures of the
customers it touched (`app.mirror.order_figures`).

The mirror's order pages carry their own tokens (`ORDER_TOKEN` + offset), so a listing
begun from the mirror continues there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from app.domain.figures import CurrencyFigures, CustomerFigures, OrderStats
from app.domain.money import Money
from app.domain.order import OrderDetail, OrderSummary
from app.domain.query import Page
from app.mirror import order_figures
from app.mirror.activity_rows import OrderState, log_activity, order_transitions
from app.mirror.order_figures import K_MAIN_CURRENCY
from app.mirror.schema import FIGURE_INDEXES, ORDER_INDEXES
from app.mirror.tables import Tables, from_micros, to_micros

_ORDERS_KNOWN = "orders_known:"  # meta key prefix, + customer id
ORDER_TOKEN = "mirror-orders:"  # + the offset of the page
# Set when a full pass of the store-wide order listing completed: every customer's
# orders are known from then on, and the figures can be shown.
K_ORDERS_COMPLETE = "orders.last_full"
K_ORDERS_BULK = "orders.bulk"
K_ORDERS_GENERATION = "orders.generation"

_COLUMNS = (
    "id, customer_id, display_number, created_at, updated_at, status, payment_status, "
    "fulfillment_status, currency, total, refunded, item_count, cancelled"
)
_WRITTEN = f"{_COLUMNS}, total_units, refunded_units, listed, generation"  # + the bookkeeping
_UPDATED = ", ".join(
    f"{c} = excluded.{c}" for c in _WRITTEN.split(", ") if c not in ("id", "listed", "generation")
)


def is_order_token(page_token: str | None) -> bool:
    """Whether this page of orders continues a listing the mirror began."""
    return page_token is not None and page_token.startswith(ORDER_TOKEN)


def _values(
    o: OrderSummary, customer_id: str | None, listed: int, generation: int
) -> tuple[Any, ...]:
    refunded = o.refunded.amount if o.refunded is not None else None
    return (
        o.id,
        customer_id,
        o.display_number,
        to_micros(o.created_at),
        None if o.updated_at is None else to_micros(o.updated_at),
        o.status,
        o.payment_status,
        o.fulfillment_status,
        o.total.currency,
        format(o.total.amount, "f"),
        None if refunded is None else format(refunded, "f"),
        o.item_count,
        int(o.cancelled),
        order_figures.units(o.total.amount),
        order_figures.units(refunded),
        listed,
        generation,
    )


def fingerprint(o: OrderSummary) -> int:
    """What the store-wide listing says of an order, as `order_fingerprints` reads it
    back (hashed: equal within one process run, which is all a comparison needs)."""
    return hash(_values(o, o.customer_id, 1, 0)[:13])


def _summary(r: Sequence[Any]) -> OrderSummary:
    currency = str(r[8])
    return OrderSummary(
        id=r[0],
        customer_id=r[1],
        display_number=r[2],
        created_at=from_micros(r[3]),
        updated_at=None if r[4] is None else from_micros(r[4]),
        status=r[5],
        payment_status=r[6],
        fulfillment_status=r[7],
        total=Money(amount=Decimal(r[9]), currency=currency),
        refunded=None if r[10] is None else Money(amount=Decimal(r[10]), currency=currency),
        item_count=r[11],
        cancelled=bool(r[12]),
    )


def _state(r: Sequence[Any]) -> OrderState:
    """(id, display_number, customer_id, payment, fulfilment, updated_at µs)."""
    return OrderState(r[0], r[1], r[2], r[3], r[4], None if r[5] is None else from_micros(r[5]))


class OrderRows(Tables):
    # --- a customer's history, as the desk reads it ------------------------------------

    def put_orders(self, customer_id: str, orders: Sequence[OrderSummary], *, first: bool) -> None:
        with self.transaction():
            values = [_values(o, customer_id, 0, 0) for o in orders]
            self._log_transitions(values)  # before the first page forgets the old rows
            if first:  # the first page answers afresh: forget what the store dropped
                # Orders of the store-wide listing stay: the next full pass settles them.
                self.conn.execute(
                    "DELETE FROM orders WHERE customer_id = ? AND listed = 0", (customer_id,)
                )
                # No rows can mean "no orders" or "never asked": remember that we asked.
                self._set_meta({_ORDERS_KNOWN + customer_id: "1"})
            touched = self._write_orders(values, keep_optional=True)
            order_figures.recompute(self.conn, {customer_id, *touched}, self.main_currency())

    def _write_orders(
        self, values: list[tuple[Any, ...]], *, keep_optional: bool, bulk: bool = False
    ) -> set[str]:
        """Insert or update orders; the customers whose orders these were before (none
        asked in a `bulk` load, whose figures are summed at the end).
        `keep_optional`: a customer's history, which neither marks an order listed nor
        blanks what the listing said and the history leaves out."""
        before: set[str] = set()
        ids = [] if bulk else [v[0] for v in values]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            before.update(
                str(r[0])
                for r in self.conn.execute(
                    "SELECT DISTINCT customer_id FROM orders WHERE customer_id IS NOT NULL "
                    f"AND id IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
            )
        updated = _UPDATED
        if not keep_optional:  # the store-wide listing: seen by this pass
            updated += ", listed = 1, generation = excluded.generation"
        if keep_optional:  # a history listing may leave out what the store-wide one had
            for column in ("updated_at", "refunded", "refunded_units", "item_count"):
                source = "refunded" if column == "refunded_units" else column
                updated = updated.replace(
                    f"{column} = excluded.{column}",
                    f"{column} = CASE WHEN excluded.{source} IS NULL THEN orders.{column} "
                    f"ELSE excluded.{column} END",
                )
        self.conn.executemany(
            f"INSERT INTO orders({_WRITTEN}) VALUES ({','.join('?' * 17)}) "
            f"ON CONFLICT(id) DO UPDATE SET {updated}",
            values,
        )
        return before

    def _log_transitions(self, values: list[tuple[Any, ...]]) -> None:
        """Log the payment and fulfilment moves of these orders (`_values` rows) since
        the mirror last stored them: the customers' timelines (`ActivityRows`)."""
        ids = [v[0] for v in values]
        before: dict[str, OrderState] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self.conn.execute(
                "SELECT id, display_number, customer_id, payment_status, fulfillment_status, "
                f"updated_at FROM orders WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            before.update((r[0], _state(r)) for r in rows)
        if before:
            log_activity(
                self.conn,
                [
                    a
                    for v in values
                    for a in order_transitions(
                        before.get(v[0]), _state((v[0], v[2], v[1], v[6], v[7], v[4]))
                    )
                ],
            )

    def orders_known(self, customer_id: str) -> bool:
        """Whether the store's order list for this customer is in the mirror: read for
        this customer, or every order of the store mirrored."""
        return self.meta(_ORDERS_KNOWN + customer_id) is not None or self.orders_mirrored()

    def orders(self, customer_id: str) -> list[OrderSummary]:
        rows = self.conn.execute(
            # Newest first, as the stores list a customer's orders (ids need not be in
            # time order: Elastic Path's are UUIDs).
            f"SELECT {_COLUMNS} FROM orders WHERE customer_id = ? "
            "ORDER BY created_at DESC, id DESC",
            (customer_id,),
        )
        return [_summary(r) for r in rows]

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

    def orders_page(
        self, customer_id: str, page_token: str | None, page_size: int
    ) -> Page[OrderSummary] | None:
        """A page of the customer's mirrored orders (the first, or the one a mirror token
        names); None when the store's list was never read into the mirror (no rows would
        claim "no orders" when the truth is unknown)."""
        offset = 0
        if page_token is not None:
            offset = int(page_token[len(ORDER_TOKEN) :])
        elif not self.orders_known(customer_id):
            return None
        items = self.orders(customer_id)
        end = offset + page_size
        return Page(
            items=tuple(items[offset:end]),
            total=len(items),
            next_token=f"{ORDER_TOKEN}{end}" if end < len(items) else None,
        )

    # --- the store-wide listing (the sync's orders phase) -------------------------------

    def orders_mirrored(self) -> bool:
        return self.meta(K_ORDERS_COMPLETE) is not None

    def main_currency(self) -> str | None:
        return self.meta(K_MAIN_CURRENCY)

    def order_generation(self) -> int:
        return int(self.meta(K_ORDERS_GENERATION) or 0)

    def listed_order_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM orders").fetchone()[0])

    def newest_order_update(self) -> int | None:
        """The newest `updated_at` of the mirrored orders (µs): the server's clock."""
        row = self.conn.execute("SELECT max(updated_at) FROM orders WHERE listed = 1").fetchone()
        return None if row[0] is None else int(row[0])

    def upsert_listed_orders(
        self, orders: Sequence[OrderSummary], *, meta: dict[str, str | None] | None = None
    ) -> None:
        """A page of the store-wide listing and, atomically, `meta` (the pass's cursor).
        While a bulk load runs the figures wait for `end_order_bulk`."""
        with self.transaction():
            generation = self.order_generation()
            values = [_values(o, o.customer_id, 1, generation) for o in orders]
            bulk = self.meta(K_ORDERS_BULK) is not None
            if not bulk:  # a first copy has no transitions to log
                self._log_transitions(values)
            touched = self._write_orders(values, keep_optional=False, bulk=bulk)
            if not bulk:
                customers = {*touched, *(o.customer_id for o in orders if o.customer_id)}
                order_figures.recompute(self.conn, customers, self.main_currency())
            if meta:
                self._set_meta(meta)

    def begin_order_bulk(self) -> None:
        """Before filling an empty order table: no secondary index until the end."""
        with self.transaction():
            self.conn.execute("DROP INDEX IF EXISTS orders_by_customer")
            self._set_meta({K_ORDERS_BULK: "1"})

    def end_order_bulk(self) -> None:
        if self.meta(K_ORDERS_BULK) is None:
            return
        with self.transaction():
            for statement in ORDER_INDEXES:
                self.conn.execute(statement)
            # Every customer row's figures change at once: index them afterwards.
            for name in ("customer_by_orders", "customer_by_spent", "customer_by_last_order"):
                self.conn.execute(f"DROP INDEX IF EXISTS {name}")
            main = order_figures.main_currency(self.conn)
            order_figures.recompute_all(self.conn, main)
            for statement in FIGURE_INDEXES:
                self.conn.execute(statement)
            self._set_meta({K_ORDERS_BULK: None, K_MAIN_CURRENCY: main})

    def order_fingerprints(self) -> dict[str, int]:
        """Every listed order's `fingerprint`, hashed (a few MB at 200,000 orders)."""
        return {
            str(r[0]): hash(tuple(r))
            for r in self.conn.execute(f"SELECT {_COLUMNS} FROM orders WHERE listed = 1")
        }

    def delete_unseen_orders(self, generation: int, meta: dict[str, str | None]) -> int:
        """Drop listed orders a completed full pass did not see (deleted on the server)."""
        with self.transaction():
            rows = self.conn.execute(
                "SELECT id, customer_id FROM orders WHERE listed = 1 AND generation < ?",
                (generation,),
            ).fetchall()
            self._drop_orders(rows)
            self._settle(meta)
        return len(rows)

    def delete_missing_orders(self, present: set[str], meta: dict[str, str | None]) -> int:
        """Drop listed orders absent from a complete re-read of the listing."""
        with self.transaction():
            rows = [
                r
                for r in self.conn.execute("SELECT id, customer_id FROM orders WHERE listed = 1")
                if r[0] not in present
            ]
            self._drop_orders(rows)
            self._settle(meta)
        return len(rows)

    def _drop_orders(self, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany("DELETE FROM orders WHERE id = ?", [(r[0],) for r in rows])
        order_figures.recompute(self.conn, {r[1] for r in rows}, self.main_currency())

    def _settle(self, meta: dict[str, str | None]) -> None:
        """After a complete read: the main currency (and every row's spent if it moved)."""
        main = order_figures.main_currency(self.conn)
        if main != self.main_currency():
            order_figures.recompute_all(self.conn, main)
        self._set_meta({**meta, K_MAIN_CURRENCY: main})

    def forget_orders(self) -> None:
        """Every order and figure (the profile now points at another store)."""
        with self.transaction():
            self.conn.execute("DELETE FROM orders")
            self.conn.execute("DELETE FROM order_figures")
            self.conn.execute(
                "UPDATE customer SET o_count = 0, o_spent = 0, o_spent_text = NULL, "
                "o_last_at = 0, o_first_at = 0"
            )

    # --- figures -----------------------------------------------------------------------

    def figures(self, customer_id: str) -> CustomerFigures:
        rows = self.conn.execute(
            "SELECT currency, order_count, cancelled_count, spent, refunded, first_order_at, "
            "last_order_at FROM order_figures WHERE customer_id = ?",
            (customer_id,),
        ).fetchall()
        main = self.main_currency()
        # Most orders first; the main currency before others with as many.
        rows.sort(key=lambda r: (-r[1], r[0] != main, r[0]))
        firsts = [r[5] for r in rows if r[5] is not None]
        lasts = [r[6] for r in rows if r[6] is not None]
        return CustomerFigures(
            customer_id=customer_id,
            order_count=sum(r[1] for r in rows),
            cancelled_count=sum(r[2] for r in rows),
            currencies=tuple(
                CurrencyFigures(
                    currency=r[0],
                    order_count=r[1],
                    spent=Money(amount=Decimal(r[3]), currency=r[0]),
                    refunded=Money(amount=Decimal(r[4]), currency=r[0]),
                )
                for r in rows
                if r[1]
            ),
            first_order_at=from_micros(min(firsts)) if firsts else None,
            last_order_at=from_micros(max(lasts)) if lasts else None,
        )

    def order_stats(self, customer_ids: Iterable[str]) -> dict[str, OrderStats]:
        """The list rows' figures of these customers (from the customer row)."""
        ids = list(customer_ids)
        if not ids:
            return {}
        main = self.main_currency()
        out: dict[str, OrderStats] = {}
        for cid, count, spent, last in self.conn.execute(
            "SELECT id, o_count, o_spent_text, o_last_at FROM customer "
            f"WHERE id IN ({','.join('?' * len(ids))})",
            ids,
        ):
            out[cid] = OrderStats(
                order_count=count,
                spent=None
                if spent is None or main is None
                else Money(amount=Decimal(spent), currency=main),
                last_order_at=from_micros(last) if count else None,
            )
        return out
