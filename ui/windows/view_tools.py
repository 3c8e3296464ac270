"""Export of the current view to CSV and saved filters: the main window's view tools.

Both work on what staff see: the filter bar's query with the list's sort, and (for the
export) the visible columns. The export runs as an owned task with a progress dialog whose
Cancel stops it; a cancelled or failed export leaves no file behind.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Protocol

import shiboken6
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QProgressDialog, QWidget

from app.domain.query import CustomerQuery
from app.services.context import Services, StoreContext
from app.services.export import export_customers_csv
from ui.asyncbridge import TaskOwner
from ui.models.customer_table import Column
from ui.widgets.customer_list_pane import CustomerListPane

EXPORT_COLUMNS = {
    Column.NAME: "name",
    Column.EMAIL: "email",
    Column.PHONE: "phone",
    Column.COMPANY: "company",
    Column.ACCOUNT: "has_account",
    Column.GROUPS: "groups",
    Column.CREATED: "created_at",
    Column.UPDATED: "updated_at",
    Column.ORDERS: "orders",
    Column.SPENT: "spent",
    Column.LAST_ORDER: "last_order",
}


class ViewHost(Protocol):
    """What the view tools need from the window that shows the list."""

    @property
    def context(self) -> StoreContext | None: ...

    @property
    def services(self) -> Services: ...

    @property
    def tasks(self) -> TaskOwner: ...

    @property
    def list_pane(self) -> CustomerListPane: ...

    def show_status(self, message: str, timeout_ms: int = 0) -> None: ...


class ViewTools:
    def __init__(self, window: ViewHost, parent: QWidget) -> None:
        self.window = window
        self.parent = parent  # of the file, name and progress dialogs
        self.progress: QProgressDialog | None = None

    # --- export ------------------------------------------------------------------------

    def visible_columns(self) -> list[str]:
        table = self.window.list_pane.table
        shown = [EXPORT_COLUMNS[c] for c in Column if not table.isColumnHidden(c)]
        if "spent" in shown:  # an amount says nothing without its currency
            shown.insert(shown.index("spent") + 1, "currency")
        return ["id", *shown]

    def ask_and_export(self) -> None:
        window = self.window
        if window.context is None:
            return
        suggestion = str(
            Path.home() / f"customers-{window.context.profile.name}-{date.today()}.csv"
        )
        path, _ = QFileDialog.getSaveFileName(
            self.parent, "Export customers", suggestion, "CSV files (*.csv)"
        )
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> None:
        window = self.window
        if window.context is None:
            return
        query = window.list_pane.model.query
        dialog = QProgressDialog("Exporting customers…", "Cancel", 0, 0, self.parent)
        dialog.setObjectName("exportProgress")
        dialog.setWindowTitle("Export")
        dialog.setMinimumDuration(300)  # quick exports finish without a flash of a dialog
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(lambda: window.tasks.cancel("export"))
        self.progress = dialog
        window.tasks.run_latest("export", self._export(query, path, dialog))

    async def _export(self, query: CustomerQuery, path: Path, dialog: QProgressDialog) -> None:
        window = self.window
        assert window.context is not None

        def progress(done: int, total: int | None) -> None:
            if shiboken6.isValid(dialog):
                if total:
                    dialog.setMaximum(total)
                dialog.setValue(done)
                dialog.setLabelText(
                    f"Exporting customers… {done:,}" + (f" of {total:,}" if total else "")
                )

        try:
            count = await export_customers_csv(
                window.context.customers, query, path, self.visible_columns(), progress
            )
        finally:
            if shiboken6.isValid(dialog):
                dialog.close()
                dialog.deleteLater()
            self.progress = None
        window.show_status(f"Exported {count:,} customers to {path}.", 10_000)

    # --- saved filters -----------------------------------------------------------------

    def current_query(self) -> CustomerQuery:
        return self.window.list_pane.query()

    def fill_menu(self, menu: QMenu) -> None:
        window = self.window
        menu.clear()
        save = menu.addAction("&Save current filter…")
        save.triggered.connect(self.ask_and_save)
        save.setEnabled(window.context is not None)
        if window.context is None:
            return
        saved = window.services.saved_filters.list(window.context.profile.name)
        if not saved:
            return
        menu.addSeparator()
        for item in saved:
            action = menu.addAction(item.name)
            action.triggered.connect(lambda _=False, q=item.query: self.apply(q))
        forget = menu.addMenu("&Delete")
        for item in saved:
            action = forget.addAction(item.name)
            action.triggered.connect(lambda _=False, n=item.name: self.delete(n))

    def ask_and_save(self) -> None:
        window = self.window
        if window.context is None:
            return
        name, ok = QInputDialog.getText(self.parent, "Save filter", "Name for this filter:")
        if ok and name.strip():
            self.save(name)

    def save(self, name: str) -> None:
        window = self.window
        assert window.context is not None
        window.services.saved_filters.save(window.context.profile.name, name, self.current_query())
        window.show_status(f"Saved the filter “{name.strip()}”.", 5000)

    def delete(self, name: str) -> None:
        window = self.window
        assert window.context is not None
        window.services.saved_filters.remove(window.context.profile.name, name)
        window.show_status(f"Deleted the filter “{name}”.", 5000)

    def apply(self, query: CustomerQuery) -> None:
        """Show a saved filter: filter bar, sort indicator and rows, with one search."""
        window = self.window
        pane = window.list_pane
        bar = pane.filter_bar
        bar.blockSignals(True)  # set_query's own queryChanged would search with the old sort
        try:
            bar.set_query(query)
        finally:
            bar.blockSignals(False)
        pane.show_sort(query.sort)
        # What the bar shows and can answer: order filters wait while they are off.
        pane.model.reset_query(bar.query().model_copy(update={"sort": query.sort}))
