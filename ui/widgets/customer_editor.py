"""The right-hand pane: one customer's details, addresses, groups and orders.

Saving never blocks the window: the form is disabled while the write runs and enabled
again whatever happens. A failed save keeps the edit; the store's field errors appear
beside the fields (the editor is a `FieldErrorSink`), everything else via present_error.
"""

from __future__ import annotations

import html
import itertools

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.capabilities import Capability
from app.domain.controls import visible
from app.domain.customer import Customer, CustomerDraft, CustomerGroup, CustomerSummary
from app.domain.draft import EditorDraft
from app.domain.errors import ValidationFailedError
from app.domain.figures import CustomerFigures
from app.domain.patch import CustomerPatch
from app.domain.query import CustomerQuery
from app.mirror.service import MirrorService
from app.services.customers import CustomerService
from app.services.figures_text import figures_details, figures_line, since_text
from app.services.notes import NotesService
from ui.asyncbridge import owned_slot
from ui.dialogs.ask import Button, ask, confirm
from ui.dialogs.token_dialogs import show_issuance
from ui.errors import present_error
from ui.formatting import desk_locale, local_datetime
from ui.theme import mark
from ui.widgets.addresses_tab import AddressesTab
from ui.widgets.customer_form import CustomerForm
from ui.widgets.groups_tab import GroupsTab
from ui.widgets.notes_tab import NotesTab
from ui.widgets.orders_tab import OrdersTab
from ui.widgets.store_pane import StorePane
from ui.widgets.timeline_tab import TimelineTab

NBSP = "\u00a0"  # keeps a date and its time on one line

DRAFT_DELAY_MS = 1000


def save_note(service: CustomerService) -> str:
    """What became of a save, as the CLI says it: saved, or only queued on this computer."""
    outcome = service.last_write
    if outcome.queued:
        return "Queued offline on this computer: sent to the store when it is back."
    return outcome.mirror_problem or "Saved."


NEW_CUSTOMER_DRAFT = "customer:new"  # the one form for a customer not yet created


class CustomerEditor(StorePane):
    customerSaved = Signal(object)  # CustomerSummary
    customerCreated = Signal(object)  # CustomerSummary
    customerDeleted = Signal(str)
    loaded = Signal(str)  # customer id, once its details are on screen
    openRequested = Signal(str)  # customer id: staff asked to see another customer
    leaveRequested = Signal()  # Esc with nothing to revert: back to the list

    def __init__(self, service: CustomerService | None, parent: QWidget | None = None) -> None:
        super().__init__("customer editor", service, parent)
        self.setObjectName("customerEditor")
        self.customer: Customer | None = None
        self._creating = False
        self._saving = False
        self._online = True
        self.money_locale = desk_locale()  # numbers and money in the figures line
        self._figures_for: str | None = None  # whose figures the header line shows
        # Unsaved edits go to the mirror a second after typing stops, so a crash keeps them.
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self._save_draft)
        self._build()
        self.show_customer(None)

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel(self)
        self.title.setObjectName("customerTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("customerSubtitle")
        self.subtitle.setWordWrap(True)
        # "Customer since 2023 · 14 orders · €1,234.50 spent · last order 3 weeks ago";
        # the tooltip adds average order value, refunds and cancelled orders.
        self.figures = QLabel(self)
        self.figures.setObjectName("customerFigures")
        self.figures.setWordWrap(True)
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.token_button = QPushButton("Send password reset…", self)
        self.token_button.setObjectName("tokenButton")
        self.token_button.setAccessibleName("Issue password token")
        self.token_button.clicked.connect(self._on_issue_token)
        self.token_reason = QLabel(self)
        self.token_reason.setObjectName("tokenReason")
        self.token_reason.setWordWrap(True)
        mark(self.token_reason, "muted")  # it explains, it is not an action
        self.delete_button = QPushButton("Delete customer…", self)
        self.delete_button.setObjectName("deleteButton")
        self.delete_button.clicked.connect(self._on_delete)
        actions = QHBoxLayout()
        actions.addWidget(self.token_button)
        actions.addStretch(1)  # the destructive action apart, at the far end
        actions.addWidget(self.delete_button)

        # Details tab: the form, the metadata table and the save row.
        details = CustomerForm(self)
        self.details = details
        details.changed.connect(self._update_state)
        details.linkActivated.connect(self._on_error_link)
        # The form's parts, as the editor's own (the window and tests use them).
        self.form = details.form
        self.fields = details.fields
        self.metadata = details.metadata
        self.metadata_view = details.metadata_view
        self.metadata_label = details.metadata_label
        self.metadata_error = details.metadata_error
        self.add_meta_button = details.add_meta_button
        self.remove_meta_button = details.remove_meta_button
        self.save_button = details.save_row.save_button
        self.revert_button = details.save_row.revert_button
        self.save_state = details.save_row.save_state
        self.save_button.clicked.connect(self._on_save)
        self.revert_button.clicked.connect(self.revert)

        self.addresses_tab = AddressesTab(self._service, self)
        self.groups_tab = GroupsTab(self._service, self)
        self.groups_tab.customerChanged.connect(self._on_groups_changed)
        self.orders_tab = OrdersTab(self._service, self)
        self.notes_tab = NotesTab(None, self)
        self.timeline_tab = TimelineTab(self._service, self)
        # What the desk writes for the customer shows in the timeline when next looked at.
        self.customerSaved.connect(lambda _summary: self.timeline_tab.mark_stale())
        self.addresses_tab.changed.connect(self.timeline_tab.mark_stale)
        self.notes_tab.notesChanged.connect(lambda _id: self.timeline_tab.mark_stale())
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("customerTabs")
        self.tabs.addTab(details, "&Details")
        self.tabs.addTab(self.addresses_tab, "&Addresses")
        self.tabs.addTab(self.groups_tab, "&Groups")
        self.tabs.addTab(self.orders_tab, "&Orders")
        self.tabs.addTab(self.notes_tab, "&Notes")
        self.tabs.setTabVisible(self.tabs.indexOf(self.notes_tab), False)
        self.tabs.addTab(self.timeline_tab, "&Timeline")
        self.tabs.currentChanged.connect(self._on_tab_changed)

        page = QWidget(self)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self.title)
        page_layout.addWidget(self.subtitle)
        page_layout.addWidget(self.figures)
        page_layout.addLayout(actions)
        page_layout.addWidget(self.token_reason)
        page_layout.addWidget(self.tabs, 1)

        self.placeholder = QLabel(
            "Select a customer on the left, or press Ctrl+N to add one.", self
        )
        self.placeholder.setObjectName("editorPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(page)
        self._page = page
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 0)
        outer.addWidget(self.stack)

        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self._on_save)
        revert = QShortcut(QKeySequence(Qt.Key.Key_Escape), details)
        revert.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        revert.activated.connect(self._on_escape)

        # Tab order follows the form top to bottom, then the actions.
        chain: list[QWidget] = details.tab_chain()
        chain += [
            # The account actions after the form: from the list, Tab lands in the first
            # field, never on "Delete customer…".
            self.token_button,
            self.delete_button,
            self.tabs.tabBar(),
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- which customer ----------------------------------------------------------------

    @property
    def creating(self) -> bool:
        return self._creating

    def set_service(self, service: CustomerService | None) -> None:
        super().set_service(service)
        self.addresses_tab.set_service(service)
        self.groups_tab.set_service(service)
        self.orders_tab.set_service(service)
        self.timeline_tab.set_service(service)
        if service is not None:
            self._apply_capabilities(service.capabilities)
        self.show_customer(None)

    def set_notes(self, notes: NotesService | None) -> None:
        """The open store's notes (None: no store); the tab shows where they are kept."""
        self.notes_tab.set_service(notes)
        available = notes is not None and notes.available
        self.timeline_tab.set_note_source(notes.notes if notes is not None and available else None)
        self.tabs.setTabVisible(self.tabs.indexOf(self.notes_tab), self.notes_tab.available)
        if self.customer is not None:
            self.notes_tab.show_customer(self.customer.id)

    def _apply_capabilities(self, caps: Capability) -> None:
        """Show exactly what this store supports (some have no phone numbers, some no
        groups...): no field staff could fill in only to see it refused."""
        self.details.apply_capabilities(caps)
        for tab, capability in (
            (self.addresses_tab, Capability.ADDRESSES),
            (self.groups_tab, Capability.GROUP_MEMBERSHIP),
            (self.orders_tab, Capability.ORDERS),
        ):
            self.tabs.setTabVisible(self.tabs.indexOf(tab), capability in caps)
        self.delete_button.setVisible(Capability.CUSTOMER_DELETE in caps)
        self.addresses_tab.set_defaults_supported(Capability.DEFAULT_ADDRESSES in caps)

    def set_all_groups(self, groups: list[CustomerGroup]) -> None:
        self.groups_tab.set_all_groups(groups)

    def show_customer(self, customer: Customer | None, *, cancel: bool = True) -> None:
        """Show `customer` (fetched by the caller); None shows the placeholder."""
        if cancel:
            self.tasks.cancel_all()
        previous = self._draft_key()
        mirror = self._mirror()
        leaving = previous is not None and (
            customer is None or previous != f"customer:{customer.id}"
        )
        if leaving and mirror is not None and previous is not None and not self.tasks.closed:
            # Saved or discarded (confirm_leave asked): its draft has served its purpose.
            self.tasks.run(mirror.discard_draft(previous))
        self.customer = customer
        self._creating = False
        self.stack.setCurrentWidget(self._page if customer else self.placeholder)
        self._fill(customer)
        self.addresses_tab.show_addresses(
            customer.id if customer else None,
            list(customer.addresses) if customer else [],
            customer,
        )
        self.groups_tab.show_customer(customer)
        self.orders_tab.show_customer(customer.id if customer else None)
        self.notes_tab.show_customer(customer.id if customer else None)
        self.timeline_tab.show_customer(customer)
        self._show_figures_of(customer)
        if customer is not None:
            self.loaded.emit(customer.id)

    def start_new(self) -> None:
        """An empty form; Save creates the customer."""
        self.show_customer(None)
        self._creating = True
        self.stack.setCurrentWidget(self._page)
        self.title.setText("New customer")
        self.subtitle.setText("Give at least an email, a name or a company.")
        self.figures.hide()
        self._figures_for = None
        self.tabs.setCurrentIndex(0)
        self._update_state()
        self.fields["email"].setFocus()

    def load(self, customer_id: str) -> None:
        self.tasks.run_latest("load", self._load(customer_id))

    async def _load(self, customer_id: str) -> None:
        self.save_state.setText("Loading…")
        # The mirror's copy at once, then the store's current record (cache-first).
        cached = await self.service.cached(customer_id)
        if cached is not None and shiboken6.isValid(self):
            self.show_customer(cached, cancel=False)
            self.save_state.setText("Refreshing…")
        try:
            customer = await self.service.get(customer_id)
        except BaseException:
            if shiboken6.isValid(self):
                self._update_state()  # drop "Loading…"; the error goes to present_error
            raise
        if not shiboken6.isValid(self):
            return
        if cached is None or not self.is_dirty():
            self.show_customer(customer, cancel=cached is None)
        else:
            self.customer = customer  # keep what is typed; the patch now applies to fresh data
            self._update_state()

    def _fill(self, customer: Customer | None) -> None:
        phone = customer.phone if customer and self._service else None
        self.details.fill(customer, self.service.format_phone(phone) if phone else "")
        if customer is None:
            self.title.setText("")
            self.subtitle.setText("")
        else:
            self.title.setText(visible(customer.display_name))
            account = "has an account" if customer.has_account else "guest (no account)"
            # A narrow editor wraps between the parts, never inside a date ("2023-12-20 /
            # 11:49 UTC" on two lines read as two things).
            created, updated = (
                local_datetime(moment).replace(" ", NBSP)
                for moment in (customer.created_at, customer.updated_at)
            )
            self.subtitle.setText(f"{account} · created {created} · updated {updated}")
        self._update_token(customer)
        self._update_state()

    # --- order figures -------------------------------------------------------------------

    def _show_figures_of(self, customer: Customer | None) -> None:
        """The header's figures line for `customer`: unknown until the mirror answers.
        The same customer shown again (cached, then fresh) keeps its line meanwhile."""
        caps = self._service.capabilities if self._service else Capability(0)
        self.figures.setVisible(customer is not None)
        shown_for, self._figures_for = self._figures_for, customer.id if customer else None
        if customer is None:
            return
        if Capability.ORDERS not in caps:
            # A store without orders: "Customer since" alone, nothing about orders.
            self.figures.setText(since_text(None, customer.created_at))
            self.figures.setToolTip("")
            return
        if shown_for != customer.id:
            self.show_figures(customer, None)
        self.tasks.run_latest("figures", self._load_figures(customer))

    def refresh_figures(self) -> None:
        """Again from the mirror (a sync finished, or its orders just became complete)."""
        if self.customer is not None and not self._creating and not self.tasks.closed:
            self._show_figures_of(self.customer)

    async def _load_figures(self, customer: Customer) -> None:
        figures = await self.service.figures(customer.id)
        showing = self.customer
        if shiboken6.isValid(self) and showing is not None and showing.id == customer.id:
            self.show_figures(showing, figures)

    def show_figures(self, customer: Customer, figures: CustomerFigures | None) -> None:
        """None: unknown (orders not mirrored), said as such, never "0 orders"."""
        self.figures.setText(figures_line(figures, customer.created_at, self.money_locale))
        self.figures.setToolTip(figures_details(figures, self.money_locale))
        self.figures.setVisible(True)

    def _update_token(self, customer: CustomerSummary | None) -> None:
        caps = self._service.capabilities if self._service else Capability(0)
        self.token_button.setVisible(Capability.PASSWORD_TOKENS in caps)
        if customer is None or self._service is None:
            self.token_button.setEnabled(False)
            self.token_reason.hide()
            return
        eligibility = self.service.token_eligibility(customer)
        self.token_button.setText(f"{eligibility.action}…")
        self.token_button.setAccessibleName(eligibility.action)
        self.token_button.setEnabled(eligibility.allowed)
        reason = "" if eligibility.allowed else (eligibility.reason or "Not available.")
        self.token_button.setToolTip(reason or eligibility.description)
        self.token_reason.setText(reason)
        self.token_reason.setVisible(bool(reason))

    # --- editing state -----------------------------------------------------------------

    def form_patch(self) -> CustomerPatch:
        return self.details.patch(self.customer)

    def draft(self) -> CustomerDraft:
        return self.details.draft()

    def is_dirty(self) -> bool:
        if self._creating:
            return self.details.has_input()
        if self.customer is None:
            return False
        return not self.form_patch().is_empty()

    def _form_problem(self) -> str | None:
        return self.details.problem()

    def set_online(self, online: bool) -> None:
        if online != self._online:
            self._online = online
            self._update_token(self.customer)
            if online:
                self.orders_tab.reload()  # what the local copy could not answer
            self.notes_tab.reload()  # queued marks come and go with the connection

    # --- drafts --------------------------------------------------------------------------

    def _draft_key(self) -> str | None:
        if self._creating:
            return NEW_CUSTOMER_DRAFT
        return f"customer:{self.customer.id}" if self.customer else None

    def _save_draft(self) -> None:
        key, mirror = self._draft_key(), self._mirror()
        if key is None or mirror is None or self.tasks.closed:
            return
        if not self.is_dirty():
            self.tasks.run_latest("draft", mirror.discard_draft(key))
            return
        draft = EditorDraft(
            customer_id=None if self.customer is None else self.customer.id,
            name="a new customer" if self.customer is None else self.customer.display_name,
            fields={n: f.value() for n, f in self.fields.items()},
            metadata=self.metadata.current(),
        )
        self.tasks.run_latest("draft", mirror.save_draft(key, draft))

    def _mirror(self) -> MirrorService | None:
        return self._service.mirror if self._service is not None else None

    def apply_draft(self, draft: EditorDraft) -> None:
        """Put a saved draft's values in the form (the customer must be showing)."""
        for name, value in draft.fields.items():
            if name in self.fields:
                self.fields[name].set_value(value)
        self.metadata.set_rows(dict(draft.metadata))
        self._update_state()

    async def offer_drafts(self) -> None:
        """After a crash: offer the unsaved edits of the last session back."""
        mirror = self._mirror()
        if mirror is None:
            return
        drafts = await mirror.drafts()
        for key, draft in drafts.items():
            customer_id = draft.customer_id
            new = key == NEW_CUSTOMER_DRAFT
            if not (new or customer_id is not None) or not shiboken6.isValid(self):
                continue
            what = (
                "A new customer you were entering was"
                if new
                else f"Changes to {draft.name or customer_id} were"
            )
            restore = await confirm(
                self,
                "Unsaved changes",
                f"{what} not saved when Merchant Desk last closed. Restore them?",
                "Restore",
            )
            if not shiboken6.isValid(self):
                return
            await mirror.discard_draft(key)
            if restore and new:
                self.start_new()
                self.apply_draft(draft)
            elif restore and customer_id is not None:
                customer = await self.service.get(customer_id)
                if shiboken6.isValid(self):
                    self.show_customer(customer, cancel=False)
                    self.apply_draft(draft)
                    self.loaded.emit(customer_id)
            return  # one at a time; the next one after this is saved or dropped

    def _on_tab_changed(self, _index: int) -> None:
        # Alt+T from a field: the cursor goes to the events, so Down walks them (Qt would
        # give it to the first filter chip, where Down only moves between chips).
        timeline = self.timeline_tab
        if self.tabs.currentWidget() is timeline and any(
            chip.hasFocus() for chip in timeline.chips.values()
        ):
            timeline.view.setFocus(Qt.FocusReason.TabFocusReason)

    def _update_state(self) -> None:
        if self._draft_key() is not None:
            self._draft_timer.start()
        dirty = self.is_dirty()
        problem = self._form_problem()
        busy = self._saving
        self.details.save_row.show_state(dirty=dirty, problem=problem, busy=busy)
        self.delete_button.setEnabled(self.customer is not None and not busy)

    def focus_first_field(self) -> None:
        self.details.focus_first_field()

    def _on_escape(self) -> None:
        if self.is_dirty():
            self.revert()
        else:
            self.leaveRequested.emit()

    def revert(self) -> None:
        if self._creating:
            self.start_new()
        else:
            self._fill(self.customer)

    # --- FieldErrorSink ----------------------------------------------------------------

    def show_field_errors(self, exc: ValidationFailedError) -> bool:
        shown = self.details.show_field_errors(exc)
        refused = [e for e in exc.field_errors if e.field == "email"]
        if refused and self.fields["email"].value():
            self.tasks.run_latest("email owner", self._name_email_owner(refused[-1].message))
        self.tabs.setCurrentIndex(0)
        return shown

    async def _name_email_owner(self, message: str) -> None:
        """An email the store refused: if another customer has it, say who, with a link
        to open them (staff otherwise have to search for the address themselves)."""
        field = self.fields["email"]
        email = field.value()
        if email is None:
            return
        page = await self.service.search(CustomerQuery(email=email, page_size=5))
        own = self.customer.id if self.customer is not None and not self._creating else None
        owner = next(
            (
                c
                for c in page.items
                if c.id != own and (c.email or "").casefold() == email.casefold()
            ),
            None,
        )
        if owner is None or not shiboken6.isValid(self) or field.value() != email:
            return
        # One short line (the message line does not grow): the name is the link.
        text = f"{message.rstrip('.')}: {owner.display_name}."
        link = f'<a href="customer:{html.escape(owner.id)}">{html.escape(owner.display_name)}</a>'
        field.set_server_error(text, rich=f"Already used by {link} (click to open).")

    def _on_error_link(self, href: str) -> None:
        kind, _, customer_id = href.partition(":")
        if kind == "customer" and customer_id:
            self.openRequested.emit(customer_id)

    # --- actions -----------------------------------------------------------------------

    def _on_save(self) -> None:
        if self.save_button.isEnabled():
            self.tasks.run_latest("save", self.save())

    async def save(self) -> bool:
        """Write the form; True when the store accepted it. Errors reach present_error."""
        if not self.is_dirty():
            return True
        if self._form_problem():
            return False
        self.metadata_error.hide()
        self._set_busy(True)
        try:
            if self._creating:
                saved = await self.service.create(self.draft())
            else:
                assert self.customer is not None
                saved = await self.service.update(self.customer.id, self.form_patch())
        except Exception as exc:
            # The edit stays in the form; the message goes beside the field or in a dialog
            # whose Retry saves again.
            if shiboken6.isValid(self):
                self._set_busy(False)
                present_error(self, exc, retry=self._on_save)
            return False
        except BaseException:
            if shiboken6.isValid(self):
                self._set_busy(False)
            raise
        if not shiboken6.isValid(self):
            return True
        created = self._creating
        self._set_busy(False)
        # Keep addresses from the previous load: an update answer may omit them.
        if not saved.addresses and self.customer is not None and not created:
            saved = saved.model_copy(update={"addresses": self.customer.addresses})
        self.customer = saved
        self._creating = False
        self._fill(saved)
        if created:
            self.show_customer(saved)
            self.customerCreated.emit(saved.summary())
        else:
            self.groups_tab.show_customer(saved)
            self.customerSaved.emit(saved.summary())
        self.save_state.setText(save_note(self.service))
        return True

    def _set_busy(self, busy: bool) -> None:
        self._saving = busy
        self.details.set_busy(busy)
        if not busy:
            self._update_state()

    async def confirm_leave(self) -> bool:
        """Before showing another customer or closing: save, discard or stay."""
        if not self.is_dirty():
            return True
        who = (
            "the new customer"
            if self._creating
            else (visible(self.customer.display_name) if self.customer else "this customer")
        )
        answer = await ask(
            self,
            "Unsaved changes",
            f"Save the changes to {who}?",
            Button.Save | Button.Discard | Button.Cancel,
            Button.Save,
        )
        if answer == Button.Save:
            return await self.save()
        if answer == Button.Discard:
            key, mirror = self._draft_key(), self._mirror()
            self.revert()
            self._draft_timer.stop()
            if key is not None and mirror is not None:
                # Discarded means gone: the next start must not offer it back.
                await mirror.discard_draft(key)
            return True
        return False

    def _on_groups_changed(self, customer: Customer) -> None:
        if self.customer is not None and customer.id == self.customer.id:
            keep = customer.model_copy(
                update={"addresses": self.customer.addresses, "metadata": self.customer.metadata}
            )
            self.customer = keep
            self.customerSaved.emit(customer.summary())

    @owned_slot("token")
    async def _on_issue_token(self) -> None:
        customer = self.customer
        if customer is None:
            return
        eligibility = self.service.token_eligibility(customer)
        if not eligibility.allowed:
            return
        action = eligibility.action  # one name: button, this question, the result
        if not await confirm(
            self,
            action,
            f"{action} for {visible(customer.display_name)}?",
            action,
            informative=eligibility.description,
        ):
            return
        self.token_button.setEnabled(False)
        try:
            issuance = await self.service.issue_token(customer)
        finally:
            if shiboken6.isValid(self):
                self._update_token(self.customer)
        if shiboken6.isValid(self):
            self.timeline_tab.mark_stale()
            self.issuance_dialog = show_issuance(self, issuance, action)

    @owned_slot("delete")
    async def _on_delete(self) -> None:
        customer = self.customer
        if customer is None:
            return
        if not await confirm(
            self,
            "Delete customer",
            f"Delete {visible(customer.display_name)} ({visible(customer.email or 'no email')})?",
            "Delete",
            informative="The customer is removed from the store. This cannot be undone here.",
        ):
            return
        await self.service.delete(customer.id)
        if shiboken6.isValid(self):
            self.show_customer(None)
            self.customerDeleted.emit(customer.id)
