"""Edits made offline: counted, listed, announced when sent, and shown as resolved
(issue 12, points 5 and 15)."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain.customer import CustomerSummary
from app.domain.patch import CustomerPatch
from app.services.context import StoreContext
from tests.ui.conftest import WAIT_MS, click_box_button, open_customer, run, set_text, visible_box
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.windows.main_window import MainWindow


def _conflict_dialog() -> ConflictDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, ConflictDialog) and widget.isVisible():
            return widget
    return None


def _edit_offline(
    qtbot: QtBot,
    window: MainWindow,
    store: StoreContext,
    qloop: asyncio.AbstractEventLoop,
    company: str,
) -> CustomerSummary:
    """Open the first customer, lose the store, save a company change (queued)."""
    assert store.demo is not None
    assert store.mirror is not None
    run(qtbot, qloop, store.mirror.sync())
    first = window.model.item(0)
    open_customer(qtbot, window, first.id)
    store.demo.faults.offline = True
    window.refresh()
    qtbot.waitUntil(lambda: window.offline_banner.isVisible(), timeout=WAIT_MS)
    set_text(qtbot, window.editor.fields["company"].edit, company)
    window.editor.save_button.click()
    qtbot.waitUntil(lambda: "offline" in window.editor.save_state.text().lower(), timeout=WAIT_MS)
    return first


def _back_online(qtbot: QtBot, store: StoreContext) -> None:
    assert store.demo is not None
    store.demo.faults.offline = False
    mirror = store.mirror
    assert mirror is not None
    qtbot.waitUntil(lambda: not mirror.state.syncing, timeout=WAIT_MS)


def test_taking_theirs_shows_theirs_in_the_editor(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    first = _edit_offline(qtbot, window, store, qloop, "Mine GmbH")
    _back_online(qtbot, store)
    patch = CustomerPatch(company="Theirs AG")
    run(qtbot, qloop, store.backend.update_customer(first.id, patch))  # type: ignore[attr-defined]
    assert store.mirror is not None
    assert run(qtbot, qloop, store.mirror.probe())
    run(qtbot, qloop, store.mirror.replay())
    qtbot.waitUntil(lambda: _conflict_dialog() is not None, timeout=WAIT_MS)
    dialog = _conflict_dialog()
    assert dialog is not None
    dialog.theirs_button.click()
    qtbot.waitUntil(
        lambda: window.editor.fields["company"].edit.text() == "Theirs AG", timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: not window.editor.tasks.busy, timeout=WAIT_MS)
    assert window.editor.fields["company"].edit.text() == "Theirs AG"
    assert "offline" not in window.editor.save_state.text().lower()
    assert not window.editor.is_dirty()


def test_waiting_edits_are_counted_listed_and_announced_when_sent(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    first = _edit_offline(qtbot, window, store, qloop, "Queued Ltd")
    button = window.waiting_button
    assert button.isVisible()
    assert button.text() == "1 edit waiting"
    button.click()
    qtbot.waitUntil(
        lambda: (
            getattr(window, "waiting_dialog", None) is not None
            and window.waiting_dialog.isVisible()
        ),
        timeout=WAIT_MS,
    )
    listed = window.waiting_dialog.list
    assert listed.count() == 1
    assert first.display_name in listed.item(0).text()
    assert "company" in listed.item(0).text()
    window.waiting_dialog.close()

    _back_online(qtbot, store)
    assert store.mirror is not None
    assert run(qtbot, qloop, store.mirror.probe())
    run(qtbot, qloop, store.mirror.replay())
    qtbot.waitUntil(
        lambda: "1 edit sent to the store" in window.statusBar().currentMessage(),
        timeout=WAIT_MS,
    )
    assert not button.isVisible()
    qtbot.waitUntil(
        lambda: "offline" not in window.editor.save_state.text().lower(), timeout=WAIT_MS
    )


def test_quit_warns_while_edits_wait(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    _edit_offline(qtbot, window, store, qloop, "Not sent yet")
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    window.close()
    box = visible_box(qtbot, "confirmBox")
    assert "1 edit has not reached the store" in box.text()
    click_box_button(box, "Cancel")
    qtbot.waitUntil(lambda: not window.tasks.running("close"), timeout=WAIT_MS)
    assert window.isVisible()
    assert not closed
    window.close()
    click_box_button(visible_box(qtbot, "confirmBox"), "Quit")
    qtbot.waitUntil(lambda: bool(closed), timeout=WAIT_MS)
    assert store.mirror is not None
    assert store.mirror.state.pending_edits == 1  # quitting keeps it for next time
    assert store.demo is not None
    store.demo.faults.offline = False
