"""Quitting: a discarded edit stays discarded (issue 12, point 7)."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.services.context import StoreContext
from tests.ui.conftest import WAIT_MS, click_box_button, open_customer, run, set_text, visible_box
from ui.windows.main_window import MainWindow


def test_discard_on_quit_drops_the_draft(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    mirror = store.mirror
    assert mirror is not None
    first = window.model.item(0)
    open_customer(qtbot, window, first.id)
    set_text(qtbot, window.editor.fields["company"].edit, "Thrown away")
    key = f"customer:{first.id}"
    qtbot.waitUntil(lambda: key in run(qtbot, qloop, mirror.drafts()), timeout=WAIT_MS)
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    window.close()
    click_box_button(visible_box(qtbot, "questionBox"), QMessageBox.StandardButton.Discard)
    qtbot.waitUntil(lambda: bool(closed), timeout=WAIT_MS)
    qtbot.wait(1500)  # past the draft timer: nothing may write the edit back
    assert key not in run(qtbot, qloop, mirror.drafts())
