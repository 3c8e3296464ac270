"""Search and filters above the customer list. Emits one `CustomerQuery` per change.

Typing goes to the server debounced, so a burst of keys costs one request; when the
local mirror answers (a few milliseconds) every keystroke searches at once and the list
keeps only the latest keystroke's answer (the model cancels and ignores older ones)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QDate, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.capabilities import Capability
from app.domain.customer import CustomerGroup
from app.domain.query import CustomerQuery, DateRange
from ui.controls.choices import ANY, choose, chosen
from ui.theme import mark
from ui.widgets.order_filters import OrderFilters, local_midnight

DEBOUNCE_MS = 250  # typing that goes to the server: one request per pause


def _never() -> bool:
    return False


GROUP_MAX_WIDTH = 240


class DateRangeEdit(QWidget):
    """An optional [from, to] day range (both days included)."""

    changed = Signal()

    def __init__(self, label: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label, self)
        self.check.setObjectName(f"{name}Check")
        today = QDate.currentDate()
        self.start = QDateEdit(today.addMonths(-1), self)
        self.end = QDateEdit(today, self)
        for edit, which in ((self.start, "from"), (self.end, "to")):
            edit.setObjectName(f"{name}{which.capitalize()}")
            edit.setAccessibleName(f"{label} {which}")
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(lambda *_: self._emit())
        self.check.toggled.connect(self._toggled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.start)
        layout.addWidget(QLabel("–", self))
        layout.addWidget(self.end)
        layout.addStretch(1)  # compact when the ranges stand one above the other

    def _toggled(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)
        self.changed.emit()

    def _emit(self) -> None:
        if self.check.isChecked():
            self.changed.emit()

    def is_active(self) -> bool:
        return self.check.isChecked()

    def problem(self) -> str | None:
        """Why the range cannot be searched (a reversed range), or None."""
        if self.check.isChecked() and self.start.date() > self.end.date():
            label = self.check.text().replace("&", "").lower()
            return f"{label.capitalize()}: the first day is after the last day."
        return None

    def clear(self) -> None:
        self.check.setChecked(False)

    def set_range(self, start: QDate, end: QDate) -> None:
        self.blockSignals(True)
        self.start.setDate(start)
        self.end.setDate(end)
        self.blockSignals(False)
        self.check.setChecked(True)
        self.changed.emit()

    def set_value(self, span: DateRange) -> None:
        """Show `span` (half-open, as a query holds it) as an inclusive day range."""
        if span.is_open():
            self.check.setChecked(False)
            return
        today = QDate.currentDate()
        start = QDate(span.start.astimezone().date()) if span.start else today.addYears(-10)
        last = (
            QDate((span.end - timedelta(microseconds=1)).astimezone().date()) if span.end else today
        )
        self.start.setDate(start)
        self.end.setDate(last)
        self.check.setChecked(True)

    def value(self) -> DateRange:
        if not self.check.isChecked():
            return DateRange()
        return DateRange(
            start=local_midnight(self.start.date()),
            end=local_midnight(self.end.date().addDays(1)),
        )


class FilterBar(QWidget):
    queryChanged = Signal(object)  # CustomerQuery
    listRequested = Signal()  # Down or Enter in the search box: go to the results

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.search = QLineEdit(self)
        self.search.setObjectName("searchEdit")
        self.search.setAccessibleName("Search customers")
        self.search.setPlaceholderText(search_placeholder(None))
        self.search.setClearButtonEnabled(True)
        self.account = QComboBox(self)
        self.account.setObjectName("accountCombo")
        self.account.setAccessibleName("Account filter")
        self.account.addItem("Any account", ANY)
        self.account.addItem("With account", True)
        self.account.addItem("Guests", False)
        self.group = QComboBox(self)
        self.group.setObjectName("groupCombo")
        self.group.setAccessibleName("Group filter")
        # Grows with the groups the store sends after the first show ("Key accounts").
        self.group.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.group.setMaximumWidth(GROUP_MAX_WIDTH)  # a very long name is elided, not the list
        self.group.addItem("Any group", ANY)
        self.created = DateRangeEdit("Created", "created", self)
        self.updated = DateRangeEdit("Updated", "updated", self)
        self.ordered = DateRangeEdit("Ordered between", "ordered", self)
        self.ordered.check.setToolTip("At least one order placed on one of these days.")
        self.orders = OrderFilters(self.ordered, self)
        self.clear_button = QPushButton("Clear filters", self)
        self.clear_button.setObjectName("clearFiltersButton")
        self.clear_button.clicked.connect(self.clear_filters)
        self.date_error = QLabel(self)
        self.date_error.setObjectName("dateRangeError")
        mark(self.date_error, "error")
        self.date_error.hide()
        self.unsupported = QLabel(self)
        self.unsupported.setObjectName("unsupportedFilters")
        self.unsupported.setWordWrap(True)
        mark(self.unsupported, "muted")
        self.unsupported.hide()

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        # Whether a search is answered locally now (the window knows the store).
        self.answers_locally: Callable[[], bool] = _never
        self.search.textChanged.connect(self._on_text_changed)
        self.search.returnPressed.connect(self._emit)
        self.search.returnPressed.connect(self.listRequested)
        self.search.installEventFilter(self)
        self.account.currentIndexChanged.connect(lambda *_: self._emit())
        self.group.currentIndexChanged.connect(lambda *_: self._emit())
        self.created.changed.connect(self._emit)
        self.updated.changed.connect(self._emit)
        self.ordered.changed.connect(self._emit)
        self.orders.changed.connect(self._emit)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.account)
        top.addWidget(self.group)
        top.addWidget(self.clear_button)
        # Side by side where there is room, one above the other in a narrow window.
        self.dates = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.dates.addWidget(self.created)
        self.dates.addWidget(self.updated)
        self.dates.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(self.dates)
        layout.addWidget(self.orders)
        layout.addWidget(self.date_error)
        layout.addWidget(self.unsupported)
        # The search comes last among the filters, so one Tab leads from it to the list.
        # The order filters after the dates, in reading order (the ordered range was made
        # before the rows it sits under).
        chain: list[QWidget] = [
            self.updated.end,
            *self.orders.tab_chain(),
            self.ordered.check,
            self.ordered.start,
            self.ordered.end,
            self.search,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._show_active()

    # --- a narrow window ---------------------------------------------------------------

    def _dates_width(self) -> int:
        spacing = max(self.dates.spacing(), 0)
        return self.created.sizeHint().width() + spacing + self.updated.sizeHint().width()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        narrow = max(
            w.minimumSizeHint().width()
            for w in (self.created, self.updated, self.ordered, *self.orders.row_widgets())
        )
        top = (
            sum(
                min(w.minimumSizeHint().width(), w.maximumWidth())
                for w in (self.search, self.account, self.group)
            )
            + self.clear_button.sizeHint().width()
        )
        return QSize(max(narrow, top + 3 * 6), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        wide = event.size().width() >= self._dates_width()
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.dates.direction() != direction:
            self.dates.setDirection(direction)
        self.orders.fit(event.size().width())
        super().resizeEvent(event)

    def _on_text_changed(self, _text: str) -> None:
        if self.answers_locally():
            self._emit()  # the mirror answers in milliseconds: no pause to wait for
        else:
            self._debounce.start()

    # --- keys --------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            if self._debounce.isActive():
                self._emit()  # what is typed is what the list shows
            self.listRequested.emit()
            return True
        return super().eventFilter(watched, event)

    # --- the store ---------------------------------------------------------------------

    def set_capabilities(self, caps: Capability) -> None:
        missing = []
        for widget, capability, what in (
            (self.account, Capability.FILTER_HAS_ACCOUNT, "account"),
            (self.group, Capability.FILTER_GROUP, "group"),
            (self.created, Capability.FILTER_CREATED, "created date"),
            (self.updated, Capability.FILTER_UPDATED, "updated date"),
        ):
            widget.setVisible(capability in caps)
            if capability not in caps:
                missing.append(what)
        if Capability.ORDERS not in caps:
            missing.append("orders")
        # A filter that is not there says why, rather than leaving staff to hunt for it.
        self.unsupported.setText(
            f"This store cannot filter by {_join(missing)}." if missing else ""
        )
        self.unsupported.setVisible(bool(missing))
        self.search.setPlaceholderText(search_placeholder(caps))
        self.orders.setVisible(Capability.ORDERS in caps)

    def set_figures_reason(self, reason: str | None) -> None:
        """Order filters on (None) or off with the reason (the mirror cannot answer)."""
        self.orders.set_reason(reason)
        self._show_active()

    def set_groups(self, groups: list[CustomerGroup]) -> None:
        current = chosen(self.group)
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("Any group", ANY)
        for group in sorted(groups, key=lambda g: g.name.lower()):
            self.group.addItem(group.name, group.id)
        choose(self.group, current)
        self.group.blockSignals(False)
        self._show_active()  # the widths kept for bold follow the new names

    # --- the query ---------------------------------------------------------------------

    def query(self) -> CustomerQuery:
        group = chosen(self.group)
        account = chosen(self.account)
        return CustomerQuery(
            text=self.search.text().strip(),
            has_account=account if isinstance(account, bool) else None,
            group_ids=frozenset({group}) if isinstance(group, str) and group else frozenset(),
            created=self.created.value(),
            updated=self.updated.value(),
            orders=self.orders.value(self.ordered.value()),
        )

    def active_filters(self) -> list[str]:
        """The filters narrowing the list now (the search text aside)."""
        active = []
        if self.account.isVisible() and chosen(self.account) is not None:
            active.append(self.account.currentText())
        if self.group.isVisible() and chosen(self.group) is not None:
            active.append(f"group {self.group.currentText()}")
        for edit in (self.created, self.updated):
            if edit.isVisible() and edit.is_active():
                active.append(edit.check.text().lower())
        active += self.orders.active(self.ordered.is_active())
        return active

    def clear_filters(self) -> None:
        """Every filter back to "any"; the search text stays."""
        widgets = (self.account, self.group, self.created, self.updated, self.ordered, self.orders)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.account.setCurrentIndex(0)
            self.group.setCurrentIndex(0)
            self.created.clear()
            self.updated.clear()
            self.ordered.clear()
            self.orders.clear()
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._emit()

    def set_query(self, query: CustomerQuery) -> None:
        """Show a saved filter's query; one queryChanged at the end, not one per widget."""
        widgets = (
            self.search,
            self.account,
            self.group,
            self.created,
            self.updated,
            self.ordered,
            self.orders,
        )
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.search.setText(query.text)
            choose(self.account, query.has_account)
            group = next(iter(sorted(query.group_ids)), None)
            choose(self.group, group)
            self.created.set_value(query.created)
            self.updated.set_value(query.updated)
            # Kept even while order filters are off: they apply once the mirror answers.
            self.ordered.set_value(query.orders.ordered)
            self.orders.set_value(query.orders)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._emit()

    def _show_active(self) -> None:
        for widget, on in (
            (self.account, chosen(self.account) is not None),
            (self.group, chosen(self.group) is not None),
            (self.created.check, self.created.is_active()),
            (self.updated.check, self.updated.is_active()),
            (self.ordered.check, self.ordered.is_active()),
            *self.orders.bold_widgets(),
        ):
            font = widget.font()
            # As wide as when bold either way: marking a filter must not shift the
            # controls beside it under the pointer.
            font.setBold(True)
            widget.setFont(font)
            widget.setMinimumWidth(0)
            widget.setMinimumWidth(widget.sizeHint().width())
            font.setBold(on)
            widget.setFont(font)
        active = self.active_filters()
        self.clear_button.setEnabled(bool(active))
        # Room for "(12)" from the start, so the search box does not shrink at the first.
        self.clear_button.setText("Clear filters (88)")
        self.clear_button.setMinimumWidth(self.clear_button.sizeHint().width())
        self.clear_button.setText(f"Clear filters ({len(active)})" if active else "Clear filters")
        self.clear_button.setToolTip("Filtering by " + _join(active) if active else "No filter")

    def _emit(self) -> None:
        self._debounce.stop()
        self._show_active()
        order_problems = (self.ordered.problem(), self.orders.problem())
        if not self.orders.available:
            order_problems = (None, None)
        problems = [
            p for p in (self.created.problem(), self.updated.problem(), *order_problems) if p
        ]
        self.date_error.setText(" ".join(problems))
        self.date_error.setVisible(bool(problems))
        if problems:
            return  # refused: the list keeps answering the last valid query
        self.queryChanged.emit(self.query())


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def search_placeholder(caps: Capability | None) -> str:
    """Promise only what this store's search looks at."""
    fields = ["name", "email"]
    if caps is None or Capability.SEARCH_BY_PHONE in caps:
        fields.append("phone")
    if caps is None or Capability.SEARCH_BY_COMPANY in caps:
        fields.append("company")
    return f"Search {', '.join(fields)}…  (Ctrl+F)"
