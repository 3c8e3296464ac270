"""One order: its lines, the totals and the addresses."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.controls import visible
from app.domain.customer import Address
from app.domain.order import OrderDetail
from app.services.customers import CustomerService
from ui.formatting import address_lines, humanize, local_datetime, money_text, order_number

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _address_box(title: str, address: Address | None, parent: QWidget) -> QGroupBox:
    box = QGroupBox(title, parent)
    label = QLabel("\n".join(address_lines(address)) if address else "—", box)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    QVBoxLayout(box).addWidget(label)
    return box


class OrderDialog(QDialog):
    def __init__(self, parent: QWidget | None, order: OrderDetail) -> None:
        super().__init__(parent)
        self.setObjectName("orderDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        number = order_number(order.display_number)
        self.setWindowTitle(f"Order {number}")
        self.order = order

        header = QLabel(
            f"<b>Order {number}</b> · {local_datetime(order.created_at)} · "
            f"{humanize(order.status)} · payment {humanize(order.payment_status).lower()} · "
            f"fulfilment {humanize(order.fulfillment_status).lower()}",
            self,
        )
        self.lines = QTableWidget(len(order.lines), 5, self)
        self.lines.setObjectName("orderLines")
        self.lines.setAccessibleName("Order lines")
        self.lines.setHorizontalHeaderLabels(["Item", "SKU", "Qty", "Unit price", "Total"])
        self.lines.verticalHeader().hide()
        self.lines.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.lines.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, line in enumerate(order.lines):
            cells = [
                line.title,
                line.sku or "",
                str(line.quantity),
                money_text(line.unit_price),
                money_text(line.total),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(visible(text))
                if col >= 2:
                    item.setTextAlignment(RIGHT)
                self.lines.setItem(row, col, item)
        head = self.lines.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, 5):
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

        totals = QFormLayout()
        totals.setLabelAlignment(RIGHT)
        self.total_labels: dict[str, QLabel] = {}
        for key, title in [
            ("subtotal", "Subtotal"),
            ("shipping_total", "Shipping"),
            ("tax_total", "Tax"),
            ("discount_total", "Discount"),
            ("total", "Total"),
        ]:
            value = QLabel(money_text(getattr(order, key)), self)
            value.setObjectName(f"{key}Label")
            value.setAlignment(RIGHT)
            if key == "total":
                value.setText(f"<b>{money_text(getattr(order, key))}</b>")
            self.total_labels[key] = value
            totals.addRow(title, value)

        addresses = QHBoxLayout()
        addresses.addWidget(_address_box("Shipping address", order.shipping_address, self))
        addresses.addWidget(_address_box("Billing address", order.billing_address, self))
        bottom = QHBoxLayout()
        bottom.addLayout(addresses, 2)
        bottom.addLayout(totals, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
        self.lines.setCurrentCell(-1, -1)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        if order.email:
            layout.addWidget(QLabel(f"Customer email: {order.email}", self))
        layout.addWidget(self.lines, 1)
        layout.addLayout(bottom)
        layout.addWidget(buttons)
        self.resize(760, 520)


async def open_order(
    parent: QWidget, service: CustomerService, order_id: str
) -> OrderDialog | None:
    """Read the order (a busy cursor meanwhile) and open its dialog over `parent`; None
    when `parent` went away while the order was read."""
    parent.setCursor(Qt.CursorShape.BusyCursor)
    try:
        order = await service.order(order_id)
    finally:
        if shiboken6.isValid(parent):
            parent.unsetCursor()
    if not shiboken6.isValid(parent):
        return None
    dialog = OrderDialog(parent, order)
    dialog.open()
    return dialog
