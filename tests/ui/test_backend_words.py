"""The desk uses each backend's own words: on Chec the token action says it issues a login
token to copy (one name on the button, its question and its result), and the Chec and
Elastic Path demos can be opened from Store ▸ Switch to."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.services.context import Services, StoreContext
from tests.ui.conftest import (
    DEMO_CUSTOMERS,
    WAIT_MS,
    LoopErrors,
    close_boxes,
    open_customer,
    run,
    visible_box,
)
from ui.crash import CrashHandler
from ui.dialogs.token_dialogs import SecretDialog
from ui.store import open_store
from ui.windows.main_window import MainWindow


@pytest.fixture
def chec_window(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    services: Services,
    loop_errors: LoopErrors,
    crashes: CrashHandler,
) -> Iterator[MainWindow]:
    context: StoreContext = run(
        qtbot,
        qloop,
        open_store(services, "demo-chec", demo_customers=DEMO_CUSTOMERS),
        timeout=60_000,
    )
    win = MainWindow(services, demo_customers=DEMO_CUSTOMERS)
    qtbot.addWidget(win)
    win.use_store(context)
    win.show()
    qtbot.waitUntil(lambda: win.model.rowCount() > 0 and not win.model.loading, timeout=WAIT_MS)
    yield win
    for owner in win.owners():
        owner.cancel_all()
    close_boxes()
    win.context = None
    run(qtbot, qloop, context.aclose())


def test_chec_token_action_says_it_issues_a_login_token(
    qtbot: QtBot, chec_window: MainWindow
) -> None:
    win = chec_window
    open_customer(qtbot, win, win.model.item(0).id)
    button = win.editor.token_button
    assert "password reset" not in button.text().lower()
    assert button.text() == "Issue login token…"
    button.click()
    box = visible_box(qtbot, "confirmBox")
    assert box.windowTitle() == "Issue login token"
    assert any(b.text() == "Issue login token" for b in box.buttons())
    next(b for b in box.buttons() if b.text() == "Issue login token").click()
    qtbot.waitUntil(
        lambda: isinstance(getattr(win.editor, "issuance_dialog", None), SecretDialog),
        timeout=WAIT_MS,
    )
    result = win.editor.issuance_dialog
    assert result.windowTitle() == "Issue login token"
    result.reject()


def test_medusa_reset_has_one_name(qtbot: QtBot, window: MainWindow) -> None:
    customer = next(c for c in window.model.items() if c.has_account and c.email)
    open_customer(qtbot, window, customer.id)
    assert window.editor.token_button.text() == "Send password reset…"
    window.editor.token_button.click()
    box = visible_box(qtbot, "confirmBox")
    assert box.windowTitle() == "Send password reset"
    assert any(b.text() == "Send password reset" for b in box.buttons())
    close_boxes()


def test_switch_menu_offers_every_demo_dialect(
    qtbot: QtBot, window: MainWindow, qloop: asyncio.AbstractEventLoop
) -> None:
    window._fill_switch_menu()
    labels = {a.text(): a for a in window.switch_menu.actions() if a.text()}
    assert {"Demo store (Medusa)", "Demo store (Chec)", "Demo store (Elastic Path)"} <= set(labels)
    assert labels["Demo store (Medusa)"].isChecked()
    labels["Demo store (Elastic Path)"].trigger()
    qtbot.waitUntil(lambda: window.current_store_name() == "demo-ep", timeout=30_000)
    assert "Elastic Path" in window.store_label.text()
    opened = window.context
    assert opened is not None
    window.context = None
    run(qtbot, qloop, opened.aclose())


def test_columns_the_store_lacks_say_why(qtbot: QtBot, chec_window: MainWindow) -> None:
    from PySide6.QtWidgets import QMenu

    menu = QMenu()
    chec_window._fill_column_menu(menu)
    company = next(a for a in menu.actions() if a.text().startswith("Company"))
    assert company.text() == "Company (this store keeps none)"  # Chec has no company
    assert not company.isEnabled()
    name = next(a for a in menu.actions() if a.text() == "Name")
    assert name.isEnabled()
