"""A customer's orders, paged; opening one shows its lines, totals and addresses."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.customers import CustomerService
from ui.asyncbridge import attach_owner
from ui.dialogs.order_dialog import OrderDialog, open_order
from ui.errors import present_error
from ui.models.order_table import ORDER_ID_ROLE, OrderColumn, OrderTableModel
from ui.widgets.store_pane import StorePane

MIN_SHRUNK_WIDTH = 48  # px: a squeezed payment or fulfilment column still shows a word's start


class OrdersTab(StorePane):
    def __init__(self, service: CustomerService | None, parent: QWidget | None = None) -> None:
        super().__init__("orders", service, parent)
        self.setObjectName("ordersTab")
        self.model = OrderTableModel(service, self)
        self.model.on_error = lambda exc: present_error(self, exc, background=True)
        attach_owner(self, self.model.tasks)
        self.dialog: OrderDialog | None = None
        self._customer_id: str | None = None

        self.view = QTableView(self)
        self.view.setObjectName("orderTable")
        self.view.setAccessibleName("Orders")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        head = self.view.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Sized to the rows once they are in: a header left in ResizeToContents keeps the
        # empty table's widths (header text only) when rows arrive for the next customer.
        self.model.rowsInserted.connect(lambda *_: self._fit_columns())
        self.view.viewport().installEventFilter(self)
        self.view.activated.connect(self.open_order)
        self.view.doubleClicked.connect(self.open_order)
        self.summary = QLabel(self)
        self.summary.setObjectName("ordersSummary")
        self.summary.setWordWrap(True)
        self.model.totalChanged.connect(self._update_summary)
        self.model.loadingChanged.connect(self._update_summary)
        self.model.pageFailed.connect(lambda *_: self._update_summary())
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        self._update_summary()

    def set_service(self, service: CustomerService | None) -> None:
        super().set_service(service)
        self.model.set_service(service)

    def show_customer(self, customer_id: str | None) -> None:
        self.tasks.cancel_all()
        self._customer_id = customer_id
        self.model.show_customer(customer_id)

    def reload(self) -> None:
        """Ask again (the store is back): the local copy's answer may be stale or missing."""
        if self._customer_id is not None:
            self.show_customer(self._customer_id)

    def _fit_columns(self) -> None:
        """Every column as wide as its rows; where the pane is too narrow for all, payment
        and fulfilment give way first: number, date, status and total stay readable."""
        if self.model.rowCount() == 0:
            return
        view = self.view
        for column in OrderColumn:
            if column is not OrderColumn.TOTAL:
                view.resizeColumnToContents(column)
        wanted = sum(view.columnWidth(c) for c in OrderColumn if c is not OrderColumn.TOTAL)
        spare = view.viewport().width() - wanted - view.sizeHintForColumn(OrderColumn.TOTAL)
        for column in (OrderColumn.PAYMENT, OrderColumn.FULFILMENT):
            if spare >= 0:
                break
            width = view.columnWidth(column)
            narrower = max(MIN_SHRUNK_WIDTH, width + spare)
            view.setColumnWidth(column, narrower)
            spare += width - narrower
        # Total fills what is left (right-aligned, it ends at the pane's edge).
        others = sum(view.columnWidth(c) for c in OrderColumn if c is not OrderColumn.TOTAL)
        view.setColumnWidth(
            OrderColumn.TOTAL,
            max(view.sizeHintForColumn(OrderColumn.TOTAL), view.viewport().width() - others),
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The viewport, not the tab: it also narrows when a vertical scroll bar appears.
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _update_summary(self) -> None:
        offline = self._service is not None and not self._service.online
        if self.model.loading:
            text = "Loading orders…"
        elif self.model.failed is not None:
            text = self.model.failed
        elif self.model.total is not None:
            total = self.model.total
            text = f"{total} order{'s' if total != 1 else ''}" if total else "No orders yet."
        else:
            text = f"{self.model.rowCount()} orders shown; scroll for more"
        if offline and self.model.failed is None and self.model.rowCount():
            text += " — from the local copy (the store is unreachable): newer ones may be missing."
        self.summary.setText(text)

    def open_order(self, index: QModelIndex) -> None:
        order_id = self.model.data(index, ORDER_ID_ROLE)
        if order_id:
            self.tasks.run_latest("order", self._open(str(order_id)))

    async def _open(self, order_id: str) -> None:
        dialog = await open_order(self, self.service, order_id)
        if dialog is not None:
            self.dialog = dialog
