"""The Orders tab: readable columns, and honest about what it cannot know offline
(issue 12, points 2 and 3)."""

from __future__ import annotations

import asyncio

from pytestqt.qtbot import QtBot

from app.backends.protocols import SupportsOrderHistory
from app.domain.query import CustomerQuery
from app.services.context import StoreContext
from tests.ui.conftest import WAIT_MS, open_customer, run
from ui.models.order_table import OrderColumn
from ui.widgets.orders_tab import OrdersTab
from ui.windows.main_window import MainWindow


def _with_orders(
    qtbot: QtBot,
    store: StoreContext,
    qloop: asyncio.AbstractEventLoop,
    how_many: int,
    *,
    through_desk: bool = True,
) -> list[str]:
    """Ids of customers (in the list's first page) who have orders. Through the desk,
    their orders land in the mirror; asked of the backend, the mirror never sees them."""
    page = run(qtbot, qloop, store.customers.search(CustomerQuery()))
    found: list[str] = []
    for customer in page.items:
        if through_desk:
            orders = run(qtbot, qloop, store.customers.orders(customer.id))
        else:
            assert isinstance(store.backend, SupportsOrderHistory)
            orders = run(qtbot, qloop, store.backend.list_orders(customer.id, None, 20))
        if orders.items:
            found.append(customer.id)
        if len(found) == how_many:
            return found
    raise AssertionError("the demo store has too few customers with orders")


def _fully_readable(window: MainWindow) -> list[str]:
    """The cells whose text does not fit their column."""
    return _cut_cells(window.editor.orders_tab)


def _cut_cells(tab: OrdersTab) -> list[str]:
    view = tab.view
    metrics = view.fontMetrics()
    cut: list[str] = []
    for column in (OrderColumn.NUMBER, OrderColumn.DATE, OrderColumn.STATUS, OrderColumn.TOTAL):
        width = view.columnWidth(column)
        if column is OrderColumn.TOTAL:  # the last column: as far as the viewport shows it
            left = sum(view.columnWidth(c) for c in OrderColumn if c is not column)
            width = min(width, view.viewport().width() - left)
        for row in range(tab.model.rowCount()):
            text = str(tab.model.data(tab.model.index(row, column)))
            if metrics.horizontalAdvance(text) + 6 > width:  # the delegate's text margins
                cut.append(f"{column.name}: {text!r} in {width}px")
    return cut


def test_order_columns_stay_readable_when_switching_customers(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    first, second = _with_orders(qtbot, store, qloop, 2)
    tab = window.editor.orders_tab
    open_customer(qtbot, window, first)
    window.editor.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0 and not tab.model.loading, timeout=WAIT_MS)
    open_customer(qtbot, window, second)  # with the Orders tab open
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0 and not tab.model.loading, timeout=WAIT_MS)
    qtbot.wait(50)  # let the view lay out
    assert _fully_readable(window) == []


def _offline(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    assert store.demo is not None
    assert store.mirror is not None
    run(qtbot, qloop, store.mirror.sync())  # a full local copy: offline mode is possible
    store.demo.faults.offline = True
    window.refresh()
    qtbot.waitUntil(lambda: store.mirror is not None and not store.mirror.online, timeout=WAIT_MS)


def test_offline_orders_never_opened_come_from_the_order_mirror(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    # Asked of the store itself, past the desk: a customer never opened on this computer.
    # The demo store lists every order, so the sync mirrored them all: the tab shows them
    # offline, marked as the local copy. (A store that lists no orders store-wide keeps
    # "unknown": tests/unit/app/mirror/test_service_news.py.)
    (customer,) = _with_orders(qtbot, store, qloop, 1, through_desk=False)
    _offline(qtbot, window, store, qloop)
    tab = window.editor.orders_tab
    open_customer(qtbot, window, customer)
    window.editor.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0 and not tab.model.loading, timeout=WAIT_MS)
    assert "local copy" in tab.summary.text()
    assert store.demo is not None
    store.demo.faults.offline = False


def test_offline_orders_from_the_mirror_are_marked(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    (customer,) = _with_orders(qtbot, store, qloop, 1)  # kept in the mirror by the probe
    _offline(qtbot, window, store, qloop)
    tab = window.editor.orders_tab
    open_customer(qtbot, window, customer)
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0 and not tab.model.loading, timeout=WAIT_MS)
    assert "local copy" in tab.summary.text()
    assert store.demo is not None
    store.demo.faults.offline = False


def test_in_a_narrow_pane_number_date_status_and_total_stay_readable(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    (customer,) = _with_orders(qtbot, store, qloop, 1)
    tab = OrdersTab(store.customers)  # on its own: narrower than the editor allows today
    qtbot.addWidget(tab)
    tab.resize(450, 300)
    tab.show()
    qtbot.waitExposed(tab)
    tab.show_customer(customer)
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0 and not tab.model.loading, timeout=WAIT_MS)
    qtbot.wait(50)
    assert _cut_cells(tab) == []
    view = tab.view
    right = sum(view.columnWidth(c) for c in OrderColumn)
    assert right <= view.viewport().width() + 1  # Total is on screen, not scrolled away
