"""The Timeline tab: newest first across kinds, chips filter by kind (keyboard too),
Enter or double-click on an order's row opens the order, offline from the mirror."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.domain.patch import CustomerPatch
from app.domain.query import CustomerQuery
from app.domain.timeline import EventKind, TimelineEvent
from app.services.context import StoreContext
from app.services.figures_text import money
from tests.ui.conftest import WAIT_MS, open_customer, run, set_text
from ui.dialogs.order_dialog import OrderDialog
from ui.formatting import desk_locale, local_datetime
from ui.models.timeline_model import EVENT_ROLE, TimelineColumn, TimelineModel
from ui.widgets.timeline_tab import TimelineTab
from ui.windows.main_window import MainWindow


def _customer_with_orders(
    qtbot: QtBot, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> str:
    page = run(qtbot, qloop, store.customers.search(CustomerQuery()))
    for customer in page.items:
        if run(qtbot, qloop, store.customers.orders(customer.id)).items:
            return customer.id
    raise AssertionError("the demo store has too few customers with orders")


def _kinds(tab: TimelineTab) -> list[EventKind]:
    return [
        tab.model.data(tab.model.index(r, 0), EVENT_ROLE).kind for r in range(tab.model.rowCount())
    ]


def _dialog(tab: TimelineTab) -> OrderDialog | None:
    return tab.dialog  # read afresh: the tab sets it from a task


def _loaded(qtbot: QtBot, tab: TimelineTab) -> None:
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0 and not tab.tasks.busy, timeout=WAIT_MS)


def test_filter_and_opening_an_order(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    customer_id = _customer_with_orders(qtbot, store, qloop)
    run(qtbot, qloop, store.customers.update(customer_id, CustomerPatch(company="Tab & Co")))
    open_customer(qtbot, window, customer_id)
    tab = window.editor.timeline_tab
    assert tab.model.rowCount() == 0  # nothing asked until the tab is shown
    window.editor.tabs.setCurrentWidget(tab)
    _loaded(qtbot, tab)
    kinds = _kinds(tab)
    assert kinds[0] is EventKind.CHANGE
    assert kinds[-1] is EventKind.CREATED
    assert EventKind.ORDER in kinds
    events = [tab.model.data(tab.model.index(r, 0), EVENT_ROLE) for r in range(len(kinds))]
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)
    when = tab.model.data(tab.model.index(0, TimelineColumn.WHEN))
    assert when == local_datetime(events[0].at, labelled=False)
    assert "(just now)" in tab.model.data(tab.model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    # What happened gets the room: not squeezed to "Order #1…" by the other columns.
    head = tab.view.horizontalHeader()
    assert head.sectionSize(TimelineColumn.EVENT) >= 0.4 * tab.view.viewport().width()
    assert tab.model.data(tab.model.index(0, TimelineColumn.BY)) == "demo staff"
    # Money reads as in the editor's header and the list (`£173.42`), not `173.42 GBP`.
    order = next(e for e in events if e.kind is EventKind.ORDER)
    placed = run(qtbot, qloop, store.customers.orders(customer_id)).items
    total = next(o.total for o in placed if o.id == order.ref)
    assert f" · {money(total, desk_locale())} · " in order.title
    assert str(total) not in order.title
    assert "company:" in tab.detail.text()
    assert "→ Tab & Co" in tab.detail.text()

    # Keyboard: the chips take focus and Space toggles them.
    for label, chip in tab.chips.items():
        if label != "Orders":
            chip.setFocus()
            QTest.keyClick(chip, Qt.Key.Key_Space)
            assert not chip.isChecked()
    assert set(_kinds(tab)) == {EventKind.ORDER}
    assert "hidden by the filter" in tab.summary.text()

    # Enter on the first order's row opens that order.
    tab.view.setFocus()
    tab.view.setCurrentIndex(tab.model.index(0, TimelineColumn.EVENT))
    order_id = tab.model.data(tab.model.index(0, 0), EVENT_ROLE).ref
    QTest.keyClick(tab.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=WAIT_MS)
    assert isinstance(tab.dialog, OrderDialog)
    assert tab.dialog.order.id == order_id
    tab.dialog.reject()

    # A double-click does too; a row that is no order opens nothing.
    tab.dialog = None
    tab.chips["Account"].setChecked(True)
    created = next(r for r, k in enumerate(_kinds(tab)) if k is EventKind.CREATED)
    tab.open_row(tab.model.index(created, TimelineColumn.EVENT))
    qtbot.wait(100)
    assert tab.dialog is None
    order_row = next(r for r, k in enumerate(_kinds(tab)) if k is EventKind.ORDER)
    index = tab.model.index(order_row, TimelineColumn.EVENT)
    tab.view.scrollTo(index)
    centre = tab.view.visualRect(index).center()
    QTest.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    QTest.mouseDClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=WAIT_MS)
    opened = _dialog(tab)
    assert isinstance(opened, OrderDialog)
    assert opened.order.id == tab.model.data(index, EVENT_ROLE).ref
    opened.reject()


def test_offline_the_tab_renders_from_the_mirror(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    customer_id = _customer_with_orders(qtbot, store, qloop)  # kept in the mirror
    assert store.mirror is not None
    assert store.demo is not None
    run(qtbot, qloop, store.mirror.sync())
    store.demo.faults.offline = True
    window.refresh()
    qtbot.waitUntil(lambda: store.mirror is not None and not store.mirror.online, timeout=WAIT_MS)
    open_customer(qtbot, window, customer_id)
    tab = window.editor.timeline_tab
    window.editor.tabs.setCurrentWidget(tab)
    _loaded(qtbot, tab)
    assert EventKind.ORDER in _kinds(tab)
    assert "store is unreachable" in tab.summary.text()
    store.demo.faults.offline = False


def test_timeline_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    model = TimelineModel()
    model.now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    at = model.now - timedelta(days=3)
    model.set_events(
        [
            TimelineEvent(kind=EventKind.NOTE, at=at, title="Note: hi", actor="ann"),
            TimelineEvent(kind=EventKind.ORDER, at=at, title="Order #1", ref="order_1"),
        ]
    )
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]  # pytest-qt is not typed
    assert model.data(model.index(0, TimelineColumn.WHEN)) == local_datetime(at, labelled=False)
    assert "(3 days ago)" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert "opens the order" in model.data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole)
    assert QApplication.instance() is not None


def test_a_save_from_the_editor_shows_when_the_tab_is_shown_again(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    customer_id = _customer_with_orders(qtbot, store, qloop)
    open_customer(qtbot, window, customer_id)
    editor = window.editor
    tab = editor.timeline_tab
    editor.tabs.setCurrentWidget(tab)
    _loaded(qtbot, tab)
    assert EventKind.CHANGE not in _kinds(tab)
    editor.tabs.setCurrentIndex(0)
    set_text(qtbot, editor.fields["company"].edit, "Saved In Editor")
    editor.save_button.click()
    qtbot.waitUntil(lambda: editor.save_state.text() == "Saved.", timeout=WAIT_MS)
    editor.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: EventKind.CHANGE in _kinds(tab) and not tab.tasks.busy, timeout=WAIT_MS)
    assert _kinds(tab)[0] is EventKind.CHANGE
    assert "→ Saved In Editor" in tab.detail.text()


def test_alt_t_puts_the_cursor_in_the_events(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    """From the editor, Alt+T then Down walks the events (not the filter chips)."""
    window.show()
    qtbot.waitExposed(window)
    open_customer(qtbot, window, _customer_with_orders(qtbot, store, qloop))
    editor = window.editor
    editor.fields["email"].setFocus()
    qtbot.waitUntil(lambda: editor.fields["email"].hasFocus(), timeout=WAIT_MS)
    QTest.keyClick(editor.fields["email"], Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    tab = editor.timeline_tab
    qtbot.waitUntil(lambda: editor.tabs.currentWidget() is tab, timeout=WAIT_MS)
    assert tab.view.hasFocus()
