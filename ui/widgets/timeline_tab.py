"""A customer's timeline: orders, payments, notes, changes sent from this desk, tokens,
newest first, filtered by kind with checkable chips; an order's row opens the order.

Loaded when the tab is shown (and again when the customer changed since), so opening
customers with another tab in front asks nothing extra of the store.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.controls import visible
from app.domain.customer import CustomerSummary
from app.domain.timeline import EventKind
from app.services.customers import CustomerService
from app.services.timeline import NoteSource, Timeline, TimelineService
from ui.controls.flow_layout import FlowLayout
from ui.dialogs.order_dialog import OrderDialog, open_order
from ui.formatting import desk_locale
from ui.models.timeline_model import (
    EVENT_ROLE,
    OPENS_ORDER,
    TimelineColumn,
    TimelineModel,
)
from ui.theme import mark
from ui.widgets.store_pane import StorePane

# The chips, in a customer's life order: "Account" covers created and registered.
CHIPS: tuple[tuple[str, frozenset[EventKind]], ...] = (
    ("Orders", frozenset({EventKind.ORDER})),
    ("Payments", frozenset({EventKind.PAYMENT})),
    ("Fulfilment", frozenset({EventKind.FULFILMENT})),
    ("Notes", frozenset({EventKind.NOTE})),
    ("Changes", frozenset({EventKind.CHANGE})),
    ("Tokens", frozenset({EventKind.TOKEN})),
    ("Account", frozenset({EventKind.CREATED, EventKind.REGISTERED})),
)


class TimelineTab(StorePane):
    def __init__(self, service: CustomerService | None, parent: QWidget | None = None) -> None:
        super().__init__("timeline", service, parent)
        self.setObjectName("timelineTab")
        self.note_source: NoteSource | None = None  # the store's notes (set with the store)
        self._customer: CustomerSummary | None = None
        self._shown_for: CustomerSummary | None = None  # what the loaded timeline is of
        self._timeline: Timeline | None = None
        self.dialog: OrderDialog | None = None

        # The chips wrap in a narrow pane rather than widen the editor.
        chips = FlowLayout(spacing=4)
        self.chips: dict[str, QToolButton] = {}
        for label, _ in CHIPS:
            chip = QToolButton(self)
            chip.setObjectName(f"chip{label}")
            chip.setCheckable(True)
            chip.setChecked(True)
            chip.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches it; Space toggles
            chip.setAccessibleName(f"Show {label.lower()}")
            chip.toggled.connect(lambda checked, c=chip, t=label: self._on_chip(c, t, checked))
            self._on_chip(chip, label, True)
            chips.addWidget(chip)
            self.chips[label] = chip

        self.model = TimelineModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("timelineTable")
        self.view.setAccessibleName("Timeline")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        head = self.view.horizontalHeader()
        for column in (TimelineColumn.WHEN, TimelineColumn.KIND, TimelineColumn.BY):
            head.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(TimelineColumn.EVENT, QHeaderView.ResizeMode.Stretch)
        self.view.activated.connect(self.open_row)  # Enter (and a click where the style says)
        self.view.doubleClicked.connect(self.open_row)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())

        self.detail = QLabel(self)
        self.detail.setObjectName("timelineDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary = QLabel(self)
        self.summary.setObjectName("timelineSummary")
        self.summary.setWordWrap(True)
        mark(self.summary, "muted")

        layout = QVBoxLayout(self)
        layout.addLayout(chips)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.summary)

    # --- which customer ----------------------------------------------------------------

    def set_service(self, service: CustomerService | None) -> None:
        super().set_service(service)
        self.show_customer(None)

    def set_note_source(self, source: NoteSource | None) -> None:
        self.note_source = source
        self._shown_for = None  # the next showing reads the notes too

    def show_customer(self, customer: CustomerSummary | None) -> None:
        """The customer to show; read when the tab is (or next becomes) visible."""
        self.tasks.cancel_all()
        self._customer = customer
        if customer is None or (self._shown_for is not None and self._shown_for.id != customer.id):
            self._timeline = None
            self.model.set_events(())
            self.detail.clear()
            self.summary.clear()
        if customer is not None and self.isVisible():
            self.reload()

    def mark_stale(self) -> None:
        """Something was written for this customer (a save, a token): read it again when
        shown (now, if it is)."""
        self._shown_for = None
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._customer is not None and self._customer is not self._shown_for:
            self.reload()

    def reload(self) -> None:
        if self._customer is not None and self._service is not None:
            self.tasks.run_latest("timeline", self._load(self._customer))

    async def _load(self, customer: CustomerSummary) -> None:
        self.summary.setText("Loading the timeline…")
        service = TimelineService(self.service, self.note_source, locale=desk_locale())
        timeline = await service.timeline(customer)
        if not shiboken6.isValid(self) or self._customer is None:
            return
        self._timeline = timeline
        self._shown_for = customer
        self._apply_filter()

    # --- the filter --------------------------------------------------------------------

    def shown_kinds(self) -> frozenset[EventKind]:
        kinds: set[EventKind] = set()
        for label, chip_kinds in CHIPS:
            if self.chips[label].isChecked():
                kinds |= chip_kinds
        return frozenset(kinds)

    def _on_chip(self, chip: QToolButton, label: str, checked: bool) -> None:
        # The mark says it in words too: a pressed look alone is easy to miss.
        chip.setText(f"✓ {label}" if checked else label)
        self._apply_filter()

    def _apply_filter(self) -> None:
        timeline = self._timeline
        if timeline is None:
            return
        shown = timeline.only(self.shown_kinds())
        self.model.set_events(shown.events)
        if shown.events:
            self.view.setCurrentIndex(self.model.index(0, TimelineColumn.EVENT))
        self._show_detail()
        hidden = len(timeline.events) - len(shown.events)
        count = len(shown.events)
        text = f"{count} event{'s' if count != 1 else ''}, newest first"
        if hidden:
            text += f" ({hidden} hidden by the filter)"
        text += "."
        if self._service is not None and not self._service.online:
            text += " From the local copy: the store is unreachable."
        self.summary.setText(" ".join([text, *timeline.notices]))

    def _show_detail(self) -> None:
        event = self.model.data(self.view.currentIndex(), EVENT_ROLE)
        if event is None:
            self.detail.clear()
            return
        lines = [visible(event.title)]  # in full: the column may cut it
        if event.detail:
            lines.append(visible(event.detail))
        if event.kind in OPENS_ORDER and event.ref:
            lines.append("Press Enter or double-click to open the order.")
        self.detail.setText("\n".join(lines))

    # --- opening an order --------------------------------------------------------------

    def open_row(self, index: QModelIndex) -> None:
        event = self.model.data(index, EVENT_ROLE)
        if event is not None and event.kind in OPENS_ORDER and event.ref:
            self.tasks.run_latest("order", self._open(event.ref))

    async def _open(self, order_id: str) -> None:
        dialog = await open_order(self, self.service, order_id)
        if dialog is not None:
            self.dialog = dialog
