"""`OrderRows`: customers' orders as last read from the store, and their pages offline.

The mirror's order pages carry their own tokens (`ORDER_TOKEN` + offset), so a listing
begun from the mirror continues there.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.order import OrderDetail, OrderSummary
from app.domain.query import Page
from app.mirror.activity_rows import log_activity, order_transitions
from app.mirror.tables import Tables

_ORDERS_KNOWN = "orders_known:"  # meta key prefix, + customer id
ORDER_TOKEN = "mirror-orders:"  # + the offset of the page


def is_order_token(page_token: str | None) -> bool:
    """Whether this page of orders continues a listing the mirror began."""
    return page_token is not None and page_token.startswith(ORDER_TOKEN)


class OrderRows(Tables):
    def put_orders(self, customer_id: str, orders: Sequence[OrderSummary], *, first: bool) -> None:
        with self.transaction():
            # The status moves since the last read become the customer's timeline.
            before = self._stored_orders([o.id for o in orders])
            log_activity(
                self.conn,
                [a for o in orders for a in order_transitions(before.get(o.id), o, customer_id)],
            )
            if first:  # the first page answers afresh: forget what the store dropped
                self.conn.execute("DELETE FROM order_summary WHERE customer_id = ?", (customer_id,))
                # No rows can mean "no orders" or "never asked": remember that we asked.
                self._set_meta({_ORDERS_KNOWN + customer_id: "1"})
            self.conn.executemany(
                "INSERT OR REPLACE INTO order_summary(id, customer_id, data) VALUES (?, ?, ?)",
                [(o.id, customer_id, o.model_dump_json()) for o in orders],
            )

    def _stored_orders(self, ids: Sequence[str]) -> dict[str, OrderSummary]:
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(f"SELECT data FROM order_summary WHERE id IN ({marks})", ids)
        stored = (OrderSummary.model_validate_json(r[0]) for r in rows)
        return {o.id: o for o in stored}

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
