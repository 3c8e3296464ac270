"""The desk with keys only: the list is one tab stop, Down/Enter lead from the search into
the list, Enter opens the editor, Escape goes back; Home/End move by rows."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.services.context import StoreContext
from tests.ui.conftest import DEMO_CUSTOMERS, WAIT_MS, run
from ui.models.customer_table import Column
from ui.windows.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)


def settle(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.wait(300)  # past the search debounce
    qtbot.waitUntil(lambda: not win.model.loading, timeout=WAIT_MS)


def test_one_tab_from_search_to_list_and_tab_leaves_the_list(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.focus_search()
    press(Qt.Key.Key_Tab)
    assert focused() is window.table
    window.table.setCurrentIndex(window.model.index(0, Column.NAME))
    qtbot.waitUntil(lambda: window.editor.customer is not None, timeout=WAIT_MS)
    shown = window.editor.customer
    press(Qt.Key.Key_Tab)  # leaves the list for the first field: no walk through the cells
    assert focused() is window.editor.fields["email"].edit
    assert window.table.currentIndex().row() == 0
    qtbot.wait(100)
    assert window.editor.customer is shown


def test_down_from_search_enters_the_list_and_escape_goes_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.focus_search()
    press(Qt.Key.Key_Down)
    assert focused() is window.table
    assert window.table.currentIndex().row() == 0
    first = window.model.item(0).id
    qtbot.waitUntil(
        lambda: window.editor.customer is not None and window.editor.customer.id == first,
        timeout=WAIT_MS,
    )
    press(Qt.Key.Key_Down)
    assert window.table.currentIndex().row() == 1
    press(Qt.Key.Key_Escape)
    assert focused() is window.filter_bar.search


def test_find_open_edit_save_with_keys_only(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    target = window.model.item(7)
    assert target.email
    window.table.setFocus()
    press(Qt.Key.Key_F, CTRL)
    assert focused() is window.filter_bar.search
    QTest.keyClicks(focused(), target.email)
    press(Qt.Key.Key_Return)  # search now and go to the results
    settle(qtbot, window)
    assert focused() is window.table
    assert window.model.item(window.table.currentIndex().row()).id == target.id
    press(Qt.Key.Key_Return)  # open: the editor, typing into its first field
    qtbot.waitUntil(lambda: focused() is window.editor.fields["email"].edit, timeout=WAIT_MS)
    assert window.editor.customer is not None
    assert window.editor.customer.id == target.id
    press(Qt.Key.Key_Tab)  # first name
    assert focused() is window.editor.fields["first_name"].edit
    press(Qt.Key.Key_A, CTRL)
    QTest.keyClicks(focused(), "Keyboardine")
    press(Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: window.editor.save_state.text() == "Saved.", timeout=WAIT_MS)
    saved = run(qtbot, qloop, store.customers.get(target.id))
    assert saved.first_name == "Keyboardine"
    press(Qt.Key.Key_Escape)  # nothing to revert: back to the list, then to the search
    assert focused() is window.table
    press(Qt.Key.Key_Escape)
    assert focused() is window.filter_bar.search


def test_home_end_move_by_rows_and_keep_name_in_view(qtbot: QtBot, window: MainWindow) -> None:
    table = window.table
    table.setCurrentIndex(window.model.index(3, Column.NAME))
    table.setFocus()
    for key, modifier in (
        (Qt.Key.Key_End, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Home, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Home, CTRL),
    ):
        press(key, modifier)
        assert table.currentIndex().column() == Column.NAME
    assert table.currentIndex().row() == 0
    table.resize(300, table.height())  # narrower than the columns: a sideways scrollbar
    press(Qt.Key.Key_End, CTRL)
    qtbot.waitUntil(lambda: table.currentIndex().row() == DEMO_CUSTOMERS - 1, timeout=WAIT_MS)
    assert table.currentIndex().column() == Column.NAME
    assert table.horizontalScrollBar().value() == 0  # Name still in view


def test_ctrl_end_reaches_the_true_last_row(qtbot: QtBot, window: MainWindow) -> None:
    assert window.model.rowCount() < DEMO_CUSTOMERS  # one page of two loaded
    window.table.setCurrentIndex(window.model.index(0, Column.NAME))
    window.table.setFocus()
    said: list[str] = []
    window.model.rowsInserted.connect(lambda *_: said.append(window.count_label.text()))
    press(Qt.Key.Key_End, CTRL)
    qtbot.waitUntil(lambda: window.model.rowCount() == DEMO_CUSTOMERS, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: window.table.currentIndex().row() == DEMO_CUSTOMERS - 1, timeout=WAIT_MS
    )
    assert window.model.exhausted
    assert any(text.startswith("Loading to the last customer") for text in said)  # progress
    assert window.count_label.text() == f"{DEMO_CUSTOMERS} matches"


def test_escape_stops_loading_to_the_end(qtbot: QtBot, window: MainWindow) -> None:
    assert window.context is not None
    assert window.context.demo is not None
    window.context.demo.faults.latency = 0.5  # slow pages: time to change one's mind
    window.table.setCurrentIndex(window.model.index(0, Column.NAME))
    window.table.setFocus()
    press(Qt.Key.Key_End, CTRL)
    qtbot.waitUntil(lambda: window.model.loading, timeout=WAIT_MS)
    press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.model.loading, timeout=WAIT_MS)
    assert focused() is window.table  # the first Esc only stopped the loading
    assert window.table.currentIndex().row() == 0
    assert "Loading" not in window.count_label.text()
    window.context.demo.faults.latency = 0.0
