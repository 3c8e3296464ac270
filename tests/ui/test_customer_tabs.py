"""Addresses, groups, orders and the password-token action."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.customer import Address, AddressDraft, CustomerSummary
from app.domain.order import OrderDetail
from app.domain.patch import AddressPatch
from app.domain.query import CustomerQuery
from app.services.context import StoreContext
from tests.ui.conftest import WAIT_MS, click_box_button, open_customer, run, set_text, visible_box
from ui.dialogs.address_dialog import AddressDialog
from ui.dialogs.order_dialog import OrderDialog
from ui.formatting import money_text, order_number
from ui.windows.main_window import MainWindow


def cell(dialog: OrderDialog, row: int, column: int) -> str:
    item = dialog.lines.item(row, column)
    assert item is not None
    return item.text()


def find_customer(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: StoreContext, has_account: bool
) -> CustomerSummary:
    page = run(qtbot, qloop, store.customers.search(CustomerQuery(has_account=has_account)))
    return next(c for c in page.items if c.email)


def open_address_dialog(qtbot: QtBot, win: MainWindow, button_name: str) -> AddressDialog:
    tab = win.editor.addresses_tab
    qtbot.waitUntil(lambda: tab.dialog is None, timeout=WAIT_MS)
    getattr(tab, button_name).click()
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=WAIT_MS)
    assert tab.dialog is not None
    return tab.dialog


def test_address_add_edit_default_delete(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    customer = window.model.item(2)
    open_customer(qtbot, window, customer.id)
    tab = window.editor.addresses_tab
    window.editor.tabs.setCurrentWidget(tab)
    before = len(tab.addresses)

    dialog = open_address_dialog(qtbot, window, "add_button")
    set_text(qtbot, dialog.fields["address_name"].edit, "Shop")
    set_text(qtbot, dialog.fields["address_1"].edit, "1 Market Street")
    set_text(qtbot, dialog.fields["city"].edit, "Leeds")
    set_text(qtbot, dialog.fields["postal_code"].edit, "LS1 1AA")
    dialog.set_country("gb")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: len(tab.addresses) == before + 1, timeout=WAIT_MS)
    added = next(a for a in tab.addresses if a.address_name == "Shop")
    assert added.country_code == "gb"
    assert tab.current_address() == added

    dialog = open_address_dialog(qtbot, window, "edit_button")
    set_text(qtbot, dialog.fields["city"].edit, "York")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: any(a.city == "York" for a in tab.addresses), timeout=WAIT_MS)

    # Making it the default shipping address moves the flag at once in the list.
    tab.select(added.id)
    tab.shipping_button.click()
    qtbot.waitUntil(
        lambda: next(a for a in tab.addresses if a.id == added.id).is_default_shipping,
        timeout=WAIT_MS,
    )
    assert sum(a.is_default_shipping for a in tab.addresses) == 1
    assert "default shipping" in tab.list.currentItem().text()
    remote = run(qtbot, qloop, store.customers.addresses(customer.id))
    assert [a.id for a in remote if a.is_default_shipping] == [added.id]

    tab.select(added.id)
    tab.delete_button.click()
    click_box_button(visible_box(qtbot, "confirmBox"), "Delete")
    qtbot.waitUntil(lambda: len(tab.addresses) == before, timeout=WAIT_MS)
    remote = run(qtbot, qloop, store.customers.addresses(customer.id))
    assert added.id not in [a.id for a in remote]


class AddressBook:
    """Stands in for the store's address writes: the tab's own logic, store aside."""

    def __init__(self, addresses: list[Address]) -> None:
        self.addresses = {a.id: a for a in addresses}
        self.next_id = 1

    async def add_address(self, customer_id: str, draft: AddressDraft) -> Address:
        address = Address(
            id=f"addr_new{self.next_id}", customer_id=customer_id, **draft.model_dump()
        )
        self.next_id += 1
        self.addresses[address.id] = address
        return self._defaults(address)

    async def update_address(
        self, customer_id: str, address_id: str, patch: AddressPatch
    ) -> Address:
        changes = {**patch.changes()}
        address = self.addresses[address_id].model_copy(update=changes)
        self.addresses[address_id] = address
        return self._defaults(address)

    def _defaults(self, saved: Address) -> Address:
        for key, other in list(self.addresses.items()):
            if key == saved.id:
                continue
            update = {}
            if saved.is_default_shipping and other.is_default_shipping:
                update["is_default_shipping"] = False
            if saved.is_default_billing and other.is_default_billing:
                update["is_default_billing"] = False
            self.addresses[key] = other.model_copy(update=update)
        return saved


def test_address_dialog_and_default_moves_at_once(
    qtbot: QtBot, window: MainWindow, store: StoreContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = window.model.item(0)
    open_customer(qtbot, window, customer.id)
    tab = window.editor.addresses_tab
    book = AddressBook(tab.addresses)
    monkeypatch.setattr(store.customers, "add_address", book.add_address)
    monkeypatch.setattr(store.customers, "update_address", book.update_address)
    before = len(tab.addresses)

    dialog = open_address_dialog(qtbot, window, "add_button")
    set_text(qtbot, dialog.fields["address_1"].edit, "1 Market Street")
    set_text(qtbot, dialog.fields["city"].edit, "Leeds")
    dialog.set_country("gb")
    dialog.default_billing.setChecked(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: len(tab.addresses) == before + 1, timeout=WAIT_MS)
    added = tab.addresses[-1]
    assert (added.city, added.country_code) == ("Leeds", "gb")
    assert [a.id for a in tab.addresses if a.is_default_billing] == [added.id]

    # Edit sends only what changed.
    dialog = open_address_dialog(qtbot, window, "edit_button")
    assert dialog.patch().is_empty()
    set_text(qtbot, dialog.fields["city"].edit, "York")
    assert dialog.patch().changes() == {"city": "York"}
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: tab.addresses[-1].city == "York", timeout=WAIT_MS)

    tab.select(added.id)
    tab.shipping_button.click()
    qtbot.waitUntil(lambda: tab.addresses[-1].is_default_shipping, timeout=WAIT_MS)
    assert sum(a.is_default_shipping for a in tab.addresses) == 1
    item = tab.list.currentItem()
    assert item is not None
    assert "default shipping, default billing" in item.text()
    assert not tab.shipping_button.isEnabled()


def test_address_phone_is_checked_as_you_type(qtbot: QtBot, window: MainWindow) -> None:
    open_customer(qtbot, window, window.model.item(0).id)
    dialog = open_address_dialog(qtbot, window, "add_button")
    set_text(qtbot, dialog.fields["phone"].edit, "call me maybe")
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert dialog.fields["phone"].error.isVisible()
    assert not save.isEnabled()
    dialog.reject()


def test_group_membership(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    customer = window.model.item(3)
    open_customer(qtbot, window, customer.id)
    tab = window.editor.groups_tab
    qtbot.waitUntil(lambda: tab.combo.count() > 0, timeout=WAIT_MS)
    group_name = tab.combo.currentText()
    before = tab.list.count()
    tab.add_button.click()
    qtbot.waitUntil(lambda: tab.list.count() == before + 1, timeout=WAIT_MS)
    remote = run(qtbot, qloop, store.customers.get(customer.id))
    assert group_name in {g.name for g in remote.groups}
    row = window.model.row_of(customer.id)
    assert row is not None
    assert group_name in {g.name for g in window.model.item(row).groups}
    items = [tab.list.item(i).text() for i in range(tab.list.count())]
    tab.list.setCurrentRow(items.index(group_name))
    tab.remove_button.click()
    qtbot.waitUntil(lambda: tab.list.count() == before, timeout=WAIT_MS)


def test_orders_and_order_detail_totals(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    tab = window.editor.orders_tab
    # The first customers in the list with any orders.
    for row in range(window.model.rowCount()):
        open_customer(qtbot, window, window.model.item(row).id)
        qtbot.waitUntil(lambda: not tab.model.loading, timeout=WAIT_MS)
        if tab.model.rowCount():
            break
    assert tab.model.rowCount() > 0
    window.editor.tabs.setCurrentWidget(tab)
    tab.open_order(tab.model.index(0, 0))
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=WAIT_MS)
    dialog = tab.dialog
    assert isinstance(dialog, OrderDialog)
    order = dialog.order
    detail = run(qtbot, qloop, store.customers.order(order.id))
    assert isinstance(detail, OrderDetail)
    assert dialog.lines.rowCount() == len(detail.lines)
    assert dialog.total_labels["total"].text() == f"<b>{money_text(detail.total)}</b>"
    # Money reads as in the header, list and timeline ("€12.50"), not "12.50 EUR".
    assert str(detail.total) not in dialog.total_labels["total"].text()
    assert dialog.total_labels["subtotal"].text() == money_text(detail.subtotal)
    assert dialog.total_labels["tax_total"].text() == money_text(detail.tax_total)
    assert dialog.total_labels["shipping_total"].text() == money_text(detail.shipping_total)
    assert dialog.total_labels["discount_total"].text() == money_text(detail.discount_total)
    first_line = detail.lines[0]
    assert cell(dialog, 0, 0) == first_line.title
    assert cell(dialog, 0, 4) == money_text(first_line.total)
    assert tab.model.data(tab.model.index(0, 0)) == order_number(order.display_number)
    dialog.close()


def test_token_disabled_for_guests_with_reason(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    guest = find_customer(qtbot, qloop, store, has_account=False)
    open_customer(qtbot, window, guest.id)
    editor = window.editor
    assert not editor.token_button.isEnabled()
    reason = store.customers.token_eligibility(guest).reason
    assert reason
    assert editor.token_button.toolTip() == reason
    assert editor.token_reason.isVisible()
    assert editor.token_reason.text() == reason


def test_token_issued_after_confirmation(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    member = find_customer(qtbot, qloop, store, has_account=True)
    open_customer(qtbot, window, member.id)
    editor = window.editor
    assert editor.token_button.isEnabled()
    editor.token_button.click()
    box = visible_box(qtbot, "confirmBox")
    assert member.display_name in box.text()
    assert box.informativeText() == store.customers.token_eligibility(member).description
    click_box_button(box, "Send password reset")  # the action's one name
    result = visible_box(qtbot, "tokenResultBox")
    assert result.windowTitle() == "Send password reset"
    assert member.email is not None
    assert member.email in result.text()
    result.done(QMessageBox.StandardButton.Ok)
