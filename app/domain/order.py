"""Orders as staff read them in a customer's history."""

from decimal import Decimal

from pydantic import AwareDatetime

from app.domain.base import DomainModel
from app.domain.customer import Address
from app.domain.money import Money


class OrderSummary(DomainModel):
    id: str
    display_number: str  # what staff quote to a customer: Medusa display_id, EP order_number
    status: str
    payment_status: str | None = None
    fulfillment_status: str | None = None
    total: Money
    created_at: AwareDatetime
    # Filled where the backend's listing carries them (the store-wide order mirror needs
    # customer_id and updated_at; a customer's own history may leave them out).
    customer_id: str | None = None
    updated_at: AwareDatetime | None = None
    item_count: int | None = None
    # Refunded so far, where the backend reports it; subtracted from "spent".
    refunded: Money | None = None
    # Set by the mapping from the backend's own status vocabulary (Medusa "canceled",
    # Elastic Path "cancelled", ...): cancelled orders do not count in the figures.
    cancelled: bool = False


class OrderLine(DomainModel):
    id: str
    title: str
    sku: str | None = None
    quantity: int
    unit_price: Money
    total: Money


class OrderDetail(OrderSummary):
    """`subtotal - discount_total + shipping_total + tax_total == total`; the first three
    exclude tax, lines show their subtotal (quantity x unit price)."""

    email: str | None = None
    lines: tuple[OrderLine, ...] = ()
    subtotal: Money
    shipping_total: Money
    tax_total: Money
    discount_total: Money
    shipping_address: Address | None = None
    billing_address: Address | None = None

    def lines_total(self) -> Decimal:
        return sum((line.total.amount for line in self.lines), Decimal(0))
