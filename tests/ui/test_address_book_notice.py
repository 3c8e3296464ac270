"""On a store whose address book cannot be listed (the strict Chec demo, like Chec's own
sources) the Addresses tab says so: defaults only, add works, edit/delete disabled."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.domain.limitations import ADDRESS_BOOK_DEFAULTS_ONLY
from app.services.context import Services, StoreContext
from app.services.demo import CHEC_LENIENT_ENV
from tests.ui.conftest import DEMO_CUSTOMERS, WAIT_MS, open_customer, run, set_text
from tests.ui.test_customer_tabs import open_address_dialog
from ui.asyncbridge import cancel_all_owners
from ui.store import open_store
from ui.widgets.addresses_tab import AddressesTab
from ui.windows.main_window import MainWindow


@pytest.fixture
def store(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[StoreContext]:
    """The strict Chec demo instead of the Medusa one (the `window` fixture opens it)."""
    monkeypatch.delenv(CHEC_LENIENT_ENV, raising=False)
    context = run(
        qtbot,
        qloop,
        open_store(services, "demo-chec", demo_customers=DEMO_CUSTOMERS),
        timeout=60_000,
    )
    yield context
    cancel_all_owners()
    run(qtbot, qloop, context.aclose())


def open_one_with_addresses(qtbot: QtBot, win: MainWindow) -> AddressesTab:
    tab = win.editor.addresses_tab
    for row in range(win.model.rowCount()):
        open_customer(qtbot, win, win.model.item(row).id)
        if tab.addresses:
            win.editor.tabs.setCurrentWidget(tab)
            return tab
    raise AssertionError("no demo customer shows an address")


def test_addresses_tab_says_only_defaults_show_and_disables_edit_and_delete(
    qtbot: QtBot, window: MainWindow
) -> None:
    tab = open_one_with_addresses(qtbot, window)
    tab.list.setCurrentRow(0)

    assert tab.notice.isVisible()
    assert tab.notice.text() == ADDRESS_BOOK_DEFAULTS_ONLY.notice
    assert all(a.is_default_shipping or a.is_default_billing for a in tab.addresses)
    for button in (tab.edit_button, tab.delete_button, tab.shipping_button, tab.billing_button):
        assert not button.isEnabled(), button.text()
        assert button.toolTip() == ADDRESS_BOOK_DEFAULTS_ONLY.unavailable
    assert tab.add_button.isEnabled()
    # A double-click opens no editor either.
    item = tab.list.item(0)
    assert item is not None
    tab.list.itemDoubleClicked.emit(item)
    qtbot.wait(50)
    assert tab.dialog is None

    # Adding still works and shows the new address.
    before = len(tab.addresses)
    dialog = open_address_dialog(qtbot, window, "add_button")
    set_text(qtbot, dialog.fields["address_1"].edit, "1 Market Street")
    set_text(qtbot, dialog.fields["city"].edit, "Leeds")
    dialog.set_country("gb")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: len(tab.addresses) == before + 1, timeout=WAIT_MS)
    assert any(a.city == "Leeds" for a in tab.addresses)
    assert tab.notice.isVisible()
    assert not tab.edit_button.isEnabled()
