"""Order figures per customer, computed from the mirror's copy of every order summary.

Cancelled orders are left out of every figure; refunds are subtracted from "spent" where
the backend reports them. Amounts are per currency: a store selling in several currencies
shows each, and never adds euros to dollars.
"""

from datetime import datetime
from decimal import Decimal

from pydantic import AwareDatetime

from app.domain.base import DomainModel
from app.domain.money import Money


class OrderStats(DomainModel):
    """What a list row shows: the figures in the store's main currency (the one most of
    its orders use); `spent` is None for a customer with no orders in it."""

    order_count: int = 0
    spent: Money | None = None
    last_order_at: AwareDatetime | None = None


class CurrencyFigures(DomainModel):
    currency: str
    order_count: int  # cancelled orders excluded
    spent: Money  # order totals net of refunds
    refunded: Money

    @property
    def average(self) -> Money:
        """Average order value in this currency (net of refunds)."""
        count = max(self.order_count, 1)
        return Money(amount=(self.spent.amount / Decimal(count)), currency=self.currency)


class CustomerFigures(DomainModel):
    """What the editor header shows: "Customer since 2023 · 14 orders · €1,234.50 spent ·
    last order 3 weeks ago"."""

    customer_id: str
    order_count: int = 0  # cancelled orders excluded, all currencies
    cancelled_count: int = 0
    currencies: tuple[CurrencyFigures, ...] = ()  # most orders first
    first_order_at: AwareDatetime | None = None
    last_order_at: AwareDatetime | None = None

    @property
    def has_orders(self) -> bool:
        return self.order_count > 0

    @property
    def spent(self) -> tuple[Money, ...]:
        return tuple(c.spent for c in self.currencies)

    def since(self, customer_created_at: datetime) -> datetime:
        """Customer since: the account's creation or the first order, whichever is older."""
        if self.first_order_at is None:
            return customer_created_at
        return min(customer_created_at, self.first_order_at)
