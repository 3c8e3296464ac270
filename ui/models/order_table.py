"""A customer's order history, newest first as the store returns it, page by page."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from app.domain.order import OrderSummary
from app.domain.query import Page
from app.services.customers import CustomerService
from ui.formatting import humanize, local_datetime, money_text, order_number, zone_name
from ui.models.paged import ROOT, PagedTableModel

Index = QModelIndex | QPersistentModelIndex

ORDER_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class OrderColumn(IntEnum):
    NUMBER = 0
    DATE = 1
    STATUS = 2
    PAYMENT = 3
    FULFILMENT = 4
    TOTAL = 5


TITLES = ["Order", "Date", "Status", "Payment", "Fulfilment", "Total"]
PAGE_SIZE = 20


class OrderTableModel(PagedTableModel[OrderSummary]):
    def __init__(self, service: CustomerService | None, parent: QObject | None = None) -> None:
        super().__init__("order history", parent)
        self._service = service
        self._customer_id: str | None = None

    @property
    def service(self) -> CustomerService:
        if self._service is None:
            raise RuntimeError("no store is open")
        return self._service

    def set_service(self, service: CustomerService | None) -> None:
        self._service = service
        self.show_customer(None)

    def show_customer(self, customer_id: str | None) -> None:
        self._customer_id = customer_id
        if customer_id is None:
            self.clear()
        else:
            self.restart()

    async def load_page(self, token: str | None) -> Page[OrderSummary]:
        assert self._customer_id is not None
        return await self.service.orders(self._customer_id, token, PAGE_SIZE)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(OrderColumn)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        order = self._items[index.row()]
        if order is None:
            return None  # never: order lists are paged, not read by position
        column = OrderColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            match column:
                case OrderColumn.NUMBER:
                    return order_number(order.display_number)
                case OrderColumn.DATE:
                    return local_datetime(order.created_at, labelled=False)
                case OrderColumn.STATUS:
                    return humanize(order.status)
                case OrderColumn.PAYMENT:
                    return humanize(order.payment_status)
                case OrderColumn.FULFILMENT:
                    return humanize(order.fulfillment_status)
                case OrderColumn.TOTAL:
                    return money_text(order.total)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is OrderColumn.TOTAL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ORDER_ID_ROLE:
            return order.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        zone = zone_name()
        return self.header_for(
            section, orientation, role, [*TITLES[:1], f"Date ({zone})", *TITLES[2:]]
        )
