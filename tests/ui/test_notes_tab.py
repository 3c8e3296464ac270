"""The Notes tab: newest first with author and age, Ctrl+Enter adds, edit, delete after
confirmation, empty text refused beside the box, queued offline and marked so, and the
notes' metadata key kept out of the metadata table."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.backends.protocols import SupportsCustomerWrite
from app.domain.note import NOTES_METADATA_KEY
from app.domain.patch import CustomerPatch, MetadataPatch
from app.services.context import StoreContext
from tests.ui.conftest import WAIT_MS, click_box_button, open_customer, run, visible_box
from ui.widgets.notes_tab import QUEUED_STATE, QUEUED_WORDS, SENT_STATE, NotesTab
from ui.windows.main_window import MainWindow


def _texts(tab: NotesTab) -> list[str]:
    return [tab.list.item(i).text() for i in range(tab.list.count())]


def _open_notes(qtbot: QtBot, window: MainWindow, customer_id: str) -> NotesTab:
    open_customer(qtbot, window, customer_id)
    tab = window.editor.notes_tab
    window.editor.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: not tab.tasks.busy, timeout=WAIT_MS)
    return tab


def _type(qtbot: QtBot, tab: NotesTab, text: str) -> None:
    tab.box.setFocus()
    tab.box.clear()
    QTest.keyClicks(tab.box, text)


def test_write_edit_and_delete_notes(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    customer = window.model.item(1)
    tab = _open_notes(qtbot, window, customer.id)
    editor = window.editor
    assert editor.tabs.isTabVisible(editor.tabs.indexOf(tab))
    assert tab.where.text() == "Notes are saved in the store."
    assert tab.empty.isVisible()

    _type(qtbot, tab, "Called about #3057.")
    QTest.keyClick(tab.box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # new line
    QTest.keyClicks(tab.box, "Promised a refund.")
    QTest.keyClick(tab.box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tab.list.count() == 1 and not tab.tasks.busy, timeout=WAIT_MS)
    _type(qtbot, tab, "Prefers email.")
    tab.save_button.click()
    qtbot.waitUntil(lambda: tab.list.count() == 2 and not tab.tasks.busy, timeout=WAIT_MS)
    texts = _texts(tab)
    assert texts[0].startswith("demo staff · just now")  # newest first, author and age
    assert texts[0].endswith("Prefers email.")
    assert texts[1].endswith("Called about #3057.\nPromised a refund.")
    assert tab.box.toPlainText() == ""
    assert tab.state.text() == "Saved."
    stored = run(qtbot, qloop, store.notes.notes(customer.id))
    assert [n.body for n in stored] == ["Prefers email.", "Called about #3057.\nPromised a refund."]

    # Edit the older one: the box takes its text; Save note writes it.
    tab.list.setCurrentRow(1)
    tab.edit_button.click()
    qtbot.waitUntil(lambda: tab.box.toPlainText().startswith("Called"), timeout=WAIT_MS)
    assert tab.save_button.text() == "&Save note"
    _type(qtbot, tab, "Refund sent.")
    QTest.keyClick(tab.box, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Refund sent." in " ".join(_texts(tab)), timeout=WAIT_MS)
    assert "edited" in _texts(tab)[1]

    # Delete asks first; Cancel keeps it.
    tab.list.setCurrentRow(0)
    tab.delete_button.click()
    click_box_button(visible_box(qtbot, "confirmBox"), "Cancel")
    qtbot.waitUntil(lambda: not tab.tasks.busy, timeout=WAIT_MS)
    assert tab.list.count() == 2
    tab.delete_button.click()
    click_box_button(visible_box(qtbot, "confirmBox"), "Delete note")
    qtbot.waitUntil(lambda: tab.list.count() == 1, timeout=WAIT_MS)
    assert _texts(tab)[0].endswith("Refund sent.")

    # The key holding them never shows as metadata.
    customer_now = run(qtbot, qloop, store.customers.get(customer.id))
    assert NOTES_METADATA_KEY in customer_now.metadata
    assert NOTES_METADATA_KEY not in editor.metadata.current()


def test_an_empty_note_is_refused_beside_the_box_and_the_text_is_kept(
    qtbot: QtBot, window: MainWindow
) -> None:
    tab = _open_notes(qtbot, window, window.model.item(2).id)
    tab.box.setPlainText("x" * 5001)
    tab.save_button.click()
    qtbot.waitUntil(lambda: tab.error.isVisible(), timeout=WAIT_MS)
    assert "at most 5000" in tab.error.text()
    assert len(tab.box.toPlainText()) == 5001  # nothing lost
    assert tab.list.count() == 0


def test_a_note_written_offline_is_marked_queued_until_sent(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    assert store.demo is not None
    assert store.mirror is not None
    run(qtbot, qloop, store.mirror.sync())
    customer = window.model.item(0)
    tab = _open_notes(qtbot, window, customer.id)
    store.demo.faults.offline = True
    window.refresh()
    qtbot.waitUntil(lambda: window.offline_banner.isVisible(), timeout=WAIT_MS)
    _type(qtbot, tab, "Written in the outage.")
    QTest.keyClick(tab.box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tab.state.text().startswith("Queued offline"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not tab.tasks.busy, timeout=WAIT_MS)
    assert tab.list.count() == 1
    assert QUEUED_WORDS in _texts(tab)[0]

    store.demo.faults.offline = False
    mirror = store.mirror
    run(qtbot, qloop, mirror.check())
    qtbot.waitUntil(lambda: mirror.online, timeout=WAIT_MS)
    run(qtbot, qloop, mirror.replay())
    tab.reload()
    qtbot.waitUntil(lambda: QUEUED_WORDS not in " ".join(_texts(tab)), timeout=WAIT_MS)
    assert tab.state.text() == SENT_STATE  # no longer "Queued offline…" below the box
    assert _texts(tab)[0].endswith("Written in the outage.")


def test_enter_edits_and_delete_deletes_the_chosen_note_from_the_keyboard(
    qtbot: QtBot, window: MainWindow
) -> None:
    """As in the address list: a clerk on the phone never reaches for the mouse."""
    tab = _open_notes(qtbot, window, window.model.item(3).id)
    _type(qtbot, tab, "Wants a call back.")
    QTest.keyClick(tab.box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tab.list.count() == 1 and not tab.tasks.busy, timeout=WAIT_MS)

    tab.list.setFocus()
    tab.list.setCurrentRow(0)
    QTest.keyClick(tab.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.box.toPlainText() == "Wants a call back.", timeout=WAIT_MS)
    assert tab.box.hasFocus()
    assert tab.save_button.text() == "&Save note"
    tab.cancel_edit()

    QTest.keyClick(tab.list, Qt.Key.Key_Delete)
    click_box_button(visible_box(qtbot, "confirmBox"), "Delete note")
    qtbot.waitUntil(lambda: tab.list.count() == 0 and not tab.tasks.busy, timeout=WAIT_MS)


def test_the_queued_line_wraps_rather_than_widen_the_editor(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show()
    qtbot.waitExposed(window)
    tab = _open_notes(qtbot, window, window.model.item(4).id)
    tab.state.setText("Saved.")
    qtbot.wait(50)
    before = window.splitter.sizes()
    tab.state.setText(QUEUED_STATE)
    qtbot.wait(50)
    assert window.splitter.sizes() == before  # the list kept its width


def test_notes_that_cannot_be_read_never_read_as_none(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    # Another customer's notes in a form this desk does not read (a newer version wrote
    # them): the read fails with a message, and the tab must not say "No notes yet".
    first, other = window.model.item(0), window.model.item(2)
    tab = _open_notes(qtbot, window, first.id)
    assert tab.empty.isVisible()  # read, and there are none
    newer = MetadataPatch(set={NOTES_METADATA_KEY: '{"v": 99, "notes": []}'})
    assert isinstance(store.backend, SupportsCustomerWrite)
    run(qtbot, qloop, store.backend.update_customer(other.id, CustomerPatch(metadata=newer)))
    tab.show_customer(other.id)
    assert not tab.empty.isVisible()  # loading: not known yet
    box = visible_box(qtbot)
    assert "does not read" in box.text()
    box.close()
    qtbot.waitUntil(lambda: not tab.tasks.busy, timeout=WAIT_MS)
    assert tab.list.count() == 0
    assert not tab.empty.isVisible()
