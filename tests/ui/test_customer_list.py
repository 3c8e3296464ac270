"""The customer list: search as you type, filters, server-side sort, paging, the model."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.domain.query import CustomerQuery, Sort, SortField
from app.services.context import StoreContext
from tests.ui.conftest import DEMO_CUSTOMERS, WAIT_MS, run
from ui.models.customer_table import CUSTOMER_ID_ROLE, TITLES, Column, CustomerTableModel
from ui.models.metadata_table import MetadataTableModel
from ui.models.order_table import OrderTableModel
from ui.windows.main_window import MainWindow


def check_model(tester: ModelTester, model: QAbstractItemModel) -> None:
    tester.check(model)  # type: ignore[no-untyped-call]  # pytest-qt is not typed


def ids(win: MainWindow) -> list[str]:
    return [c.id for c in win.model.items()]


def settle(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.wait(300)  # past the search debounce
    qtbot.waitUntil(lambda: not win.model.loading, timeout=WAIT_MS)


def test_first_page_and_count(qtbot: QtBot, window: MainWindow) -> None:
    assert window.model.total == DEMO_CUSTOMERS
    assert window.model.rowCount() == min(DEMO_CUSTOMERS, 100)
    assert str(DEMO_CUSTOMERS) in window.count_label.text()
    assert window.windowTitle() == "Demo store (Medusa) — Merchant Desk"
    assert window.demo_badge.isVisible()
    assert window.connection_label.text() == "Online"


def test_scrolling_fetches_the_next_page(qtbot: QtBot, window: MainWindow) -> None:
    assert window.model.canFetchMore()
    window.table.scrollToBottom()
    window.model.fetchMore()
    qtbot.waitUntil(lambda: window.model.rowCount() == DEMO_CUSTOMERS, timeout=WAIT_MS)
    assert not window.model.canFetchMore()
    assert len(set(ids(window))) == DEMO_CUSTOMERS


def test_search_as_you_type_filters_rows(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    target = window.model.item(5)
    assert target.email
    term = target.email.split("@")[0]
    QTest.keyClicks(window.filter_bar.search, term)
    settle(qtbot, window)
    assert target.id in ids(window)
    assert window.model.total is not None
    assert window.model.total < DEMO_CUSTOMERS
    expected = run(qtbot, qloop, store.customers.search(CustomerQuery(text=term)))
    assert ids(window) == [c.id for c in expected.items]
    window.filter_bar.search.clear()
    settle(qtbot, window)
    assert window.model.total == DEMO_CUSTOMERS


def test_typing_burst_costs_one_search(qtbot: QtBot, window: MainWindow) -> None:
    queries: list[CustomerQuery] = []
    window.filter_bar.queryChanged.connect(queries.append)
    QTest.keyClicks(window.filter_bar.search, "abcdef")
    qtbot.wait(400)
    assert [q.text for q in queries] == ["abcdef"]


def test_account_filter(qtbot: QtBot, window: MainWindow) -> None:
    combo = window.filter_bar.account
    combo.setCurrentIndex(combo.findData(False))
    settle(qtbot, window)
    guests = window.model.items()
    assert guests
    assert all(not c.has_account for c in guests)
    combo.setCurrentIndex(combo.findData(True))
    settle(qtbot, window)
    members = window.model.items()
    assert members
    assert all(c.has_account for c in members)
    assert (window.model.total or 0) + len(guests) <= DEMO_CUSTOMERS


def test_group_filter_filled_from_groups(qtbot: QtBot, window: MainWindow) -> None:
    combo = window.filter_bar.group
    qtbot.waitUntil(lambda: combo.count() > 1, timeout=WAIT_MS)
    group_id = combo.itemData(1)
    combo.setCurrentIndex(1)
    settle(qtbot, window)
    assert all(group_id in {g.id for g in c.groups} for c in window.model.items())


def test_created_date_range(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import QDate

    # A range in the far past matches nobody; a wide one matches everybody.
    window.filter_bar.created.set_range(QDate(1990, 1, 1), QDate(1990, 12, 31))
    settle(qtbot, window)
    assert window.model.rowCount() == 0
    assert "No customer" in window.count_label.text()
    window.filter_bar.created.set_range(QDate(1990, 1, 1), QDate(2200, 1, 1))
    settle(qtbot, window)
    assert window.model.total == DEMO_CUSTOMERS


def test_header_click_sorts_on_the_server(qtbot: QtBot, window: MainWindow) -> None:
    header = window.table.horizontalHeader()
    header.setSortIndicator(Column.EMAIL, Qt.SortOrder.DescendingOrder)
    settle(qtbot, window)
    assert window.model.query.sort == Sort(field=SortField.EMAIL, descending=True)
    emails = [c.email for c in window.model.items() if c.email]  # where NULLs go is the store's
    assert emails == sorted(emails, reverse=True)
    header.setSortIndicator(Column.EMAIL, Qt.SortOrder.AscendingOrder)
    settle(qtbot, window)
    emails = [c.email for c in window.model.items() if c.email]
    assert emails == sorted(emails)
    # The sort survives a new search.
    QTest.keyClicks(window.filter_bar.search, "a")
    settle(qtbot, window)
    assert window.model.query.sort.field is SortField.EMAIL


def test_customer_id_role(window: MainWindow) -> None:
    index = window.model.index(0, Column.EMAIL)
    assert window.model.data(index, CUSTOMER_ID_ROLE) == window.model.item(0).id


def test_reset_query_cancels_the_running_fetch(
    qtbot: QtBot, window: MainWindow, store: StoreContext
) -> None:
    assert store.demo is not None
    store.demo.faults.latency = 0.3
    try:
        window.model.reset_query(CustomerQuery(text="zzzz-nobody"))
        window.model.reset_query(CustomerQuery())
        qtbot.waitUntil(lambda: not window.model.loading, timeout=WAIT_MS)
    finally:
        store.demo.faults.reset()
    assert window.model.total == DEMO_CUSTOMERS


def test_models_pass_qtmodeltester(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    store: StoreContext,
    qloop: asyncio.AbstractEventLoop,
) -> None:
    customers = CustomerTableModel(store.customers)
    customers.reset_query(CustomerQuery(page_size=30))
    qtbot.waitUntil(lambda: customers.rowCount() > 0 and not customers.loading)
    check_model(qtmodeltester, customers)
    first = customers.item(0)

    orders = OrderTableModel(store.customers)
    orders.show_customer(first.id)
    qtbot.waitUntil(lambda: not orders.loading)
    check_model(qtmodeltester, orders)

    metadata = MetadataTableModel()
    metadata.load({"tier": "gold", "visits": 3})
    check_model(qtmodeltester, metadata)
    metadata.add_row("new", "value")
    check_model(qtmodeltester, metadata)
    customers.tasks.close()
    orders.tasks.close()


def test_metadata_patch() -> None:
    model = MetadataTableModel()
    model.load({"tier": "gold", "visits": 3, "gone": "x"})
    assert not model.is_dirty()
    model.setData(model.index(0, 1), "silver")  # sorted keys: gone, tier, visits
    model.setData(model.index(1, 1), "platinum")
    model.setData(model.index(2, 1), "4")
    model.remove_rows([0])
    model.add_row("new", "v")
    patch = model.patch()
    assert patch.set == {"tier": "platinum", "visits": 4, "new": "v"}
    assert patch.remove == frozenset({"gone"})


def test_column_chooser_hides_and_shows_columns(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QMenu

    menu = QMenu(window)
    window._fill_column_menu(menu)
    actions = {a.text(): a for a in menu.actions()}
    assert set(actions) == set(TITLES)
    assert actions["Phone"].isChecked()  # shown by default: staff search by phone
    assert not actions["Created"].isChecked()  # hidden by default
    actions["Created"].setChecked(True)
    assert not window.table.isColumnHidden(Column.CREATED)
    actions["Company"].setChecked(False)
    assert window.table.isColumnHidden(Column.COMPANY)


def test_a_failed_page_is_shown_and_f5_retries(
    qtbot: QtBot, window: MainWindow, store: StoreContext
) -> None:
    assert store.demo is not None
    store.demo.faults.offline = True
    try:
        window.refresh_action.trigger()
        qtbot.waitUntil(lambda: window.model.failed is not None, timeout=WAIT_MS)
    finally:
        store.demo.faults.reset()
    assert "Could not load customers" in window.count_label.text()
    assert window.connection_label.text() == "Offline"
    assert window.statusBar().currentMessage()  # background failure: status bar, no dialog
    assert window.refresh_action.shortcut().toString() == "F5"
    window.refresh_action.trigger()
    qtbot.waitUntil(lambda: window.model.total == DEMO_CUSTOMERS, timeout=WAIT_MS)
    assert window.connection_label.text() == "Online"


def test_mirror_rows_come_first_then_the_count_which_survives_scrolling(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    assert store.mirror is not None
    run(qtbot, qloop, store.mirror.sync())  # a complete mirror: lists now come from it
    seen_totals: list[int] = []
    window.model.totalChanged.connect(seen_totals.append)
    window.model.reset_query(CustomerQuery(page_size=50))
    qtbot.waitUntil(lambda: window.model.total == DEMO_CUSTOMERS, timeout=WAIT_MS)
    assert seen_totals[0] == -1  # unknown while the first page shows, then counted
    assert str(DEMO_CUSTOMERS) in window.count_label.text()
    # Counted, every match is a row; scrolling reads the rows shown, the count stays.
    assert window.model.random_access
    assert window.model.rowCount() == DEMO_CUSTOMERS
    window.table.scrollToBottom()
    qtbot.waitUntil(lambda: window.model.loaded(DEMO_CUSTOMERS - 1) is not None, timeout=WAIT_MS)
    assert window.model.total == DEMO_CUSTOMERS


def test_phone_numbers_are_grouped_for_reading(window: MainWindow, store: StoreContext) -> None:
    """Display only: the list groups the number as libphonenumber does, the customer
    keeps the store's text."""
    row = next(r for r in range(window.model.rowCount()) if window.model.item(r).phone)
    customer = window.model.item(row)
    shown = window.model.data(window.model.index(row, Column.PHONE))
    assert customer.phone is not None
    assert " " in shown
    assert " " not in customer.phone  # the demo store keeps E.164
    assert shown == store.customers.format_phone(customer.phone)
    assert shown.replace(" ", "").replace("-", "") == customer.phone
