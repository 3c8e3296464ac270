"""The filter bar's order figures: has orders, spent at least, last order before/after
(lapsed customers), ordered between two days. Answered by the mirror only: while it
cannot answer, the controls are disabled and say why.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.domain.query import DateRange, OrderFilter
from ui.controls.choices import ANY, choose, chosen
from ui.theme import mark

MAX_SPENT = 1_000_000_000.0


def local_midnight(day: QDate) -> datetime:
    """The start of `day` on this computer's clock, at that day's own UTC offset (today's
    offset would put a day across a daylight-saving change an hour off)."""
    return datetime.combine(day.toPython(), time(0)).astimezone()  # type: ignore[arg-type]


def _day_of(moment: datetime) -> QDate:
    return QDate(moment.astimezone().date())


class Bound(StrEnum):
    BEFORE = "before"  # the last order was earlier than the day
    AFTER = "after"  # the last order was later than the day
    BETWEEN = "between"  # on one of the days, both included


class LastOrderEdit(QWidget):
    """`Last order [before ▾] 2026-01-01`: lapsed customers, or recent ones."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox("Last order", self)
        self.check.setObjectName("lastOrderCheck")
        self.bound = QComboBox(self)
        self.bound.setObjectName("lastOrderBound")
        self.bound.setAccessibleName("Last order before, after or between")
        for bound in Bound:
            self.bound.addItem(bound.value, bound)
        today = QDate.currentDate()
        self.start = QDateEdit(today.addMonths(-6), self)
        self.end = QDateEdit(today, self)
        self.dash = QLabel("–", self)
        for edit, which in ((self.start, "day"), (self.end, "last day")):
            edit.setObjectName("lastOrderStart" if edit is self.start else "lastOrderEnd")
            edit.setAccessibleName(f"Last order {which}")
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda *_: self._emit())
        self.check.toggled.connect(self._toggled)
        self.bound.currentIndexChanged.connect(lambda *_: self._bound_changed())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.check, self.bound, self.start, self.dash, self.end):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._enable()

    def _between(self) -> bool:
        return bool(self.bound.currentData() == Bound.BETWEEN)  # Qt hands back a str

    def _enable(self) -> None:
        on = self.check.isChecked()
        for widget in (self.bound, self.start, self.end):
            widget.setEnabled(on)
        self.dash.setVisible(self._between())
        self.end.setVisible(self._between())

    def _toggled(self, _on: bool) -> None:
        self._enable()
        self.changed.emit()

    def _bound_changed(self) -> None:
        self._enable()
        self._emit()

    def _emit(self) -> None:
        if self.check.isChecked():
            self.changed.emit()

    def is_active(self) -> bool:
        return self.check.isChecked()

    def problem(self) -> str | None:
        if self.is_active() and self._between() and self.start.date() > self.end.date():
            return "Last order: the first day is after the last day."
        return None

    def clear(self) -> None:
        self.check.setChecked(False)

    def value(self) -> DateRange:
        if not self.check.isChecked():
            return DateRange()
        day = self.start.date()
        match self.bound.currentData():
            case Bound.BEFORE:
                return DateRange(end=local_midnight(day))
            case Bound.AFTER:
                return DateRange(start=local_midnight(day.addDays(1)))
            case _:
                end = local_midnight(self.end.date().addDays(1))
                return DateRange(start=local_midnight(day), end=end)

    def set_value(self, span: DateRange) -> None:
        """Show a query's half-open range: an end only reads "before", a start only
        "after" (the day before it), both "between" (inclusive days)."""
        if span.is_open():
            self.check.setChecked(False)
            return
        end: QDate | None = None
        if span.start is None and span.end is not None:
            bound, start = Bound.BEFORE, _day_of(span.end)
        elif span.end is None and span.start is not None:
            bound, start = Bound.AFTER, _day_of(span.start).addDays(-1)
        elif span.start is not None and span.end is not None:
            bound = Bound.BETWEEN
            start = _day_of(span.start)
            end = _day_of(span.end - timedelta(microseconds=1))
        self.bound.setCurrentIndex(self.bound.findData(bound))
        self.start.setDate(start)
        if end is not None:
            self.end.setDate(end)
        self.check.setChecked(True)
        self._enable()

    def describe(self) -> str:
        return f"last order {self.bound.currentText()}"


class SpentEdit(QWidget):
    """`Spent at least [100.00]`, in the store's main currency."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox("Spent at least", self)
        self.check.setObjectName("minSpentCheck")
        self.amount = QDoubleSpinBox(self)
        self.amount.setObjectName("minSpentAmount")
        self.amount.setAccessibleName("Spent at least, amount")
        self.amount.setToolTip("In the store's main currency, net of refunds.")
        self.amount.setDecimals(2)
        self.amount.setRange(0.0, MAX_SPENT)
        self.amount.setValue(100.0)
        self.amount.setGroupSeparatorShown(True)
        self.amount.setEnabled(False)
        self.check.toggled.connect(self._toggled)
        self.amount.valueChanged.connect(lambda *_: self._emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.amount)

    def _toggled(self, on: bool) -> None:
        self.amount.setEnabled(on)
        self.changed.emit()

    def _emit(self) -> None:
        if self.check.isChecked():
            self.changed.emit()

    def is_active(self) -> bool:
        return self.check.isChecked()

    def clear(self) -> None:
        self.check.setChecked(False)

    def value(self) -> Decimal | None:
        if not self.check.isChecked():
            return None
        return Decimal(f"{self.amount.value():.2f}")

    def set_value(self, amount: Decimal | None) -> None:
        if amount is None:
            self.check.setChecked(False)
            return
        self.amount.setValue(float(amount))
        self.check.setChecked(True)
        self.amount.setEnabled(True)


class OrderFilters(QWidget):
    """The order rows of the filter bar; `reason` set: disabled, saying why."""

    changed = Signal()

    def __init__(self, ordered: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderFilters")
        self.has_orders = QComboBox(self)
        self.has_orders.setObjectName("hasOrdersCombo")
        self.has_orders.setAccessibleName("Orders filter")
        self.has_orders.addItem("Any orders", ANY)
        self.has_orders.addItem("Has orders", True)
        self.has_orders.addItem("No orders", False)
        self.spent = SpentEdit(self)
        self.last_order = LastOrderEdit(self)
        self.ordered = ordered  # a DateRangeEdit, made by the bar (it owns that class)
        ordered.setParent(self)
        self.reason = QLabel(self)
        self.reason.setObjectName("orderFiltersReason")
        self.reason.setWordWrap(True)
        mark(self.reason, "muted")
        self.reason.hide()
        self.has_orders.currentIndexChanged.connect(lambda *_: self.changed.emit())
        self.spent.changed.connect(self.changed)
        self.last_order.changed.connect(self.changed)

        # Wide: has orders, spent and last order on one row; narrow: last order below.
        self.first_row = QHBoxLayout()
        self.first_row.addWidget(self.has_orders)
        self.first_row.addWidget(self.spent)
        self.first_row.addWidget(self.last_order)
        self.first_row.addStretch(1)
        self.second_row = QHBoxLayout()
        self.second_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.first_row)
        layout.addLayout(self.second_row)
        layout.addWidget(ordered)
        layout.addWidget(self.reason)
        self._reason: str | None = None

    def _has_orders(self) -> bool | None:
        value = chosen(self.has_orders)
        return value if isinstance(value, bool) else None

    def tab_chain(self) -> list[QWidget]:
        """Its own rows in reading order (the ordered range is the bar's)."""
        last = self.last_order
        spent = self.spent
        return [
            self.has_orders,
            spent.check,
            spent.amount,
            last.check,
            last.bound,
            last.start,
            last.end,
        ]

    def row_widgets(self) -> list[QWidget]:
        return [self.has_orders, self.spent, self.last_order]

    def fit(self, width: int) -> None:
        """Last order beside the others where `width` has room for all three, else on
        a row of its own (never squeezed, never a wide combo box stretched alone)."""
        spacing = max(self.first_row.spacing(), 0)
        widgets = self.row_widgets()
        needed = sum(w.sizeHint().width() for w in widgets) + spacing * (len(widgets) - 1)
        target = self.first_row if width >= needed else self.second_row
        if target.indexOf(self.last_order) < 0:
            target.insertWidget(target.count() - 1, self.last_order)  # before the stretch

    @property
    def available(self) -> bool:
        return self._reason is None

    def set_reason(self, reason: str | None) -> None:
        """None: the mirror answers order filters; else they are disabled, saying why
        (what staff set stays, and applies again once they are back)."""
        self._reason = reason
        for widget in (self.has_orders, self.spent, self.last_order, self.ordered):
            widget.setEnabled(reason is None)
            widget.setToolTip(reason or "")
        self.reason.setText(reason or "")
        self.reason.setVisible(reason is not None)

    def value(self, ordered: DateRange) -> OrderFilter:
        if not self.available or self.isHidden():  # off, or a store without orders
            return OrderFilter()
        return OrderFilter(
            has_orders=self._has_orders(),
            min_spent=self.spent.value(),
            last_order=self.last_order.value(),
            ordered=ordered,
        )

    def problem(self) -> str | None:
        return self.last_order.problem() if self.available else None

    def active(self, ordered_active: bool) -> list[str]:
        if not self.available or self.isHidden():  # hidden: the store has no orders
            return []
        found = []
        if self._has_orders() is not None:
            found.append(self.has_orders.currentText().lower())
        if self.spent.is_active():
            found.append(f"spent at least {self.spent.amount.text()}")
        if self.last_order.is_active():
            found.append(self.last_order.describe())
        if ordered_active:
            found.append("ordered")
        return found

    def clear(self) -> None:
        self.has_orders.setCurrentIndex(0)
        self.spent.clear()
        self.last_order.clear()

    def set_value(self, orders: OrderFilter) -> None:
        choose(self.has_orders, orders.has_orders)
        self.spent.set_value(orders.min_spent)
        self.last_order.set_value(orders.last_order)

    def bold_widgets(self) -> list[tuple[QWidget, bool]]:
        return [
            (self.has_orders, self._has_orders() is not None),
            (self.spent.check, self.spent.is_active()),
            (self.last_order.check, self.last_order.is_active()),
        ]
