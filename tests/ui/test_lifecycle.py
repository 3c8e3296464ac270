"""Closing mid-request, layout settings, the store switch and the stores dialog."""

from __future__ import annotations

import asyncio
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.services.context import Services, StoreContext
from app.services.profiles import AuthMethod
from tests.ui.conftest import (
    DEMO_CUSTOMERS,
    WAIT_MS,
    click_box_button,
    open_customer,
    run,
    set_text,
    visible_box,
)
from ui.app import parse_args, run_window
from ui.dialogs.stores_dialog import StoresDialog
from ui.windows.main_window import MainWindow


def test_closing_mid_request_cancels_cleanly(
    qtbot: QtBot, window: MainWindow, store: StoreContext
) -> None:
    assert store.demo is not None
    store.demo.faults.latency = 1.0
    try:
        second = window.model.item(1).id
        window.model.refresh()
        window.open_customer(second)
        # A list page and the customer's details are both waiting on the slow store.
        qtbot.waitUntil(
            lambda: window.model.loading and window.editor.tasks.running("load"),
            timeout=WAIT_MS,
        )
        tasks = window.model.tasks.pending() + window.editor.tasks.pending()
        assert len(tasks) == 2
        window.close()
        qtbot.waitUntil(lambda: all(t.done() for t in tasks), timeout=WAIT_MS)
    finally:
        store.demo.faults.reset()
    assert all(t.cancelled() for t in tasks)
    assert not any(owner.busy for owner in window.owners())


def test_close_with_unsaved_edit_asks_first(qtbot: QtBot, window: MainWindow) -> None:
    open_customer(qtbot, window, window.model.item(0).id)
    set_text(qtbot, window.editor.fields["company"].edit, "Not yet saved")
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    window.close()
    box = visible_box(qtbot, "questionBox")
    assert window.isVisible()
    assert not closed
    click_box_button(box, QMessageBox.StandardButton.Discard)
    qtbot.waitUntil(lambda: bool(closed), timeout=WAIT_MS)
    assert not window.isVisible()


def test_layout_is_saved_under_the_app_home(
    qtbot: QtBot, window: MainWindow, app_home: Path
) -> None:
    window.table.setColumnHidden(1, True)
    window.close()
    ini = app_home / "config" / "ui.ini"
    assert ini.exists()
    again = MainWindow(window.services)
    qtbot.addWidget(again)
    assert again.table.isColumnHidden(1)


def test_switching_to_the_demo_store_again(
    qtbot: QtBot, window: MainWindow, store: StoreContext
) -> None:
    window._demo_customers = DEMO_CUSTOMERS
    opened: list[str] = []
    window.storeOpened.connect(opened.append)
    window.open_store("demo")
    qtbot.waitUntil(lambda: bool(opened) and not window.model.loading, timeout=30_000)
    assert window.context is not store
    assert window.model.total == DEMO_CUSTOMERS
    new_context = window.context
    assert new_context is not None
    window.context = store  # the fixture closes the original; close the new one here
    task = asyncio.get_event_loop().create_task(new_context.aclose())
    qtbot.waitUntil(task.done, timeout=WAIT_MS)


def fill_store_form(qtbot: QtBot, dialog: StoresDialog, name: str, url: str) -> None:
    dialog.new_button.click()
    set_text(qtbot, dialog.name_edit, name)
    set_text(qtbot, dialog.url_edit, url)
    dialog.auth_combo.setCurrentIndex(dialog.auth_combo.findData(AuthMethod.PASSWORD))
    set_text(qtbot, dialog.email_edit, "admin@example.com")
    set_text(qtbot, dialog.secret_edit, "s3cret")


def test_stores_dialog_saves_profile_and_secret(
    qtbot: QtBot, services: Services, qloop: asyncio.AbstractEventLoop, memory_keyring: object
) -> None:
    dialog = StoresDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_store_form(qtbot, dialog, "Main shop", "https://shop.example.com/")
    dialog.save_button.click()
    assert "Saved store 'Main shop'" in dialog.result_label.text()
    profile = services.profiles.get("Main shop")
    assert profile.url == "https://shop.example.com"
    assert profile.email == "admin@example.com"
    assert services.secrets.get("Main shop") == "s3cret"
    assert dialog.list.count() == 1
    # Bad input is explained, nothing is saved.
    fill_store_form(qtbot, dialog, "Other", "ftp://nope")
    dialog.save_button.click()
    assert "http" in dialog.form_error.text()
    assert [p.name for p in services.profiles.list()] == ["Main shop"]


def test_stores_dialog_without_keyring_says_so(
    qtbot: QtBot,
    services: Services,
    qloop: asyncio.AbstractEventLoop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(keyring, "get_keyring", keyring.get_keyring)
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    dialog = StoresDialog(services)
    qtbot.addWidget(dialog)
    fill_store_form(qtbot, dialog, "No ring", "https://shop.example.com")
    dialog.save_button.click()
    assert "NOT saved" in dialog.result_label.text()
    assert "keyring" in dialog.result_label.text()
    assert services.profiles.get("No ring").name == "No ring"


def test_stores_dialog_test_connection_reports_failure(
    qtbot: QtBot, services: Services, qloop: asyncio.AbstractEventLoop
) -> None:
    dialog = StoresDialog(services)
    qtbot.addWidget(dialog)
    fill_store_form(qtbot, dialog, "Nowhere", "http://127.0.0.1:9")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "failed" in dialog.result_label.text(), timeout=30_000)
    assert dialog.test_button.isEnabled()


def test_run_window_smoke_path_opens_and_closes_the_store(
    qtbot: QtBot,
    services: Services,
    qloop: asyncio.AbstractEventLoop,
    loop_errors: object,
    crashes: object,
    capsys: pytest.CaptureFixture[str],
) -> None:
    window = MainWindow(services, demo_customers=DEMO_CUSTOMERS)
    qtbot.addWidget(window)
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    code = run(qtbot, qloop, run_window(window, None, smoke=True), timeout=60_000)
    assert code == 0
    assert closed == [True]
    assert window.context is None  # closed by run_window
    assert "smoke test OK: store=demo" in capsys.readouterr().out


def test_parse_args() -> None:
    args = parse_args(["--store", "Main shop", "--demo-customers", "10"])
    assert args.store == "Main shop"
    assert args.demo_customers == 10
    assert not args.smoke_test


def test_ctrl_q_closes_the_desk(qtbot: QtBot, window: MainWindow) -> None:
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert window.new_action.shortcut().toString() == "Ctrl+N"
    assert window.find_action.shortcut().toString() == "Ctrl+F"
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    window.find_action.trigger()
    assert window.filter_bar.search.hasFocus()
    window.quit_action.trigger()
    assert closed == [True]
    assert all(owner.closed for owner in window.owners())


def test_a_bug_in_a_task_reaches_the_crash_handler(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    from PySide6.QtWidgets import QWidget

    from ui.asyncbridge import TaskOwner
    from ui.crash import CrashHandler
    from ui.errors import present_error

    handler = CrashHandler(show_dialog=False)
    handler.install()
    try:
        widget = QWidget()
        qtbot.addWidget(widget)
        owner = TaskOwner("buggy", lambda exc: present_error(widget, exc))

        async def buggy() -> None:
            raise KeyError("a bug")

        owner.run(buggy())
        qtbot.waitUntil(lambda: handler.count == 1, timeout=WAIT_MS)
    finally:
        handler.uninstall()


def test_stores_dialog_switch_requests_the_store(
    qtbot: QtBot, services: Services, qloop: asyncio.AbstractEventLoop
) -> None:
    dialog = StoresDialog(services)
    qtbot.addWidget(dialog)
    fill_store_form(qtbot, dialog, "Main shop", "https://shop.example.com")
    dialog.save_button.click()
    with qtbot.waitSignal(dialog.switchRequested) as blocker:
        dialog.switch_button.click()
    assert blocker.args == ["Main shop"]


def test_gc_settles_only_after_the_first_rows(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.app

    calls: list[int] = []
    monkeypatch.setattr(ui.app, "settle_after_startup", lambda: calls.append(1))
    monkeypatch.setattr(ui.app, "SETTLE_DELAY_MS", 10)
    ui.app._settle_after_first_rows(window)
    qtbot.wait(50)
    assert calls == []  # not before any rows: the first paint must not wait for it
    window.refresh()
    qtbot.waitUntil(lambda: calls == [1], timeout=5000)
    window.refresh()  # later pages or refreshes do not settle again
    qtbot.waitUntil(lambda: not window.model.loading, timeout=5000)
    qtbot.wait(50)
    assert calls == [1]
