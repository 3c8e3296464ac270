"""Field errors: a red frame, a form that keeps its place, and a duplicate email that
names who has it (issue 12, point 16)."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.query import CustomerQuery
from app.services.context import StoreContext
from tests.ui.conftest import WAIT_MS, click_box_button, open_customer, run, set_text, visible_box
from ui.windows.main_window import MainWindow


def _places(window: MainWindow) -> dict[str, QPoint]:
    editor = window.editor
    found = {n: f.edit.mapTo(editor, QPoint(0, 0)) for n, f in editor.fields.items()}
    found["save"] = editor.save_button.mapTo(editor, QPoint(0, 0))
    return found


def _frame_is_red(window: MainWindow, name: str) -> bool:
    edit = window.editor.fields[name].edit
    colour = edit.grab().toImage().pixelColor(0, edit.height() // 2)
    return colour.red() > 150 and colour.green() < 110 and colour.blue() < 110


def test_a_field_in_error_is_framed_red_and_the_form_does_not_jump(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_customer(qtbot, window, window.model.item(0).id)
    qtbot.wait(50)
    before = _places(window)
    assert not _frame_is_red(window, "email")
    email = window.editor.fields["email"]
    set_text(qtbot, email.edit, "not-an-email")
    assert email.error.isVisible()
    qtbot.wait(50)  # any relayout happens now
    assert _places(window) == before
    assert _frame_is_red(window, "email")
    assert not _frame_is_red(window, "phone")
    set_text(qtbot, email.edit, "fine@example.com")
    assert not _frame_is_red(window, "email")


def test_a_duplicate_email_names_who_has_it_and_opens_them(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    page = run(qtbot, qloop, store.customers.search(CustomerQuery(has_account=False)))
    a, b = [c for c in page.items if c.email][:2]
    assert b.email is not None
    open_customer(qtbot, window, a.id)
    editor = window.editor
    field = editor.fields["email"]
    set_text(qtbot, field.edit, b.email)
    editor.save_button.click()
    qtbot.waitUntil(lambda: b.display_name in field.error.text(), timeout=WAIT_MS)
    assert "already used by" in field.error.text().lower()
    assert f'href="customer:{b.id}"' in field.error.text()
    field.error.linkActivated.emit(f"customer:{b.id}")  # as a click on "Open …"
    click_box_button(visible_box(qtbot, "questionBox"), QMessageBox.StandardButton.Discard)
    qtbot.waitUntil(
        lambda: editor.customer is not None and editor.customer.id == b.id, timeout=WAIT_MS
    )
