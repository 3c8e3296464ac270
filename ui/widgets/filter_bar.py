"""Search and filters above the customer list. Emits one `CustomerQuery` per change;
typing is debounced so a burst of keys costs one search."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.capabilities import Capability
from app.domain.customer import CustomerGroup
from app.domain.query import CustomerQuery, DateRange

DEBOUNCE_MS = 250


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

    def _toggled(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)
        self.changed.emit()

    def _emit(self) -> None:
        if self.check.isChecked():
            self.changed.emit()

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
        tz = datetime.now().astimezone().tzinfo

        def midnight(day: QDate) -> datetime:
            return datetime.combine(day.toPython(), time(0), tz)  # type: ignore[arg-type]

        return DateRange(
            start=midnight(self.start.date()), end=midnight(self.end.date()) + timedelta(days=1)
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
        self.search.setPlaceholderText("Search name, email, phone, company…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.account = QComboBox(self)
        self.account.setObjectName("accountCombo")
        self.account.setAccessibleName("Account filter")
        self.account.addItem("Any account", None)
        self.account.addItem("With account", True)
        self.account.addItem("Guests", False)
        self.group = QComboBox(self)
        self.group.setObjectName("groupCombo")
        self.group.setAccessibleName("Group filter")
        self.group.addItem("Any group", None)
        self.created = DateRangeEdit("Created", "created", self)
        self.updated = DateRangeEdit("Updated", "updated", self)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda *_: self._debounce.start())
        self.search.returnPressed.connect(self._emit)
        self.search.returnPressed.connect(self.listRequested)
        self.search.installEventFilter(self)
        self.account.currentIndexChanged.connect(lambda *_: self._emit())
        self.group.currentIndexChanged.connect(lambda *_: self._emit())
        self.created.changed.connect(self._emit)
        self.updated.changed.connect(self._emit)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.account)
        top.addWidget(self.group)
        dates = QHBoxLayout()
        dates.addWidget(self.created)
        dates.addSpacing(16)
        dates.addWidget(self.updated)
        dates.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(dates)
        # The search comes last among the filters, so one Tab leads from it to the list.
        QWidget.setTabOrder(self.updated.end, self.search)

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

    def set_capabilities(self, caps: Capability) -> None:
        self.account.setVisible(Capability.FILTER_HAS_ACCOUNT in caps)
        self.group.setVisible(Capability.FILTER_GROUP in caps)
        self.created.setVisible(Capability.FILTER_CREATED in caps)
        self.updated.setVisible(Capability.FILTER_UPDATED in caps)

    def set_groups(self, groups: list[CustomerGroup]) -> None:
        current = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("Any group", None)
        for group in sorted(groups, key=lambda g: g.name.lower()):
            self.group.addItem(group.name, group.id)
        self.group.setCurrentIndex(max(self.group.findData(current), 0))
        self.group.blockSignals(False)

    def query(self) -> CustomerQuery:
        group = self.group.currentData()
        return CustomerQuery(
            text=self.search.text().strip(),
            has_account=self.account.currentData(),
            group_ids=frozenset({group}) if group else frozenset(),
            created=self.created.value(),
            updated=self.updated.value(),
        )

    def set_query(self, query: CustomerQuery) -> None:
        """Show a saved filter's query; one queryChanged at the end, not one per widget."""
        widgets = (self.search, self.account, self.group, self.created, self.updated)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.search.setText(query.text)
            self.account.setCurrentIndex(max(self.account.findData(query.has_account), 0))
            group = next(iter(sorted(query.group_ids)), None)
            self.group.setCurrentIndex(max(self.group.findData(group), 0))
            self.created.set_value(query.created)
            self.updated.set_value(query.updated)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._emit()

    def _emit(self) -> None:
        self._debounce.stop()
        self.queryChanged.emit(self.query())
