"""The list's current row is always the customer in the editor (issue 12, point 1)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WAIT_MS, click_box_button, open_customer, set_text, visible_box
from ui.models.customer_table import CUSTOMER_ID_ROLE
from ui.windows.main_window import MainWindow


def click_row(qtbot: QtBot, win: MainWindow, row: int) -> None:
    rect = win.table.visualRect(win.model.index(row, 0))
    QTest.mouseClick(
        win.table.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        rect.center(),
    )


def current_id(win: MainWindow) -> object:
    index = win.table.currentIndex()
    return win.model.data(index, CUSTOMER_ID_ROLE) if index.isValid() else None


def test_cancel_on_a_filtered_list_keeps_row_and_editor_in_step(
    qtbot: QtBot, window: MainWindow
) -> None:
    a = window.model.item(0)
    b = next(c for c in window.model.items()[1:] if c.email and c.email != a.email)
    assert b.email is not None
    open_customer(qtbot, window, a.id)
    set_text(qtbot, window.editor.fields["phone"].edit, "+44 20 7946 0101")
    # A search that leaves A out of the list.
    window.filter_bar.search.setText(b.email)
    qtbot.waitUntil(
        lambda: (
            not window.model.loading
            and window.model.rowCount() >= 1
            and window.model.row_of(a.id) is None
        ),
        timeout=WAIT_MS,
    )
    row_b = window.model.row_of(b.id)
    assert row_b is not None
    click_row(qtbot, window, row_b)
    click_box_button(visible_box(qtbot, "questionBox"), QMessageBox.StandardButton.Cancel)
    qtbot.waitUntil(lambda: not window.tasks.running("open"), timeout=WAIT_MS)
    assert window.editor.customer is not None
    assert window.editor.customer.id == a.id
    # A is not in the list: no row may claim to be the open customer.
    assert current_id(window) is None
    assert not window.table.selectionModel().hasSelection()

    window.editor.revert_button.click()
    assert not window.editor.is_dirty()
    click_row(qtbot, window, row_b)
    qtbot.waitUntil(
        lambda: window.editor.customer is not None and window.editor.customer.id == b.id,
        timeout=WAIT_MS,
    )
    assert current_id(window) == b.id


def test_clicking_the_current_row_opens_it(qtbot: QtBot, window: MainWindow) -> None:
    a, b = window.model.item(0), window.model.item(1)
    open_customer(qtbot, window, a.id)
    # The current row is B while the editor shows A (however it came about).
    selection = window.table.selectionModel()
    selection.blockSignals(True)
    window.table.setCurrentIndex(window.model.index(1, 0))
    selection.blockSignals(False)
    click_row(qtbot, window, 1)
    qtbot.waitUntil(
        lambda: window.editor.customer is not None and window.editor.customer.id == b.id,
        timeout=WAIT_MS,
    )
