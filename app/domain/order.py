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
    customer_id: str | None = None
    lines: tuple[OrderLine, ...] = ()
    subtotal: Money
    shipping_total: Money
    tax_total: Money
    discount_total: Money
    shipping_address: Address | None = None
    billing_address: Address | None = None

    def lines_total(self) -> Decimal:
        return sum((line.total.amount for line in self.lines), Decimal(0))
