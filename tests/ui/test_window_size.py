"""The desk fits a small laptop (1024×700) and half of a 1920 px screen (960 px)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QStyle, QStyleOptionComboBox, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WAIT_MS
from tests.ui.test_theme import restore_theme  # noqa: F401 (a fixture)
from ui.theme import Theme
from ui.windows.main_window import MainWindow


def inside(widget: QWidget, window: QWidget) -> bool:
    """Wholly within the window and not squeezed below its own minimum width."""
    top_left = widget.mapTo(window, widget.rect().topLeft())
    bottom_right = widget.mapTo(window, widget.rect().bottomRight())
    return (
        top_left.x() >= 0
        and bottom_right.x() < window.width()
        and bottom_right.y() < window.height()
        and widget.width() >= widget.minimumSizeHint().width()
    )


@pytest.mark.parametrize(("width", "height"), [(1024, 700), (960, 700)])
def test_the_desk_fits_a_small_window(
    qtbot: QtBot, window: MainWindow, width: int, height: int
) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width, timeout=WAIT_MS)
    assert window.height() == height
    bar, editor = window.filter_bar, window.editor
    window.open_customer(window.model.item(0).id)
    qtbot.waitUntil(lambda: editor.customer is not None, timeout=WAIT_MS)
    qtbot.wait(50)
    for widget in (
        bar.search,
        bar.account,
        bar.group,
        bar.clear_button,
        bar.created,
        bar.updated,
        window.table,
        editor.token_button,
        editor.delete_button,
        editor.save_button,
    ):
        assert widget.isVisible(), widget.objectName()
        assert inside(widget, window), widget.objectName()
    editor.tabs.setCurrentWidget(editor.addresses_tab)
    qtbot.wait(50)
    tab = editor.addresses_tab
    for button in (tab.add_button, tab.delete_button, tab.shipping_button, tab.billing_button):
        assert inside(button, window), button.text()


def test_default_size_shows_the_default_columns_without_scrolling_sideways(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.wait(50)
    bar = window.table.horizontalScrollBar()
    assert bar.maximum() == 0, f"{bar.maximum()} px of columns hidden to the right"


def test_group_filter_shows_whole_group_names(qtbot: QtBot, window: MainWindow) -> None:
    combo = window.filter_bar.group
    qtbot.waitUntil(lambda: combo.count() > 1, timeout=WAIT_MS)
    qtbot.wait(50)
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    metrics = combo.fontMetrics()
    for i in range(combo.count()):
        text = combo.itemText(i)
        assert metrics.horizontalAdvance(text) <= field.width(), f"{text!r} is cut"


@pytest.mark.usefixtures("restore_theme")
def test_no_sideways_scrollbar_with_the_theme_and_the_focus(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.set_theme(Theme.LIGHT)  # its style sheet frames the list
    window._split_for_columns()
    window.table.setFocus()
    qtbot.wait(50)
    assert window.table.horizontalScrollBar().maximum() == 0


def test_a_very_long_group_name_does_not_widen_the_desk(qtbot: QtBot, window: MainWindow) -> None:
    from app.domain.customer import CustomerGroup

    window.filter_bar.set_groups([CustomerGroup(id="g_long", name="Wholesale partners " * 6)])
    window.resize(960, 700)
    qtbot.waitUntil(lambda: window.width() == 960, timeout=WAIT_MS)
    assert inside(window.filter_bar.clear_button, window)
