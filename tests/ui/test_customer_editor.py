"""The detail editor: save round-trip, field errors, failures, dirty guard, create, delete."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.customer import Customer
from app.domain.query import CustomerQuery
from app.services.context import StoreContext
from tests.ui.conftest import (
    WAIT_MS,
    click_box_button,
    find_box,
    open_customer,
    run,
    set_text,
    visible_box,
)
from ui.formatting import local_datetime
from ui.models.customer_table import Column
from ui.windows.main_window import MainWindow


def saved(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: not win.editor.tasks.busy and not win.editor.is_dirty(), timeout=WAIT_MS
    )


def fetch(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: StoreContext, customer_id: str
) -> Customer:
    customer = run(qtbot, qloop, store.customers.get(customer_id))
    assert isinstance(customer, Customer)
    return customer


def test_edit_and_save_round_trip(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    first = window.model.item(0)
    open_customer(qtbot, window, first.id)
    editor = window.editor
    assert editor.fields["email"].edit.text() == (first.email or "")
    assert not editor.save_button.isEnabled()
    set_text(qtbot, editor.fields["company"].edit, "Tea & Co")
    set_text(qtbot, editor.fields["phone"].edit, "+44 20 7946 0000")
    assert editor.is_dirty()
    assert editor.save_button.isEnabled()
    editor.add_meta_button.click()
    row = editor.metadata.rowCount() - 1
    editor.metadata.setData(editor.metadata.index(row, 0), "loyalty")
    editor.metadata.setData(editor.metadata.index(row, 1), "gold")
    QTest.keyClick(editor.fields["company"].edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved(qtbot, window)
    assert editor.save_state.text() == "Saved."
    remote = fetch(qtbot, qloop, store, first.id)
    assert remote.company == "Tea & Co"
    assert remote.phone == "+44 20 7946 0000"
    assert remote.metadata.get("loyalty") == "gold"
    # The list row follows the saved customer.
    row_index = window.model.row_of(first.id)
    assert row_index is not None
    assert window.model.item(row_index).company == "Tea & Co"


def test_as_you_type_validation_blocks_save(qtbot: QtBot, window: MainWindow) -> None:
    open_customer(qtbot, window, window.model.item(0).id)
    email = window.editor.fields["email"]
    set_text(qtbot, email.edit, "not-an-email")
    assert email.error.isVisible()
    assert "valid email" in email.error.text()
    assert not window.editor.save_button.isEnabled()
    set_text(qtbot, email.edit, "fine@example.com")
    assert not email.error.isVisible()
    assert window.editor.save_button.isEnabled()
    QTest.keyClick(email.edit, Qt.Key.Key_Escape)  # Esc reverts
    assert not window.editor.is_dirty()


def test_duplicate_email_shows_on_the_email_field(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    page = run(qtbot, qloop, store.customers.search(CustomerQuery(has_account=False)))
    a, b = [c for c in page.items if c.email][:2]
    assert b.email is not None
    open_customer(qtbot, window, a.id)
    editor = window.editor
    set_text(qtbot, editor.fields["email"].edit, b.email)
    editor.save_button.click()
    error = editor.fields["email"].error
    qtbot.waitUntil(error.isVisible, timeout=WAIT_MS)
    assert "already" in error.text().lower()
    assert editor.is_dirty()  # the edit is kept
    assert editor.fields["email"].edit.text() == b.email
    assert find_box("errorBox") is None  # inline, no dialog


def test_failed_save_keeps_the_edit_and_offers_retry(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    assert store.demo is not None
    first = window.model.item(0)
    open_customer(qtbot, window, first.id)
    editor = window.editor
    set_text(qtbot, editor.fields["company"].edit, "Kept Ltd")
    store.demo.faults.offline = True
    editor.save_button.click()
    box = visible_box(qtbot, "errorBox")
    assert editor.fields["company"].edit.text() == "Kept Ltd"
    assert editor.is_dirty()
    assert editor.save_button.isEnabled()
    assert window.connection_label.text() == "Offline"
    store.demo.faults.reset()
    click_box_button(box, "Retry")
    saved(qtbot, window)
    assert fetch(qtbot, qloop, store, first.id).company == "Kept Ltd"


def test_dirty_guard_when_switching_customers(qtbot: QtBot, window: MainWindow) -> None:
    first, second = window.model.item(0), window.model.item(1)
    open_customer(qtbot, window, first.id)
    set_text(qtbot, window.editor.fields["company"].edit, "Unsaved")
    window.table.selectRow(1)
    box = visible_box(qtbot, "questionBox")
    click_box_button(box, QMessageBox.StandardButton.Cancel)
    qtbot.waitUntil(lambda: not window.tasks.running("open"), timeout=WAIT_MS)
    assert window.editor.customer is not None
    assert window.editor.customer.id == first.id
    assert window.editor.fields["company"].edit.text() == "Unsaved"
    assert window.table.currentIndex().row() == 0
    window.table.selectRow(1)
    click_box_button(visible_box(qtbot, "questionBox"), QMessageBox.StandardButton.Discard)
    open_customer(qtbot, window, second.id)
    assert not window.editor.is_dirty()


def test_create_and_delete_customer(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    total = window.model.total
    window.new_action.trigger()
    editor = window.editor
    qtbot.waitUntil(lambda: editor.creating, timeout=WAIT_MS)
    set_text(qtbot, editor.fields["email"].edit, "new.person@example.com")
    set_text(qtbot, editor.fields["first_name"].edit, "New")
    set_text(qtbot, editor.fields["last_name"].edit, "Person")
    editor.save_button.click()
    qtbot.waitUntil(lambda: editor.customer is not None and not editor.creating, timeout=WAIT_MS)
    assert editor.customer is not None
    created_id = editor.customer.id
    assert window.model.item(0).id == created_id
    assert window.model.total == (total or 0) + 1
    editor.delete_button.click()
    box = visible_box(qtbot, "confirmBox")
    assert "New Person" in box.text()
    click_box_button(box, "Delete")
    qtbot.waitUntil(lambda: window.model.row_of(created_id) is None, timeout=WAIT_MS)
    assert window.editor.stack.currentWidget() is window.editor.placeholder
    found = run(qtbot, qloop, store.customers.search(CustomerQuery(email="new.person@example.com")))
    assert found.items == ()


def test_the_phone_field_keeps_the_number_and_shows_it_grouped(
    qtbot: QtBot, window: MainWindow
) -> None:
    row = next(r for r in range(window.model.rowCount()) if window.model.item(r).phone)
    customer = window.model.item(row)
    open_customer(qtbot, window, customer.id)
    phone = window.editor.fields["phone"].edit
    assert phone.text() == customer.phone  # edited as the store has it
    assert phone.toolTip() == window.model.data(window.model.index(row, Column.PHONE))
    assert phone.toolTip() != customer.phone


def test_the_header_never_wraps_inside_a_date(qtbot: QtBot, window: MainWindow) -> None:
    """At the default split "updated 2023-12-20 11:49 UTC" wrapped after the day; the
    line may wrap between its parts only."""
    customer = window.model.item(0)
    open_customer(qtbot, window, customer.id)
    text = window.editor.subtitle.text()
    for moment in (customer.created_at, customer.updated_at):
        shown = local_datetime(moment)
        assert shown not in text  # not with breakable spaces...
        assert shown.replace(" ", "\u00a0") in text  # ...but kept on one line
