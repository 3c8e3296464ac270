"""The address dialog builds its fields from the store's address form and checks what the
store requires before anything is sent."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel
from pytestqt.qtbot import QtBot

from app.domain.address_form import AddressField, AddressForm
from app.domain.customer import Address, AddressDraft
from app.domain.patch import AddressPatch
from app.services.context import Services, StoreContext
from tests.ui.conftest import (
    WAIT_MS,
    LoopErrors,
    open_customer,
    run,
    set_text,
)
from ui.crash import CrashHandler
from ui.dialogs.address_dialog import AddressDialog
from ui.store import open_store
from ui.windows.main_window import MainWindow

FORM = AddressForm(
    (
        AddressField("first_name", "Given name", required=True),
        AddressField("address_1", "Line 1", required=True),
        AddressField("county", "County", required=True),
        AddressField("province", "Region"),
        AddressField("country_code", "Country", required=True),
    )
)


def row_labels(dialog: AddressDialog) -> list[str]:
    form = dialog.findChild(QFormLayout)
    assert form is not None
    out = []
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        widget = item.widget() if item is not None else None
        if isinstance(widget, QLabel) and widget.text():
            out.append(widget.text())
    return out


class Saves:
    def __init__(self) -> None:
        self.sent: list[AddressDraft | AddressPatch] = []

    async def __call__(self, change: AddressDraft | AddressPatch) -> Address:
        self.sent.append(change)
        return Address(id="a1", **(change.model_dump() if isinstance(change, AddressDraft) else {}))


def test_the_stores_fields_labels_and_required_marks(qtbot: QtBot) -> None:
    dialog = AddressDialog(None, None, Saves(), FORM, defaults=False)
    qtbot.addWidget(dialog)
    assert row_labels(dialog) == ["Given name *", "Line 1 *", "County *", "Region", "Country *"]
    assert set(dialog.fields) == {"first_name", "address_1", "county", "province"}
    assert dialog.fields["county"].edit.accessibleName() == "County"
    assert dialog.default_shipping.isHidden()
    assert "is_default_shipping" not in dialog.draft().model_fields_set


def test_the_default_form_has_no_county(qtbot: QtBot) -> None:
    dialog = AddressDialog(None, None, Saves())
    qtbot.addWidget(dialog)
    assert "county" not in dialog.fields
    assert "Province / state" in row_labels(dialog)


def test_required_fields_are_checked_before_sending(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    saves = Saves()
    dialog = AddressDialog(None, None, saves, FORM)
    qtbot.addWidget(dialog)
    dialog.show()
    set_text(qtbot, dialog.fields["first_name"].edit, "Ron")
    set_text(qtbot, dialog.fields["address_1"].edit, "1 Sunny Street")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert saves.sent == []
    assert dialog.isVisible()
    assert dialog.fields["county"].error.text() == "County is required by this store."
    assert not dialog.fields["county"].error.isHidden()
    assert dialog.country_error.text() == "Country is required by this store."
    set_text(qtbot, dialog.fields["county"].edit, "Sunnyville")
    dialog.set_country("gb")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: bool(saves.sent), timeout=WAIT_MS)
    (sent,) = saves.sent
    assert isinstance(sent, AddressDraft)
    assert (sent.county, sent.country_code) == ("Sunnyville", "gb")


def test_an_edit_may_not_empty_a_required_field(qtbot: QtBot) -> None:
    saves = Saves()
    address = Address(id="a1", first_name="Ron", address_1="1 Sunny St", county="Kent")
    dialog = AddressDialog(None, address, saves, FORM)
    qtbot.addWidget(dialog)
    dialog.show()
    set_text(qtbot, dialog.fields["county"].edit, "")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert saves.sent == []
    assert dialog.fields["county"].error.text() == "County is required by this store."


@pytest.fixture
def ep_window(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    services: Services,
    loop_errors: LoopErrors,
    crashes: CrashHandler,
) -> Iterator[MainWindow]:
    """The main window on the demo store in Elastic Path's (strict) dialect."""
    context: StoreContext = run(
        qtbot, qloop, open_store(services, "demo-ep", demo_customers=40), timeout=60_000
    )
    win = MainWindow(services, demo_customers=40)
    qtbot.addWidget(win)
    win.use_store(context)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.model.rowCount() > 0 and not win.model.loading, timeout=WAIT_MS)
    yield win
    for owner in win.owners():
        owner.cancel_all()
    win.context = None
    run(qtbot, qloop, context.aclose())


def test_an_elastic_path_store_asks_for_county_and_region(
    qtbot: QtBot, ep_window: MainWindow
) -> None:
    """The dialog names no backend: the store's form brings county and its own labels."""
    customer = ep_window.model.item(0)
    open_customer(qtbot, ep_window, customer.id)
    tab = ep_window.editor.addresses_tab
    ep_window.editor.tabs.setCurrentWidget(tab)
    before = len(tab.addresses)
    tab.add_button.click()
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=WAIT_MS)
    dialog = tab.dialog
    assert dialog is not None
    assert "County *" in row_labels(dialog)
    assert "Region (state, province)" in row_labels(dialog)
    assert dialog.default_shipping.isHidden()  # Elastic Path has no default addresses
    for name, text in [
        ("first_name", "Ron"),
        ("last_name", "Swanson"),
        ("address_1", "1 Sunny Street"),
        ("postal_code", "SU33 1YY"),
    ]:
        set_text(qtbot, dialog.fields[name].edit, text)
    dialog.set_country("gb")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.fields["county"].error.text() == "County is required by this store."
    set_text(qtbot, dialog.fields["county"].edit, "Sunnyville")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: len(tab.addresses) == before + 1, timeout=WAIT_MS)
    added = next(a for a in tab.addresses if a.address_1 == "1 Sunny Street")
    assert added.county == "Sunnyville"
    shown = [tab.list.item(i).text() for i in range(tab.list.count())]
    assert any("Sunnyville" in text for text in shown)  # the list shows the county too
