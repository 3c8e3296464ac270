"""The header's sort arrow shows the order actually applied (issue 12, point 8)."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.query import SortField
from app.services.context import Services, StoreContext
from tests.ui.conftest import DEMO_CUSTOMERS, WAIT_MS, run
from ui.models.customer_table import Column
from ui.store import open_store
from ui.windows.main_window import MainWindow


def _saved_phone_sort(qtbot: QtBot, window: MainWindow) -> None:
    window.table.horizontalHeader().setSortIndicator(Column.PHONE, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: window.model.query.sort.field is SortField.PHONE, timeout=WAIT_MS)
    window.save_layout()


def _desk(qtbot: QtBot, services: Services) -> MainWindow:
    desk = MainWindow(services, demo_customers=DEMO_CUSTOMERS)
    qtbot.addWidget(desk)
    return desk


def _leave(desk: MainWindow) -> None:
    for owner in desk.owners():
        owner.cancel_all()
    desk.context = None


def test_a_saved_phone_sort_raises_no_false_alarm_at_start(
    qtbot: QtBot, window: MainWindow, services: Services, store: StoreContext
) -> None:
    _saved_phone_sort(qtbot, window)
    desk = _desk(qtbot, services)
    assert "cannot sort" not in desk.statusBar().currentMessage()
    desk.use_store(store)  # Medusa sorts by phone: the saved sort stays
    qtbot.waitUntil(lambda: not desk.model.loading, timeout=WAIT_MS)
    assert desk.table.horizontalHeader().sortIndicatorSection() == Column.PHONE
    assert desk.model.query.sort.field is SortField.PHONE
    assert "cannot sort" not in desk.statusBar().currentMessage()
    _leave(desk)


def test_on_chec_the_arrow_shows_the_order_the_rows_come_in(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    qloop: asyncio.AbstractEventLoop,
) -> None:
    _saved_phone_sort(qtbot, window)
    chec = run(
        qtbot,
        qloop,
        open_store(services, "demo-chec", demo_customers=DEMO_CUSTOMERS),
        timeout=60_000,
    )
    desk = _desk(qtbot, services)
    try:
        desk.use_store(chec)
        qtbot.waitUntil(
            lambda: desk.model.rowCount() > 0 and not desk.model.loading, timeout=WAIT_MS
        )
        header = desk.table.horizontalHeader()
        # Chec sorts customers by nothing a source documents: its rows come in its own
        # order, and no column claims an arrow.
        assert SortField.PHONE not in chec.customers.sort_fields
        assert header.sortIndicatorSection() == -1
        assert desk.model.query.sort.field not in chec.customers.sort_fields
    finally:
        _leave(desk)
        run(qtbot, qloop, chec.aclose())
