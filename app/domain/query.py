"""What a customer list asks for: search text, filters, sort; and the page that answers."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import AwareDatetime, Field

from app.domain.base import DomainModel


class SortField(StrEnum):
    ID = "id"
    EMAIL = "email"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    PHONE = "phone"
    COMPANY = "company"
    HAS_ACCOUNT = "has_account"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    # Order figures: answered by the mirror only (no backend sorts customers by them).
    ORDER_COUNT = "orders"
    SPENT = "spent"
    LAST_ORDER_AT = "last_order_at"


# Sorts only the mirror can answer (from its copy of every order).
MIRROR_ONLY_SORTS = frozenset({SortField.ORDER_COUNT, SortField.SPENT, SortField.LAST_ORDER_AT})
# The fields a backend may sort customers by (each declares its own subset).
RECORD_SORTS = frozenset(SortField) - MIRROR_ONLY_SORTS


class Sort(DomainModel):
    field: SortField = SortField.ID
    descending: bool = False

    @classmethod
    def parse(cls, text: str) -> "Sort":
        """`email` or `-email` (descending)."""
        desc = text.startswith("-")
        return cls(field=SortField(text.lstrip("-")), descending=desc)

    def __str__(self) -> str:
        return ("-" if self.descending else "") + self.field.value


class DateRange(DomainModel):
    """Half-open [start, end): start inclusive, end exclusive; either may be open."""

    start: AwareDatetime | None = None
    end: AwareDatetime | None = None

    def contains(self, moment: datetime) -> bool:
        return (self.start is None or moment >= self.start) and (
            self.end is None or moment < self.end
        )

    def is_open(self) -> bool:
        return self.start is None and self.end is None


class OrderFilter(DomainModel):
    """Filters on a customer's order figures; answered by the mirror only. Amounts are in
    the store's main currency (the one most of its orders use). Cancelled orders never
    count."""

    has_orders: bool | None = None
    min_spent: Decimal | None = None
    last_order: DateRange = DateRange()  # the customer's last order lies in this range
    ordered: DateRange = DateRange()  # at least one order placed in this range

    def is_open(self) -> bool:
        return (
            self.has_orders is None
            and self.min_spent is None
            and self.last_order.is_open()
            and self.ordered.is_open()
        )


class CustomerQuery(DomainModel):
    text: str = ""
    has_account: bool | None = None
    group_ids: frozenset[str] = frozenset()
    email: str | None = None  # exact match
    created: DateRange = DateRange()
    updated: DateRange = DateRange()
    orders: OrderFilter = OrderFilter()
    sort: Sort = Sort()
    page_size: int = Field(default=100, ge=1, le=10_000)


T = TypeVar("T")


class Page(DomainModel, Generic[T]):
    """One page of results. `next_token` is opaque to callers; None means the last page."""

    items: tuple[T, ...]
    total: int | None = None
    next_token: str | None = None
