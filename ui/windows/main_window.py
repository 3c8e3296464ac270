"""The desk: customer list with filters on the left, the selected customer on the right."""

from __future__ import annotations

import time
from datetime import datetime

import shiboken6
from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QWidget,
)

from app import __version__
from app.domain.capabilities import Capability
from app.domain.controls import visible
from app.domain.customer import CustomerSummary
from app.domain.query import MIRROR_ONLY_SORTS, CustomerQuery, OrderFilter, Sort, SortField
from app.mirror.service import Choice, Conflict, MirrorService, MirrorState
from app.services.backend_info import demo_titles, store_title
from app.services.context import Services, StoreContext
from app.services.customers import CustomerService
from app.services.figures_availability import figures_unavailable
from app.services.profiles import DEMO_STORE
from ui.asyncbridge import TaskOwner, attach_owner, owned_slot
from ui.dialogs.ask import confirm
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.dialogs.failed_edits_dialog import FailedEditsDialog
from ui.dialogs.waiting_edits_dialog import WaitingEditsDialog
from ui.errors import present_error
from ui.models.customer_table import (
    CUSTOMER_ID_ROLE,
    FIGURE_COLUMNS,
    Column,
)
from ui.settings import ui_settings
from ui.store import open_store
from ui.theme import Theme, apply_theme, save_theme, saved_theme
from ui.widgets.customer_editor import CustomerEditor
from ui.widgets.customer_list_pane import CustomerListPane
from ui.widgets.demo_menu import DemoMenu
from ui.windows.view_tools import ViewTools

APP_TITLE = "Merchant Desk"


DEFAULT_SIZE = QSize(1320, 820)
LAYOUT_COLUMNS_BEFORE_FIGURES = 8  # list columns before Orders, Spent and Last order


def default_size(available: QSize) -> QSize:
    """The first window: roomy where the screen allows, never larger than the screen
    (a 1280 px laptop or half a 1920 screen must show the whole window)."""
    return DEFAULT_SIZE.boundedTo(available)


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
        # What the last contact with the store said: None (not known yet), "" (it
        # answered) or why it did not. With the mirror's state, the one source of the
        # status bar's connection label and of the banner (_show_connection).
        self._contact: str | None = None
        self._last_check: float | None = None
        self.reachability_interval = 20.0  # seconds between checks while the mirror answers
        self._last_sync: datetime | None = None
        self.tasks = TaskOwner("main window", lambda exc: present_error(self, exc))
        attach_owner(self, self.tasks)
        self.view_tools = ViewTools(self, self)
        self._build()
        self._build_menus()
        self._restore_layout()
        self._update_title()

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.list_pane = CustomerListPane(
            lambda: self.context.customers if self.context is not None else None,
            self._on_retry_connection,
            self.review_failed_edits,
            self,
        )
        pane = self.list_pane
        # The pane's parts, as the window's own (menus, tests and the view tools use them).
        self.filter_bar = pane.filter_bar
        self.model = pane.model
        self.table = pane.table
        self.count_label = pane.count_label
        self.offline_banner = pane.offline_banner
        self.failed_edits_banner = pane.failed_edits_banner
        self.list_layout = pane.list_layout
        self.filter_bar.queryChanged.connect(self._on_query_changed)
        self.filter_bar.answers_locally = lambda: (
            self.context is not None and self.context.customers.lists_from_mirror()
        )
        pane.sortRefused.connect(lambda why: self.show_status(why, 6000))
        self.model.loadingChanged.connect(self._on_loading_changed)
        self.table.activated.connect(self._on_activated)  # double-click
        self.table.openRequested.connect(self._on_activated)  # Enter
        self.table.clicked.connect(self._on_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        # A new page may bring back the open customer's row: highlight it again.
        self.model.rowsInserted.connect(lambda *_: self._reselect_open_customer())
        # A row read by position after it became current (Ctrl+End): open it now.
        self.model.dataChanged.connect(self._on_rows_read)

        self.editor = CustomerEditor(None, self)
        self.editor.leaveRequested.connect(self.table.setFocus)  # Esc with nothing to revert
        self.editor.loaded.connect(self._on_editor_loaded)
        self._focus_editor_for: str | None = None
        self.editor.customerSaved.connect(self._on_customer_saved)
        self.editor.customerCreated.connect(self._on_customer_created)
        self.editor.customerDeleted.connect(self._on_customer_deleted)
        self.editor.openRequested.connect(self.open_customer)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(pane)
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
        # Edits made offline and not yet in the store: a count that opens their list.
        self.waiting_button = QPushButton(self)
        self.waiting_button.setObjectName("waitingEditsButton")
        self.waiting_button.setFlat(True)
        self.waiting_button.setToolTip("Edits not yet in the store: click to see them.")
        self.waiting_button.clicked.connect(self._show_waiting_edits)
        self.waiting_button.hide()
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.waiting_button)
        status.addPermanentWidget(self.connection_label)
        status.addPermanentWidget(self.store_label)

        self.demo_badge = QLabel("DEMO STORE", self)
        self.demo_badge.setObjectName("demoBadge")
        self.demo_badge.setAccessibleName("Demo store: changes here are not real")
        self.demo_badge.setToolTip("The built-in demo store: sample data, safe to change.")
        self.demo_badge.hide()
        self.menuBar().setCornerWidget(self.demo_badge, Qt.Corner.TopRightCorner)
        self.resize(default_size(self.screen().availableGeometry().size()))

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
        self.check_action = self._action(
            "&Check connection…", None, self._on_check_connection, self.store_menu
        )

        view_menu = bar.addMenu("&View")
        self.columns_menu = view_menu.addMenu("&Columns")
        self.columns_menu.aboutToShow.connect(lambda: self._fill_column_menu(self.columns_menu))
        self.filters_menu = view_menu.addMenu("Saved &filters")
        self.filters_menu.aboutToShow.connect(lambda: self.view_tools.fill_menu(self.filters_menu))
        self.theme_menu = view_menu.addMenu("&Theme")
        themes = QActionGroup(self)
        self.theme_actions: dict[Theme, QAction] = {}
        for theme, label in (
            (Theme.SYSTEM, "&System"),
            (Theme.LIGHT, "&Light"),
            (Theme.DARK, "&Dark"),
        ):
            action = self.theme_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(theme is saved_theme())
            themes.addAction(action)
            action.triggered.connect(lambda _=False, t=theme: self.set_theme(t))
            self.theme_actions[theme] = action
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

    def set_theme(self, theme: Theme) -> None:
        """View ▸ Theme: applied to every window now, remembered for the next start."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        save_theme(theme)
        self.theme_actions[theme].setChecked(True)

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
        self._default_split = not isinstance(settings.value("main/splitter"), QByteArray)
        # contains() first: a missing key would come back as None (see ui.controls.choices).
        saved_count = (
            settings.value("main/column_count") if settings.contains("main/column_count") else None
        )
        self._hide_columns_newer_than(saved_count)
        # Restoring the header restored its sort indicator, and with it the model's sort.

    def _hide_columns_newer_than(self, saved_count: object) -> None:
        """A layout saved before a column existed shows it when restored (Qt appends new
        sections visible): the optional ones start hidden, as on a first start."""
        try:
            count = int(str(saved_count))
        except ValueError:
            count = LAYOUT_COLUMNS_BEFORE_FIGURES  # layouts saved before the count was kept
        for column in FIGURE_COLUMNS:
            if column >= count:
                self.table.setColumnHidden(column, True)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._default_split:
            self._default_split = False
            self._split_for_columns()

    def _split_for_columns(self) -> None:
        """First start: the list pane as wide as its shown columns, the editor the rest
        (so no sideways scrollbar at the default size)."""
        left = self.list_pane.default_width()
        total = sum(self.splitter.sizes())
        editor = max(total - left, self.editor.minimumSizeHint().width())
        self.splitter.setSizes([total - editor, editor])

    def save_layout(self) -> None:
        settings = ui_settings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/state", self.saveState())
        settings.setValue("main/splitter", self.splitter.saveState())
        # Save staff's column choice, not what this store happened to hide.
        for column in self.list_pane.hidden_by_store:
            self.table.setColumnHidden(column, False)
        settings.setValue("main/columns", self.table.horizontalHeader().saveState())
        settings.setValue("main/column_count", len(Column))
        for column in self.list_pane.hidden_by_store:
            self.table.setColumnHidden(column, True)
        settings.sync()

    # --- StatusSink --------------------------------------------------------------------

    def show_status(self, message: str, timeout_ms: int = 0) -> None:
        self.statusBar().showMessage(message, timeout_ms)

    def set_offline(self, message: str) -> None:
        self._contact = message or "The store's server could not be reached."
        self._show_connection()

    def _set_connection(self, state: str, tooltip: str = "") -> None:
        self.connection_label.setText(state)
        self.connection_label.setToolTip(tooltip)

    def _show_connection(self) -> None:
        """The status bar's label and the banner, both from the same facts."""
        context = self.context
        if context is None:
            self.offline_banner.hide()
            return
        mirror = context.mirror
        state = mirror.state if mirror is not None else None
        if state is not None and not state.online:
            self._set_connection("Offline", state.reason or "")
            self.offline_banner.show_unreachable(state.reason or "", state)
        elif self._contact:
            self._set_connection("Offline", self._contact)
            self.offline_banner.show_unreachable(self._contact, state)
        else:
            self.offline_banner.hide()
            if self._contact is None:
                self._set_connection("Connecting…")
            else:
                self._set_connection("Online", context.profile.url or "built in")

    def _store_answered(self) -> None:
        self._contact = ""
        self._show_connection()

    def _check_reachable(self, *, force: bool = False) -> None:
        """While the mirror answers the searches, ask the store now and then whether it
        is there: otherwise nothing would notice it going away."""
        mirror = self.context.mirror if self.context is not None else None
        if mirror is None or not mirror.online or self.tasks.closed:
            return
        now = time.monotonic()
        recent = (
            self._last_check is not None and now - self._last_check < self.reachability_interval
        )
        if recent and not force:
            return
        self._last_check = now
        self.tasks.run_latest("reach", self._reach(mirror))

    async def _reach(self, mirror: MirrorService) -> None:
        failure = await mirror.check()
        if not shiboken6.isValid(self):
            return
        if failure is None:
            self._store_answered()
        else:
            self.set_offline(failure.user_message)

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
                if self.context is None:
                    self._set_connection("Offline")
                else:
                    self._show_connection()  # the store that stays open: as it was
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
        self.editor.set_service(service)
        self.editor.set_notes(context.notes)
        self._showing_id = None
        self._contact = None  # nothing known about this store's server yet
        self._last_check = None
        self.apply_capabilities()
        self._update_title()
        self.model.set_service(service)
        # A sort restored from the settings (or kept from the previous store) that this
        # store cannot apply gives way to the store's own order, and the arrow says so.
        sort = self.model.query.sort
        if sort.field not in self.model.sortable_fields():
            # The store's own order: by id, else by creation where only that is sortable.
            # A store that sorts by nothing answers in an order of its own: no arrow.
            fields = service.sort_fields
            by_created = SortField.CREATED_AT in fields and SortField.ID not in fields
            sort = Sort(field=SortField.CREATED_AT) if by_created else Sort()
        self.show_sort(sort)
        self.model.reset_query(self.filter_bar.query().model_copy(update={"sort": sort}))
        if Capability.GROUPS in caps:
            self.tasks.run_latest("groups", self._load_groups())
        self._watch_mirror(context)
        self._show_connection()
        if service.lists_from_mirror():
            self._check_reachable(force=True)  # the list will not tell
        self.storeOpened.emit(context.profile.name)

    def apply_capabilities(self) -> None:
        """Enable what the open store can do (again after a connection check changed it)."""
        if self.context is None:
            return
        service = self.context.customers
        caps = service.capabilities
        self.filter_bar.set_capabilities(caps)
        self.new_action.setEnabled(Capability.CUSTOMER_CREATE in caps)
        self._hide_unsupported_columns(caps)
        self._show_figures_state()

    def _show_figures_state(self) -> None:
        """Order filters and sorts are on while the mirror answers them, off with the
        reason otherwise."""
        service = self.context.customers if self.context is not None else None
        reason = figures_unavailable(service)
        self.list_pane.set_figures_reason(reason)
        self.filter_bar.set_figures_reason(reason)

    def _drop_unanswerable_figures(self) -> None:
        """The mirror stopped answering order figures (a new full copy, say): a figure
        sort gives way to the store's order and figure filters are set aside, rather
        than every search failing."""
        query = self.model.query
        if self.model.figures_reason is None or not CustomerService.needs_order_mirror(query):
            return
        sort = Sort() if query.sort.field in MIRROR_ONLY_SORTS else query.sort
        cleaned = query.model_copy(update={"sort": sort, "orders": OrderFilter()})
        self.show_sort(sort)
        self.model.reset_query(cleaned)

    def _on_check_connection(self) -> None:
        from app.services.doctor import DoctorService
        from ui.dialogs.doctor_dialog import CheckConnectionDialog

        if self.context is None:
            return
        dialog = CheckConnectionDialog(DoctorService(self.services), self.context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.checked.connect(self._on_checked)
        self.check_dialog = dialog
        dialog.open()
        dialog.start()

    def _on_checked(self, _report: object) -> None:
        self.apply_capabilities()
        if self.context is None:
            return
        # Drop what the shop was found to refuse or ignore from the current view.
        service = self.context.customers
        query = self.model.query
        cleaned = service.restrictions.honoured(query)
        if cleaned != query:
            self.model.reset_query(cleaned)  # first: the bar's change keeps the model's sort
            self.filter_bar.set_query(cleaned)
            self.show_sort(cleaned.sort)

    # --- the offline mirror ------------------------------------------------------------

    def _watch_mirror(self, context: StoreContext) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()  # type: ignore[operator]
        self._unsubscribe = []
        self.failed_edits_banner.hide()
        mirror = context.mirror
        if mirror is None:
            return
        self._last_sync = mirror.state.last_sync  # a sync before this desk proves nothing now
        self._unsubscribe.append(mirror.subscribe(self._on_mirror_state))
        if self.background_sync:
            mirror.start()
        self._on_mirror_state(mirror.state)
        self.tasks.run_latest("drafts", self.editor.offer_drafts())

    def _on_mirror_state(self, state: MirrorState) -> None:
        if not shiboken6.isValid(self):
            return
        if state.announcement or (state.online and state.last_sync != self._last_sync):
            self._contact = ""  # back, or a sync just went through: the store answers
        synced = state.last_sync != self._last_sync
        self._last_sync = state.last_sync
        self._show_connection()
        self.failed_edits_banner.show_state(state)
        self.editor.set_online(state.online)
        figures_before = self.model.figures_reason
        self._show_figures_state()
        self._drop_unanswerable_figures()
        if synced or self.model.figures_reason != figures_before:
            self.editor.refresh_figures()  # the orders behind the figures changed
        waiting = self.waiting_edits()
        self.waiting_button.setText(f"{waiting} edit{'' if waiting == 1 else 's'} waiting")
        self.waiting_button.setVisible(waiting > 0)
        if state.announcement:
            self.show_status(state.announcement, 8000)
            self.model.refresh()  # back online: the list as the store has it now
            self._reload_open_customer()  # and the open customer (edits may have gone)
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
            name = visible(self.model.item(row).display_name)
        dialog = ConflictDialog(conflict, name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._resolve(conflict.seq, dialog.choices()))
        dialog.open()

    def review_failed_edits(self) -> FailedEditsDialog | None:
        """Edits the store refused: retry or discard each (they stay until then)."""
        if self.context is None or self.context.mirror is None:
            return None
        dialog = FailedEditsDialog(self.context.mirror, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _resolve(self, seq: int, choices: dict[str, Choice]) -> None:
        if self.context is not None and self.context.mirror is not None:
            mirror = self.context.mirror
            self.tasks.run_latest(f"resolve {seq}", self._resolve_and_show(mirror, seq, choices))

    async def _resolve_and_show(
        self, mirror: MirrorService, seq: int, choices: dict[str, Choice]
    ) -> None:
        customer_id = next((c.customer_id for c in mirror.state.conflicts if c.seq == seq), None)
        await mirror.resolve(seq, choices)
        if shiboken6.isValid(self):
            self._reload_open_customer(customer_id)  # the editor shows what was decided

    def _reload_open_customer(self, customer_id: str | None = None) -> None:
        """Show the store's version of the open customer, unless staff are editing it."""
        customer = self.editor.customer
        if customer is None or self.editor.is_dirty() or self.editor.creating:
            return
        if customer_id is None or customer.id == customer_id:
            self.editor.load(customer.id)

    def waiting_edits(self) -> int:
        """Edits made offline that are not in the store yet (queued or in conflict)."""
        mirror = self.context.mirror if self.context is not None else None
        if mirror is None:
            return 0
        return mirror.state.pending_edits + len(mirror.state.conflicts)

    @owned_slot("waiting")
    async def _show_waiting_edits(self) -> None:
        mirror = self.context.mirror if self.context is not None else None
        if mirror is None:
            return
        edits = await mirror.waiting_edits()
        if shiboken6.isValid(self):
            dialog = WaitingEditsDialog(edits, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.waiting_dialog = dialog
            dialog.open()

    def _on_retry_connection(self) -> None:
        if self.context is not None:
            self.tasks.run_latest("probe", self._retry_connection(self.context))

    async def _retry_connection(self, context: StoreContext) -> None:
        if context.mirror is not None:
            answered = await context.mirror.check() is None
        else:
            await context.customers.check_connection()  # a failure reaches present_error
            answered = True
        if answered and shiboken6.isValid(self) and self.context is context:
            self._store_answered()
            if self.model.failed is not None:
                self.refresh()

    async def _load_groups(self) -> None:
        assert self.context is not None
        groups = await self.context.customers.groups()
        if shiboken6.isValid(self):
            self.filter_bar.set_groups(groups)
            self.editor.set_all_groups(groups)

    def _hide_unsupported_columns(self, caps: Capability) -> None:
        self.list_pane.hide_unsupported_columns(caps)

    def _update_title(self) -> None:
        context = self.context
        if context is None:
            self.setWindowTitle(APP_TITLE)
            self.store_label.setText("No store")
            self.demo_badge.hide()
            return
        name = store_title(context.profile)
        # The store's name says "Demo store"; the badge is the one marker.
        self.setWindowTitle(f"{name} — {APP_TITLE}")
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
        demos = demo_titles()
        for name in [*names, *demos]:
            if name == DEMO_STORE and names:
                self.switch_menu.addSeparator()  # the built-in demos, one per dialect
            label = demos.get(name, name)
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
        self.list_pane.focus_search()

    def enter_list(self) -> None:
        self.list_pane.enter_list()

    def go_to_last_row(self) -> None:
        self.list_pane.go_to_last_row()

    def refresh(self) -> None:
        if self.context is None:
            return
        mirror = self.context.mirror
        if mirror is not None and self.background_sync:
            mirror.request_sync(orders=True)  # F5 also pulls the store's changes (orders too)
        self.model.refresh()
        if Capability.GROUPS in self.context.customers.capabilities:
            self.tasks.run_latest("groups", self._load_groups())
        if self.editor.customer is not None and not self.editor.is_dirty():
            self.editor.load(self.editor.customer.id)

    def _on_query_changed(self, query: CustomerQuery) -> None:
        # The filter bar owns the filters; the header owns the sort.
        if self.context is not None:
            self.model.reset_query(query.model_copy(update={"sort": self.model.query.sort}))
            if self.context.customers.lists_from_mirror():
                self._check_reachable()

    def show_sort(self, sort: Sort) -> None:
        self.list_pane.show_sort(sort)

    def _on_loading_changed(self, loading: bool) -> None:
        self.progress.setVisible(loading or self.tasks.running("store"))
        if not loading:
            self.list_pane.loading_done()
        context = self.context
        # Only a page the store itself sent shows it is there (not one from the mirror).
        if (
            not loading
            and self.model.failed is None
            and (self.model.total is not None or self.model.rowCount() > 0)  # a page came
            and context is not None
            and not context.customers.lists_from_mirror()
        ):
            self._store_answered()
        self._update_count()

    def _update_count(self) -> None:
        self.list_pane.update_count()

    def _fill_column_menu(self, menu: QMenu) -> None:
        self.list_pane.fill_column_menu(menu)

    # --- which customer is open ----------------------------------------------------------

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        customer_id = self.model.data(current, CUSTOMER_ID_ROLE) if current.isValid() else None
        if customer_id and customer_id != self._showing_id:
            self.tasks.run_latest("open", self._open_customer(str(customer_id)))
        elif current.isValid() and not customer_id:
            # A row not read yet (Ctrl+End far down): it opens once read (_on_rows_read);
            # a customer chosen before it must not take the row back meanwhile.
            self.tasks.cancel("open")

    def _on_rows_read(self, top: QModelIndex, bottom: QModelIndex) -> None:
        current = self.table.currentIndex()
        if current.isValid() and top.row() <= current.row() <= bottom.row():
            self._on_current_row_changed(current, QModelIndex())

    def _on_clicked(self, index: QModelIndex) -> None:
        # Clicking the current row changes no row: it must still open that customer
        # when the editor shows someone else (e.g. after "Cancel" kept the edit open).
        customer_id = self.model.data(index, CUSTOMER_ID_ROLE) if index.isValid() else None
        if customer_id and customer_id != self._showing_id and not self.tasks.running("open"):
            self.tasks.run_latest("open", self._open_customer(str(customer_id)))

    def _reselect_open_customer(self) -> None:
        if self._showing_id is not None and not self.table.currentIndex().isValid():
            self._select_quietly(self._showing_id)

    def _on_activated(self, index: QModelIndex) -> None:
        """Enter or double-click: the customer's details, typing into the first field."""
        customer_id = self.model.data(index, CUSTOMER_ID_ROLE) if index.isValid() else None
        if not customer_id:
            return
        self._on_current_row_changed(index, QModelIndex())
        if self.editor.customer is not None and self.editor.customer.id == customer_id:
            self._focus_editor()
        else:
            self._focus_editor_for = str(customer_id)  # once it is loaded

    def _on_editor_loaded(self, customer_id: str) -> None:
        if self._focus_editor_for == customer_id:
            self._focus_editor_for = None
            self._focus_editor()

    def _focus_editor(self) -> None:
        self.editor.tabs.setCurrentIndex(0)
        self.editor.focus_first_field()

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

    def _on_customer_deleted(self, customer_id: str) -> None:
        # The row goes away: Qt would make the next row current, and that would open
        # someone else in the editor the clerk just saw emptied. Nothing is current now.
        self._select_quietly(None)
        self.model.remove_customer(customer_id)

    def _select_quietly(self, customer_id: str | None) -> None:
        row = self.model.row_of(customer_id) if customer_id else None
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        if row is None:
            # No row of the open customer: neither a highlight nor a current row may
            # point at someone else (a current row would swallow the next click on it).
            selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
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
        unsent = self.editor.is_dirty() or self.waiting_edits() > 0
        if unsent and not self._close_confirmed:
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
        if not await self.editor.confirm_leave() or not shiboken6.isValid(self):
            return
        waiting = self.waiting_edits()  # counted after the editor's edit may have queued
        if waiting and not await confirm(
            self,
            "Edits not sent",
            f"{waiting} edit{' has' if waiting == 1 else 's have'} not reached the store yet.",
            "Quit",
            informative="They are kept on this computer and sent the next time Merchant "
            "Desk reaches the store.",
        ):
            return
        if shiboken6.isValid(self):
            self._close_confirmed = True
            self.close()
