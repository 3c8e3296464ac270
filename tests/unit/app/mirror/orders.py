"""Orders for the mirror's order tests: a generated order book, the store-wide listing as
`SupportsOrderDirectory` serves it, and the figures computed the slow, obvious way."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from app.domain.capabilities import Capability
from app.domain.errors import ConnectionFailedError
from app.domain.figures import CurrencyFigures, CustomerFigures
from app.domain.money import Money
from app.domain.order import OrderSummary
from app.domain.query import Page

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def make_orders(customer_ids: list[str], count: int, seed: int = 7) -> list[OrderSummary]:
    """Mostly EUR, some USD, guests, cancellations and refunds; amounts with cents."""
    rnd = random.Random(seed)
    out: list[OrderSummary] = []
    for i in range(count):
        currency = "EUR" if rnd.random() < 0.75 else "USD"
        total = Decimal(rnd.randint(100, 99_999)) / 100
        refunded = None
        if rnd.random() < 0.15:
            refunded = Money(
                amount=Decimal(rnd.randint(1, int(total * 100))) / 100, currency=currency
            )
        created = T0 + timedelta(hours=rnd.randint(0, 24 * 365), microseconds=rnd.randint(0, 999))
        out.append(
            OrderSummary(
                id=f"order_{i:05}",
                display_number=str(1000 + i),
                status="canceled" if rnd.random() < 0.1 else "completed",
                payment_status="captured",
                fulfillment_status="fulfilled",
                total=Money(amount=total, currency=currency),
                created_at=created,
                customer_id=None if rnd.random() < 0.05 else rnd.choice(customer_ids),
                updated_at=created + timedelta(days=1),
                item_count=rnd.randint(1, 5),
                refunded=refunded,
                cancelled=False,
            )
        )
        out[-1] = out[-1].model_copy(update={"cancelled": out[-1].status == "canceled"})
    return out


def expected_figures(orders: Iterable[OrderSummary], customer_id: str) -> CustomerFigures:
    """The figures of one customer, straight from the listing."""
    mine = [o for o in orders if o.customer_id == customer_id]
    counted = [o for o in mine if not o.cancelled]
    by_currency = Counter(o.total.currency for o in counted)
    currencies = []
    for currency, n in by_currency.items():
        rows = [o for o in counted if o.total.currency == currency]
        refunded = sum((o.refunded.amount for o in rows if o.refunded), Decimal(0))
        spent = sum((o.total.amount for o in rows), Decimal(0)) - refunded
        currencies.append(
            CurrencyFigures(
                currency=currency,
                order_count=n,
                spent=Money(amount=spent, currency=currency),
                refunded=Money(amount=refunded, currency=currency),
            )
        )
    return CustomerFigures(
        customer_id=customer_id,
        order_count=len(counted),
        cancelled_count=len(mine) - len(counted),
        currencies=tuple(currencies),
        first_order_at=min((o.created_at for o in counted), default=None),
        last_order_at=max((o.created_at for o in counted), default=None),
    )


def same_figures(a: CustomerFigures, b: CustomerFigures) -> bool:
    """Equal up to the order of currencies with as many orders."""

    def key(f: CustomerFigures) -> object:
        return (
            f.customer_id,
            f.order_count,
            f.cancelled_count,
            sorted(
                (c.currency, c.order_count, c.spent.amount, c.refunded.amount) for c in f.currencies
            ),
            f.first_order_at,
            f.last_order_at,
        )

    return key(a) == key(b)


def main_currency(orders: Iterable[OrderSummary]) -> str:
    counts = Counter(o.total.currency for o in orders if not o.cancelled)
    return min(counts, key=lambda c: (-counts[c], c))


@dataclass
class OrderBook:
    """A store's order listing as `SupportsOrderDirectory` serves it: keyset by id,
    filtered on `updated_at` at the "server" when `filters_orders_by_updated_at`. Used
    where a test needs a listing it can change and break at will (the demo dialects'
    own listings are tested against the same figures in the service tests)."""

    orders: dict[str, OrderSummary]
    filters_orders_by_updated_at: bool = True
    fail_after_pages: int | None = None  # the connection breaks after this many pages
    pages_served: int = 0
    since_asked: list[datetime | None] = field(default_factory=list)
    name: str = "order book"

    @property
    def capabilities(self) -> Capability:
        return Capability(0)

    async def check_connection(self) -> None:
        return None

    async def aclose(self) -> None:
        return None

    async def list_orders_changed_since(
        self, since: datetime | None, page_token: str | None = None, page_size: int = 500
    ) -> Page[OrderSummary]:
        if self.fail_after_pages is not None and self.pages_served >= self.fail_after_pages:
            raise ConnectionFailedError()
        self.pages_served += 1
        if page_token is None:
            self.since_asked.append(since)
        rows = sorted(
            (
                o
                for o in self.orders.values()
                if since is None
                or not self.filters_orders_by_updated_at
                or (o.updated_at is not None and o.updated_at >= since)
            ),
            key=lambda o: o.id,
        )
        rows = [o for o in rows if page_token is None or o.id > page_token]
        page = rows[:page_size]
        more = len(rows) > page_size
        return Page(
            items=tuple(page),
            total=len(rows) if page_token is None else None,
            next_token=page[-1].id if more else None,
        )
