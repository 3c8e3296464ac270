"""The desk: customer list with filters on the left, the selected customer on the right."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.domain.capabilities import Capability
from app.domain.customer import CustomerSummary
from app.domain.query import CustomerQuery, Sort
from app.services.context import Services, StoreContext
from app.services.mirror import Choice, Conflict, MirrorState
from app.services.profiles import DEMO_STORE, BackendKind
from ui.asyncbridge import TaskOwner, attach_owner, owned_slot
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.errors import present_error
from ui.models.customer_table import (
    CUSTOMER_ID_ROLE,
    SORT_FIELDS,
    TITLES,
    Column,
    CustomerTableModel,
)
from ui.settings import ui_settings
from ui.store import open_store
from ui.theme import DEMO_BADGE_STYLE
from ui.widgets.customer_editor import CustomerEditor
from ui.widgets.demo_menu import DemoMenu
from ui.widgets.filter_bar import FilterBar
from ui.widgets.offline_banner import OfflineBanner
from ui.windows.view_tools import ViewTools

APP_TITLE = "Merchant Desk"


# List columns that only make sense where the store keeps that data.
COLUMN_CAPABILITY = {
    Column.PHONE: Capability.PHONE,
    Column.COMPANY: Capability.COMPANY,
    Column.GROUPS: Capability.GROUPS,
}
DEMO_DIALECT = {
    BackendKind.DEMO: "Medusa",
    BackendKind.DEMO_CHEC: "Chec",
    BackendKind.DEMO_EP: "Elastic Path",
}


class MainWindow(QMainWindow):
    closed = Signal()
    storeOpened = Signal(str)  # profile name

    def __init__(
        self,
        services: Services,
        *,
        demo_customers: int | None = None,
        background_sync: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.services = services
        # The desktop app keeps each store's offline mirror fresh in the background
        # (ui.app turns it on; tests opt in where they exercise the mirror).
        self.background_sync = background_sync
        self.context: StoreContext | None = None
        self._unsubscribe: list[object] = []
        self._conflicts_shown: set[int] = set()
        self._demo_customers = demo_customers
        self._close_confirmed = False
        self._showing_id: str | None = None
        self._hidden_by_store: list[Column] = []
        self.tasks = TaskOwner("main window", lambda exc: present_error(self, exc))
        attach_owner(self, self.tasks)
        self.view_tools = ViewTools(self)
        self._build()
        self._build_menus()
        self._restore_layout()
        self._update_title()

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.filter_bar = FilterBar(self)
        self.filter_bar.queryChanged.connect(self._on_query_changed)

        self.model = CustomerTableModel(None, self)
        self.model.on_error = lambda exc: present_error(self, exc, background=True)
        self.model.loadingChanged.connect(self._on_loading_changed)
        self.model.totalChanged.connect(lambda *_: self._update_count())
        self.model.rowsInserted.connect(lambda *_: self._update_count())
        self.model.modelReset.connect(self._update_count)
        attach_owner(self, self.model.tasks)

        self.table = QTableView(self)
        self.table.setObjectName("customerTable")
        self.table.setAccessibleName("Customers")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # after clearing the indicator: no sort request
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)  # no blank strip whatever columns are shown
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_column_menu)
        header.sortIndicatorChanged.connect(self._on_sort_indicator)
        # Default widths fit the visible columns in the list pane of a 1400 px window.
        widths = {
            Column.NAME: 160,
            Column.EMAIL: 205,
            Column.PHONE: 125,
            Column.COMPANY: 120,
            Column.ACCOUNT: 64,
            Column.GROUPS: 120,
            Column.CREATED: 122,
            Column.UPDATED: 122,
        }
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Phone stays visible: finding a customer by phone digits is what staff do most.
        for column in (Column.CREATED, Column.UPDATED):
            self.table.setColumnHidden(column, True)  # staff can show them from the header
        self.table.activated.connect(self._on_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("matchCount")
        self.count_label.setAccessibleName("Number of matching customers")

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(self.filter_bar)
        self.offline_banner = OfflineBanner(self._on_retry_connection, self)
        left_layout.addWidget(self.offline_banner)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count_label)

        self.editor = CustomerEditor(None, self)
        self.editor.customerSaved.connect(self._on_customer_saved)
        self.editor.customerCreated.connect(self._on_customer_created)
        self.editor.customerDeleted.connect(self.model.remove_customer)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        status = self.statusBar()
        self.store_label = QLabel(self)
        self.store_label.setObjectName("storeLabel")
        self.connection_label = QLabel("Not connected", self)
        self.connection_label.setObjectName("connectionLabel")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("progress")
        self.progress.setRange(0, 0)  # busy indicator
        self.progress.setMaximumWidth(120)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.progress.hide()
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.connection_label)
        status.addPermanentWidget(self.store_label)

        self.demo_badge = QLabel("DEMO STORE", self)
        self.demo_badge.setObjectName("demoBadge")
        self.demo_badge.setAccessibleName("Demo store: changes here are not real")
        self.demo_badge.setToolTip("The built-in demo store: sample data, safe to change.")
        self.demo_badge.setStyleSheet(DEMO_BADGE_STYLE)
        self.demo_badge.hide()
        self.menuBar().setCornerWidget(self.demo_badge, Qt.Corner.TopRightCorner)
        self.resize(1320, 820)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&Customer")
        self.new_action = self._action(
            "&New customer", QKeySequence.StandardKey.New, self._on_new_customer, file_menu
        )
        self.refresh_action = self._action(
            "&Refresh", QKeySequence.StandardKey.Refresh, self.refresh, file_menu
        )
        self.find_action = self._action(
            "&Find", QKeySequence.StandardKey.Find, self.focus_search, file_menu
        )
        self.export_action = self._action(
            "&Export view to CSV…",
            QKeySequence("Ctrl+E"),
            self.view_tools.ask_and_export,
            file_menu,
        )
        file_menu.addSeparator()
        self.quit_action = self._action("&Quit", QKeySequence("Ctrl+Q"), self.close, file_menu)

        self.store_menu = bar.addMenu("&Store")
        self.switch_menu = self.store_menu.addMenu("&Switch to")
        self.switch_menu.aboutToShow.connect(self._fill_switch_menu)
        self.manage_action = self._action(
            "&Manage stores…", None, self._on_manage_stores, self.store_menu
        )

        view_menu = bar.addMenu("&View")
        self.columns_menu = view_menu.addMenu("&Columns")
        self.columns_menu.aboutToShow.connect(lambda: self._fill_column_menu(self.columns_menu))
        self.filters_menu = view_menu.addMenu("Saved &filters")
        self.filters_menu.aboutToShow.connect(lambda: self.view_tools.fill_menu(self.filters_menu))
        self.demo_menu = DemoMenu(self)
        bar.addMenu(self.demo_menu)
        self.demo_menu.set_store(None)
        help_menu = bar.addMenu("&Help")
        self._action("&About Merchant Desk", None, self._on_about, help_menu)

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | None,
        slot: object,
        menu: QMenu,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # --- settings ----------------------------------------------------------------------

    def _restore_layout(self) -> None:
        settings = ui_settings()
        for key, restore in (
            ("main/geometry", self.restoreGeometry),
            ("main/state", self.restoreState),
            ("main/splitter", self.splitter.restoreState),
            ("main/columns", self.table.horizontalHeader().restoreState),
        ):
            value = settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)
        if not isinstance(settings.value("main/splitter"), QByteArray):
            self.splitter.setSizes([840, 520])
        # Restoring the header restored its sort indicator, and with it the model's sort.

    def save_layout(self) -> None:
        settings = ui_settings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/state", self.saveState())
        settings.setValue("main/splitter", self.splitter.saveState())
        # Save staff's column choice, not what this store happened to hide.
        for column in self._hidden_by_store:
            self.table.setColumnHidden(column, False)
        settings.setValue("main/columns", self.table.horizontalHeader().saveState())
        for column in self._hidden_by_store:
            self.table.setColumnHidden(column, True)
        settings.sync()

    # --- StatusSink --------------------------------------------------------------------

    def show_status(self, message: str, timeout_ms: int = 0) -> None:
        self.statusBar().showMessage(message, timeout_ms)

    def set_offline(self, message: str) -> None:
        self._set_connection("Offline", message)

    def _set_connection(self, state: str, tooltip: str = "") -> None:
        self.connection_label.setText(state)
        self.connection_label.setToolTip(tooltip)

    # --- store -------------------------------------------------------------------------

    def open_store(self, name: str | None) -> None:
        self.tasks.run_latest("store", self._open_store(name))

    async def _open_store(self, name: str | None) -> None:
        if not await self.editor.confirm_leave():
            return
        self._set_connection("Signing in…")
        self.progress.show()
        try:
            context = await open_store(self.services, name, demo_customers=self._demo_customers)
        except BaseException:
            if shiboken6.isValid(self):
                self.progress.hide()
                self._set_connection("Offline" if self.context is None else "Online")
            raise
        if not shiboken6.isValid(self):
            await context.aclose()
            return
        previous = self.context
        self.use_store(context)
        if previous is not None:
            await previous.aclose()

    async def release_store(self, name: str) -> bool:
        """Before store `name` is removed: if it is open here, move to the demo store, so
        its mirror is closed before its file is deleted. False if it stays open."""
        if self.current_store_name() != name:
            return True
        await self._open_store(DEMO_STORE)
        return self.current_store_name() != name

    def current_store_name(self) -> str | None:
        return self.context.profile.name if self.context is not None else None

    def use_store(self, context: StoreContext) -> None:
        """Show `context`'s customers. The caller closes the previous store's context."""
        self.tasks.cancel("groups")
        self.context = context
        service = context.customers
        caps = service.capabilities
        self.filter_bar.set_capabilities(caps)
        self.editor.set_service(service)
        self._showing_id = None
        self.new_action.setEnabled(Capability.CUSTOMER_CREATE in caps)
        self._hide_unsupported_columns(caps)
        self._update_title()
        self.model.set_service(service)
        self._on_query_changed(self.filter_bar.query())
        if Capability.GROUPS in caps:
            self.tasks.run_latest("groups", self._load_groups())
        self._watch_mirror(context)
        self.storeOpened.emit(context.profile.name)

    # --- the offline mirror ------------------------------------------------------------

    def _watch_mirror(self, context: StoreContext) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()  # type: ignore[operator]
        self._unsubscribe = []
        self.offline_banner.hide()
        mirror = context.mirror
        if mirror is None:
            return
        self._unsubscribe.append(mirror.subscribe(self._on_mirror_state))
        if self.background_sync:
            mirror.start()
        self._on_mirror_state(mirror.state)
        self.tasks.run_latest("drafts", self.editor.offer_drafts())

    def _on_mirror_state(self, state: MirrorState) -> None:
        if not shiboken6.isValid(self):
            return
        self.offline_banner.show_state(state)
        self.editor.set_online(state.online)
        if not state.online:
            self._set_connection("Offline", state.reason or "")
        elif self.connection_label.text() == "Offline":
            self._set_connection("Online")
        if state.announcement:
            self.show_status(state.announcement, 8000)
            self.model.refresh()  # back online: the list as the store has it now
        if state.progress is not None and state.progress.phase == "full":
            total, done = state.progress.total, state.progress.done
            if total and done >= total:  # finished: say so, then let the bar clear
                self.show_status(f"Copied {total:,} customers for offline use.", 8000)
            else:
                of = f" of {total:,}" if total else ""
                self.show_status(f"Copying the store for offline use: {done:,}{of}")
        for conflict in state.conflicts:
            if conflict.seq not in self._conflicts_shown:
                self._conflicts_shown.add(conflict.seq)
                self._show_conflict(conflict)

    def _show_conflict(self, conflict: Conflict) -> None:
        name = conflict.customer_id
        row = self.model.row_of(conflict.customer_id)
        if row is not None:
            name = self.model.item(row).display_name
        dialog = ConflictDialog(conflict, name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._resolve(conflict.seq, dialog.choices()))
        dialog.open()

    def _resolve(self, seq: int, choices: dict[str, Choice]) -> None:
        if self.context is not None and self.context.mirror is not None:
            mirror = self.context.mirror
            self.tasks.run_latest(f"resolve {seq}", mirror.resolve(seq, choices))

    def _on_retry_connection(self) -> None:
        if self.context is not None and self.context.mirror is not None:
            self.tasks.run_latest("probe", self.context.mirror.probe())

    async def _load_groups(self) -> None:
        assert self.context is not None
        groups = await self.context.customers.groups()
        if shiboken6.isValid(self):
            self.filter_bar.set_groups(groups)
            self.editor.set_all_groups(groups)

    def _hide_unsupported_columns(self, caps: Capability) -> None:
        """Columns the store has no data for (Elastic Path: phone, company, groups) are
        hidden, and shown again for a store that has it; staff's own choices stay."""
        for column in self._hidden_by_store:
            self.table.setColumnHidden(column, False)
        self._hidden_by_store = [
            column
            for column, needed in COLUMN_CAPABILITY.items()
            if needed not in caps and not self.table.isColumnHidden(column)
        ]
        for column in self._hidden_by_store:
            self.table.setColumnHidden(column, True)

    def _update_title(self) -> None:
        context = self.context
        if context is None:
            self.setWindowTitle(APP_TITLE)
            self.store_label.setText("No store")
            self.demo_badge.hide()
            return
        name = (
            f"Demo store ({DEMO_DIALECT.get(context.profile.backend, 'Medusa')})"
            if context.is_demo
            else context.profile.name
        )
        suffix = " [DEMO STORE]" if context.is_demo else ""
        self.setWindowTitle(f"{name}{suffix} — {APP_TITLE}")
        where = context.profile.url or "built in"
        # Allowed explicitly, but never silently: staff see their traffic is readable.
        insecure = context.profile.plaintext_warning
        self.store_label.setText(f"Store: {name}" + (" ⚠ not encrypted" if insecure else ""))
        self.store_label.setToolTip(f"{where}\n{insecure}" if insecure else where)
        self.demo_badge.setVisible(context.is_demo)
        self.demo_menu.set_store(context)

    def _fill_switch_menu(self) -> None:
        self.switch_menu.clear()
        try:
            names = [p.name for p in self.services.profiles.list()]
        except Exception as exc:
            present_error(self, exc)
            names = []
        current = self.context.profile.name if self.context else None
        for name in [*names, DEMO_STORE]:
            label = "Demo store (built in)" if name == DEMO_STORE else name
            action = self.switch_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(name == current)
            action.triggered.connect(lambda _=False, n=name: self.open_store(n))

    def _on_manage_stores(self) -> None:
        from ui.dialogs.stores_dialog import StoresDialog  # the dialog is seldom used

        dialog = StoresDialog(self.services, self, release_store=self.release_store)
        dialog.switchRequested.connect(self.open_store)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.stores_dialog = dialog
        dialog.open()

    def _on_about(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "About Merchant Desk",
            f"Merchant Desk {__version__}\nA desk for a shop's customers.",
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): no nested event loop under the asyncio tasks

    # --- list --------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.filter_bar.search.setFocus()
        self.filter_bar.search.selectAll()

    def refresh(self) -> None:
        if self.context is None:
            return
        mirror = self.context.mirror
        if mirror is not None and self.background_sync:
            mirror.request_sync()  # F5 also pulls the store's changes into the mirror
        self.model.refresh()
        if Capability.GROUPS in self.context.customers.capabilities:
            self.tasks.run_latest("groups", self._load_groups())
        if self.editor.customer is not None and not self.editor.is_dirty():
            self.editor.load(self.editor.customer.id)

    def _on_query_changed(self, query: CustomerQuery) -> None:
        # The filter bar owns the filters; the header owns the sort.
        if self.context is not None:
            self.model.reset_query(query.model_copy(update={"sort": self.model.query.sort}))

    def _on_sort_indicator(self, section: int, _order: Qt.SortOrder) -> None:
        # A column the store cannot sort by gets its indicator back on the current sort.
        sortable = self.context.customers.sort_fields if self.context else frozenset()
        if section < 0 or SORT_FIELDS.get(Column(section)) in sortable:
            return
        self.show_sort(self.model.query.sort)
        self.show_status("The store cannot sort by this column.", 4000)

    def show_sort(self, sort: Sort) -> None:
        """Put the header's sort indicator on `sort` without sorting again."""
        column = next((c for c, f in SORT_FIELDS.items() if f == sort.field), -1)
        order = Qt.SortOrder.DescendingOrder if sort.descending else Qt.SortOrder.AscendingOrder
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(column, order)
        header.blockSignals(False)

    def _on_loading_changed(self, loading: bool) -> None:
        self.progress.setVisible(loading or self.tasks.running("store"))
        context = self.context
        # A page from the mirror while offline is no sign of the server being back.
        if (
            not loading
            and self.model.failed is None
            and context is not None
            and (context.mirror is None or context.mirror.online)
        ):
            self._set_connection("Online", context.profile.url or "built in")
        self._update_count()

    def _update_count(self) -> None:
        total = self.model.total
        shown = self.model.rowCount()
        if self.context is None:
            text = "Opening the store…"
        elif self.model.failed:
            text = f"Could not load customers: {self.model.failed} (F5 retries)"
        elif self.model.loading and shown == 0:
            text = "Searching…"
        elif total is None:
            text = f"{shown} customers shown; scroll for more"
        elif total == 0:
            text = "No customer matches."
        elif shown < total:
            text = f"{total} matches ({shown} loaded)"
        else:
            text = f"{total} match" + ("" if total == 1 else "es")
        self.count_label.setText(text)

    def _show_column_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        self._fill_column_menu(menu)
        menu.popup(self.table.horizontalHeader().mapToGlobal(pos))

    def _fill_column_menu(self, menu: QMenu) -> None:
        menu.clear()
        visible = sum(not self.table.isColumnHidden(c) for c in Column)
        for column in Column:
            action = menu.addAction(TITLES[column])
            action.setCheckable(True)
            shown = not self.table.isColumnHidden(column)
            action.setChecked(shown)
            action.setEnabled(not (shown and visible == 1))  # keep one column
            action.toggled.connect(lambda on, c=column: self.table.setColumnHidden(c, not on))

    # --- which customer is open ----------------------------------------------------------

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        customer_id = self.model.data(current, CUSTOMER_ID_ROLE) if current.isValid() else None
        if customer_id and customer_id != self._showing_id:
            self.tasks.run_latest("open", self._open_customer(str(customer_id)))

    def _on_activated(self, index: QModelIndex) -> None:
        self._on_current_row_changed(index, QModelIndex())
        self.editor.tabs.setCurrentIndex(0)
        self.editor.fields["email"].setFocus()

    def open_customer(self, customer_id: str) -> None:
        """Show the customer (asking first about unsaved edits) and select its row."""
        self.tasks.run_latest("open", self._open_customer(customer_id))

    async def _open_customer(self, customer_id: str) -> None:
        if not await self.editor.confirm_leave():
            if shiboken6.isValid(self):
                self._select_quietly(self._showing_id)
            return
        if not shiboken6.isValid(self):
            return
        self._showing_id = customer_id
        self._select_quietly(customer_id)
        self.editor.load(customer_id)

    def _select_quietly(self, customer_id: str | None) -> None:
        row = self.model.row_of(customer_id) if customer_id else None
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        if row is None:
            selection.clearSelection()
        else:
            index = self.model.index(row, 0)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        selection.blockSignals(False)
        self.table.viewport().update()

    def _on_customer_saved(self, customer: CustomerSummary) -> None:
        self.model.update_customer(customer)

    def _on_customer_created(self, customer: CustomerSummary) -> None:
        self.model.insert_first(customer)
        self._showing_id = customer.id
        self._select_quietly(customer.id)
        self.table.scrollToTop()

    @owned_slot("new")
    async def _on_new_customer(self) -> None:
        if self.context is None or not await self.editor.confirm_leave():
            return
        if shiboken6.isValid(self):
            self._showing_id = None
            self._select_quietly(None)
            self.editor.start_new()

    # --- closing -----------------------------------------------------------------------

    def owners(self) -> list[TaskOwner]:
        found = [self.tasks]
        for child in self.findChildren(QObject):
            owner = getattr(child, "tasks", None)
            if isinstance(owner, TaskOwner):
                found.append(owner)
        return found

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.editor.is_dirty() and not self._close_confirmed:
            event.ignore()
            self.tasks.run_latest("close", self._confirm_close())
            return
        self.save_layout()
        # Closing the desk ends its work: cancel, and refuse new tasks (a view may still
        # ask the model for more rows while it goes away).
        for owner in self.owners():
            owner.close()
        event.accept()
        self.closed.emit()

    async def _confirm_close(self) -> None:
        if await self.editor.confirm_leave() and shiboken6.isValid(self):
            self._close_confirmed = True
            self.close()
