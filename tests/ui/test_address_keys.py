"""The address dialog and list for keyboard users: tab order down the form, a new address
that starts from what is known, Enter/Delete in the list, the phone on each row."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.customer import Address, AddressDraft, Customer
from app.services.context import StoreContext
from tests.ui.conftest import WAIT_MS, close_boxes, open_customer, run, visible_box
from ui.dialogs.address_dialog import AddressDialog
from ui.widgets.addresses_tab import describe
from ui.windows.main_window import MainWindow


def customer_with_addresses(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: StoreContext, win: MainWindow
) -> Customer:
    """A customer with a name and two addresses, the default shipping one in Austria."""
    customer = next(c for c in win.model.items() if c.first_name and c.last_name)
    service = store.customers
    for draft in (
        AddressDraft(address_1="Ring 1", city="Wien", country_code="at", phone="+43 1 234567"),
        AddressDraft(address_1="Main St 2", city="Leeds", country_code="gb"),
    ):
        run(qtbot, qloop, service.add_address(customer.id, draft))
    full = run(qtbot, qloop, service.get(customer.id))
    vienna = next(a for a in full.addresses if a.city == "Wien")
    from app.domain.patch import AddressPatch

    run(
        qtbot,
        qloop,
        service.update_address(customer.id, vienna.id, AddressPatch(is_default_shipping=True)),
    )
    return run(qtbot, qloop, service.get(customer.id))


def test_tab_goes_down_the_form(qtbot: QtBot) -> None:
    async def never(_change: object) -> Address:
        raise AssertionError("not saved in this test")

    dialog = AddressDialog(None, None, never)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.fields["province"].edit.setFocus()
    order = []
    for _ in range(3):
        focus = dialog.focusWidget()  # the dialog's own: it need not be the active window
        assert focus is not None
        QTest.keyClick(focus, Qt.Key.Key_Tab)
        order.append(dialog.focusWidget())
    assert order[0] is dialog.country
    assert order[1] is dialog.fields["phone"].edit
    assert order[2] is dialog.default_shipping


def test_new_address_starts_with_the_customers_name_and_country(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    customer = customer_with_addresses(qtbot, qloop, store, window)
    open_customer(qtbot, window, customer.id)
    tab = window.editor.addresses_tab
    window.editor.tabs.setCurrentWidget(tab)
    tab.add_button.click()
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=WAIT_MS)
    dialog = tab.dialog
    assert dialog is not None
    assert dialog.fields["first_name"].value() == customer.first_name
    assert dialog.fields["last_name"].value() == customer.last_name
    assert dialog.country is not None
    assert dialog.country.currentData() == "at"  # the default shipping address's
    dialog.reject()


def test_enter_edits_delete_asks_then_deletes_and_rows_show_the_phone(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    customer = customer_with_addresses(qtbot, qloop, store, window)
    open_customer(qtbot, window, customer.id)
    tab = window.editor.addresses_tab
    window.editor.tabs.setCurrentWidget(tab)
    vienna = next(a for a in tab.addresses if a.city == "Wien")
    assert "+43 1 234567" in describe(vienna)
    row = tab.addresses.index(vienna)
    assert "+43 1 234567" in tab.list.item(row).text()

    tab.list.setFocus()
    tab.select(vienna.id)
    QTest.keyClick(tab.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=WAIT_MS)
    assert tab.dialog is not None
    assert tab.dialog.fields["city"].value() == "Wien"
    tab.dialog.reject()
    qtbot.waitUntil(lambda: tab.dialog is None, timeout=WAIT_MS)

    before = len(tab.addresses)
    QTest.keyClick(tab.list, Qt.Key.Key_Delete)
    box = visible_box(qtbot, "confirmBox")
    assert "Wien" in box.text()
    delete = next(b for b in box.buttons() if b.text().replace("&", "") == "Delete")
    delete.click()
    qtbot.waitUntil(lambda: len(tab.addresses) == before - 1, timeout=WAIT_MS)
    assert all(a.id != vienna.id for a in tab.addresses)
    close_boxes()
    assert not any(
        isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()
    )


def test_an_address_row_breaks_its_line_but_shows_control_characters() -> None:
    from app.domain.customer import Address
    from ui.widgets.addresses_tab import describe

    row = describe(Address(id="addr_1", address_name="Home\x1b[2J", city="Wien"))
    first, second = row.split("\n")
    assert first == "Home␛[2J"
    assert second == "Wien"
