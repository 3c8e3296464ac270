"""The desk's left pane: the filter bar over the customer list, the banners under it, the
count line; the list's sort indicator, column menu and keyboard moves.

The window decides what a row opens and when the store is asked; the pane shows the list
of whatever store `service_of()` returns (None: no store open yet).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QMenu, QVBoxLayout, QWidget

from app.domain.capabilities import Capability
from app.domain.query import CustomerQuery, Sort
from app.services.customers import CustomerService
from ui.asyncbridge import attach_owner
from ui.errors import present_error
from ui.models.customer_table import (
    FIGURE_COLUMNS,
    SORT_FIELDS,
    TITLES,
    Column,
    CustomerTableModel,
)
from ui.widgets.customer_list import CustomerListView
from ui.widgets.failed_edits_banner import FailedEditsBanner
from ui.widgets.filter_bar import FilterBar
from ui.widgets.offline_banner import OfflineBanner

# List columns that only make sense where the store keeps that data.
COLUMN_CAPABILITY = {
    Column.PHONE: Capability.PHONE,
    Column.COMPANY: Capability.COMPANY,
    Column.GROUPS: Capability.GROUPS,
    Column.ORDERS: Capability.ORDERS,
    Column.SPENT: Capability.ORDERS,
    Column.LAST_ORDER: Capability.ORDERS,
}
# The list pane at the default window size is made wide enough for the shown columns.
DEFAULT_WIDTHS = {
    Column.NAME: 160,
    Column.EMAIL: 205,
    Column.PHONE: 125,
    Column.COMPANY: 120,
    Column.ACCOUNT: 64,
    Column.GROUPS: 120,
    Column.CREATED: 122,
    Column.UPDATED: 122,
    Column.ORDERS: 64,
    Column.SPENT: 96,
    Column.LAST_ORDER: 122,
}


class CustomerListPane(QWidget):
    # A column the store cannot sort by was clicked (the indicator went back): why.
    sortRefused = Signal(str)

    def __init__(
        self,
        service_of: Callable[[], CustomerService | None],
        on_retry: Callable[[], None],
        on_review_failed: Callable[[], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service_of = service_of
        self.enter_list_when_loaded = False
        self.go_to_end_when_loaded = False
        self.hidden_by_store: list[Column] = []

        self.filter_bar = FilterBar(self)
        self.filter_bar.listRequested.connect(self.enter_list)

        self.model = CustomerTableModel(None, self)
        self.model.on_error = lambda exc: present_error(self, exc, background=True)
        self.model.totalChanged.connect(lambda *_: self.update_count())
        self.model.rowsInserted.connect(lambda *_: self.update_count())
        self.model.modelReset.connect(self.update_count)
        self.model.reachedEnd.connect(self._on_reached_end)
        attach_owner(self, self.model.tasks)

        self.table = CustomerListView(self)
        self._build_table()

        self.count_label = QLabel(self)
        self.count_label.setObjectName("matchCount")
        self.count_label.setAccessibleName("Number of matching customers")

        layout = QVBoxLayout(self)
        self.list_layout = layout
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        # Under the list, not above it: appearing must not move the rows under the pointer.
        self.offline_banner = OfflineBanner(on_retry, self)
        layout.addWidget(self.offline_banner)
        self.failed_edits_banner = FailedEditsBanner(on_review_failed, self)
        layout.addWidget(self.failed_edits_banner)
        layout.addWidget(self.count_label)

    def _build_table(self) -> None:
        table = self.table
        table.setObjectName("customerTable")
        table.setAccessibleName("Customers")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)  # after clearing the indicator: no sort request
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)  # no blank strip whatever columns are shown
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_column_menu)
        header.sortIndicatorChanged.connect(self._on_sort_indicator)
        for column, width in DEFAULT_WIDTHS.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Phone stays visible: finding a customer by phone digits is what staff do most.
        # Optional columns: staff show them from the header's menu (kept with the layout).
        for column in (Column.CREATED, Column.UPDATED, *sorted(FIGURE_COLUMNS)):
            table.setColumnHidden(column, True)
        table.backRequested.connect(self._on_list_escape)
        table.endRequested.connect(self.go_to_last_row)

    # --- the query and its sort ------------------------------------------------------------

    def query(self) -> CustomerQuery:
        """The filter bar's query with the list's sort: what staff see."""
        return self.filter_bar.query().model_copy(update={"sort": self.model.query.sort})

    def _on_sort_indicator(self, section: int, _order: Qt.SortOrder) -> None:
        # A column the store cannot sort by gets its indicator back on the current sort.
        # Before a store is open (the header restored at start) nobody knows yet: the
        # store's capabilities are checked when it opens.
        service = self._service_of()
        if service is None:
            return
        if section < 0 or SORT_FIELDS.get(Column(section)) in self.model.sortable_fields():
            return
        self.show_sort(self.model.query.sort)
        reason = self.model.figures_reason
        figures = Column(section) in FIGURE_COLUMNS and reason is not None
        self.sortRefused.emit(reason if figures else "The store cannot sort by this column.")

    def set_figures_reason(self, reason: str | None) -> None:
        """Why order figures cannot be sorted by now (None: they can, from the mirror)."""
        self.model.set_figures_reason(reason)

    def show_sort(self, sort: Sort) -> None:
        """Put the header's sort indicator on `sort` without sorting again."""
        column = next((c for c, f in SORT_FIELDS.items() if f == sort.field), -1)
        order = Qt.SortOrder.DescendingOrder if sort.descending else Qt.SortOrder.AscendingOrder
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(column, order)
        header.blockSignals(False)

    # --- columns ---------------------------------------------------------------------------

    def hide_unsupported_columns(self, caps: Capability) -> None:
        """Columns the store has no data for (phone, company, groups on some) are
        hidden, and shown again for a store that has it; staff's own choices stay."""
        for column in self.hidden_by_store:
            self.table.setColumnHidden(column, False)
        self.hidden_by_store = [
            column
            for column, needed in COLUMN_CAPABILITY.items()
            if needed not in caps and not self.table.isColumnHidden(column)
        ]
        for column in self.hidden_by_store:
            self.table.setColumnHidden(column, True)

    def _show_column_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        self.fill_column_menu(menu)
        menu.popup(self.table.horizontalHeader().mapToGlobal(pos))

    def fill_column_menu(self, menu: QMenu) -> None:
        menu.clear()
        visible = sum(not self.table.isColumnHidden(c) for c in Column)
        service = self._service_of()
        caps = service.capabilities if service else None
        for column in Column:
            needed = COLUMN_CAPABILITY.get(column)
            missing = caps is not None and needed is not None and needed not in caps
            # A column the store has no data for says so, rather than showing up empty.
            title = f"{TITLES[column]} (this store keeps none)" if missing else TITLES[column]
            action = menu.addAction(title)
            if column in FIGURE_COLUMNS and self.model.figures_reason is not None:
                action.setToolTip(self.model.figures_reason)
            action.setCheckable(True)
            shown = not self.table.isColumnHidden(column)
            action.setChecked(shown)
            action.setEnabled(not missing and not (shown and visible == 1))  # keep one column
            action.toggled.connect(lambda on, c=column: self.show_column(c, on))

    def show_column(self, column: Column, shown: bool) -> None:
        """Show or hide a column; one just shown is scrolled into view (Orders, Spent and
        Last order come in at the right, past the pane's edge: unseen, the click looked
        like it did nothing)."""
        self.table.setColumnHidden(column, not shown)
        if shown:
            # Once the header has laid the column out (the scroll range grows then).
            QTimer.singleShot(0, self, lambda: self._scroll_to_column(column))

    def _scroll_to_column(self, column: Column) -> None:
        # Sideways by hand: the view's scrollTo keeps to the Name column on purpose.
        table, bar = self.table, self.table.horizontalScrollBar()
        if table.isColumnHidden(column):
            return
        table.updateGeometries()  # the scroll range, grown by the column just shown
        width = table.viewport().width()
        for _ in range(bar.maximum() - bar.value()):  # bounded: at most to the end
            left = table.columnViewportPosition(column)
            if left <= 0 or left + table.columnWidth(column) <= width:
                break
            bar.setValue(bar.value() + bar.singleStep())

    def default_width(self) -> int:
        """The pane's width showing its shown columns at their default widths."""
        columns = sum(
            width
            for column, width in DEFAULT_WIDTHS.items()
            if not self.table.isColumnHidden(column)
        )
        margins = self.list_layout.contentsMargins()
        return (
            columns
            + self.table.verticalScrollBar().sizeHint().width()
            + 2 * self.table.frameWidth()
            + margins.left()
            + margins.right()
        )

    # --- the count line --------------------------------------------------------------------

    def update_count(self) -> None:
        total = self.model.total
        shown = self.model.rowCount()
        if self._service_of() is None:
            text = "Opening the store…"
        elif self.model.failed:
            text = f"Could not load customers: {self.model.failed} (F5 retries)"
        elif self.model.loading and shown == 0:
            text = "Searching…"
        elif self.go_to_end_when_loaded:
            of = f" of {total:,}" if total else ""
            text = f"Loading to the last customer: {shown:,}{of}…"
        elif total is None and self.model.estimate is not None:
            text = f"about {self.model.estimate:,} matches ({shown} loaded; counting…)"
        elif total is None:
            text = f"{shown} customers shown; scroll for more"
        elif total == 0:
            text = "No customer matches."
        elif shown < total:
            text = f"{total} matches ({shown} loaded)"
        else:
            text = f"{total} match" + ("" if total == 1 else "es")
        self.count_label.setText(text)

    # --- keyboard --------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.filter_bar.search.setFocus()
        self.filter_bar.search.selectAll()

    def enter_list(self) -> None:
        """From the search box (Down, Enter): the list gets the focus and a current row;
        while results are on their way, the first row once they arrive."""
        self.table.setFocus()
        if self.model.loading or self.model.rowCount() == 0:
            self.enter_list_when_loaded = True
        elif not self.table.currentIndex().isValid():
            self.table.go_to_row(0)

    def go_to_last_row(self) -> None:
        """End/Ctrl+End with pages still on the server: load them all, then the last row."""
        self.go_to_end_when_loaded = True
        self.model.fetch_all()

    def _on_list_escape(self) -> None:
        """Esc in the list: stops a Ctrl+End still loading pages, else back to the search."""
        if self.go_to_end_when_loaded:
            self.go_to_end_when_loaded = False
            self.model.stop_loading()  # the rows loaded so far stay; scrolling goes on
            self.update_count()
            return
        self.focus_search()

    def _on_reached_end(self) -> None:
        if self.go_to_end_when_loaded:
            self.go_to_end_when_loaded = False
            self.table.go_to_row(self.model.rowCount() - 1)
            self.update_count()

    def loading_done(self) -> None:
        """A page arrived (or failed): the row the keyboard asked for, and the count."""
        if self.enter_list_when_loaded:
            self.enter_list_when_loaded = False
            if self.table.hasFocus() and not self.table.currentIndex().isValid():
                self.table.go_to_row(0)
