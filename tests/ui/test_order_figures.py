"""Customer 360 in the desk: the editor's figures line, the optional Orders / Spent /
Last order columns (sortable only while the mirror answers), and the order filters,
which survive a saved filter and are disabled with a reason while orders are not mirrored."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from app.domain.figures import CurrencyFigures, CustomerFigures, OrderStats
from app.domain.money import Money
from app.domain.query import CustomerQuery, DateRange, OrderFilter, Sort, SortField
from app.services.context import StoreContext
from app.services.figures_availability import NOT_YET
from app.services.saved_filters import SavedFilters
from tests.ui.conftest import WAIT_MS, open_customer, run
from ui.models.customer_table import FIGURE_COLUMNS, Column
from ui.widgets.filter_bar import FilterBar
from ui.windows.main_window import MainWindow


def midnight(year: int, month: int, day: int) -> datetime:
    """That day's start on this computer's clock, at that day's own UTC offset."""
    return datetime(year, month, day).astimezone()


ORDERS = OrderFilter(
    has_orders=True,
    min_spent=Decimal("250.00"),
    last_order=DateRange(end=midnight(2026, 1, 1)),  # lapsed: nothing since 2025
    ordered=DateRange(start=midnight(2025, 1, 1), end=midnight(2025, 4, 1)),
)


# --- the editor's header ----------------------------------------------------------------


def test_header_says_unknown_then_the_figures(qtbot: QtBot, window: MainWindow) -> None:
    customer_id = window.model.item(0).id
    open_customer(qtbot, window, customer_id)
    editor = window.editor
    label = editor.figures
    assert label.isVisible()
    assert "0 orders" not in label.text()
    customer = editor.customer
    assert customer is not None
    year = customer.created_at.astimezone().year
    figures = CustomerFigures(
        customer_id=customer_id,
        order_count=14,
        cancelled_count=1,
        currencies=(
            CurrencyFigures(
                currency="EUR",
                order_count=14,
                spent=Money(amount=Decimal("1234.50"), currency="EUR"),
                refunded=Money(amount=Decimal("0"), currency="EUR"),
            ),
        ),
        first_order_at=midnight(2019, 5, 1),
        last_order_at=datetime.now(UTC) - timedelta(days=21),
    )
    editor.show_figures(customer, figures)
    assert label.text() == (
        "Customer since 2019 · 14 orders · €1,234.50 spent · last order 3 weeks ago · 1 cancelled"
    )
    assert "average order €88.18" in label.toolTip()
    editor.show_figures(customer, CustomerFigures(customer_id=customer_id))
    assert label.text() == f"Customer since {year} · No orders yet"
    editor.start_new()
    assert not label.isVisible()  # a customer not yet created has no history


# --- the list columns -------------------------------------------------------------------


def test_figure_columns_are_optional_and_remembered(qtbot: QtBot, window: MainWindow) -> None:
    table = window.table
    assert all(table.isColumnHidden(c) for c in FIGURE_COLUMNS)  # hidden by default
    menu = QMenu(window)
    window._fill_column_menu(menu)
    actions = {a.text(): a for a in menu.actions()}
    for title in ("Orders", "Spent", "Last order"):
        assert not actions[title].isChecked()
        actions[title].setChecked(True)
    assert not any(table.isColumnHidden(c) for c in FIGURE_COLUMNS)
    exported = window.view_tools.visible_columns()
    assert exported[-4:] == ["orders", "spent", "currency", "last_order"]  # amount + currency
    window.save_layout()
    window.close()
    again = MainWindow(window.services)
    qtbot.addWidget(again)
    assert not any(again.table.isColumnHidden(c) for c in FIGURE_COLUMNS)
    again.close()


def test_a_column_chosen_from_the_header_menu_scrolls_into_view(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Orders / Spent / Last order join at the right, past the pane's edge at the default
    size: the view brings the one just ticked into sight."""
    window.show()
    qtbot.waitExposed(window)
    table = window.table
    table.setCurrentIndex(window.model.index(0, Column.NAME))
    menu = QMenu(window)
    window._fill_column_menu(menu)
    actions = {a.text(): a for a in menu.actions()}
    for title in ("Orders", "Spent", "Last order"):
        actions[title].setChecked(True)
    # Wider than the pane now: the sideways scroll bar appears...
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() > 0, timeout=WAIT_MS)
    last = window.model.index(0, Column.LAST_ORDER)  # ...and has moved to the new ones
    qtbot.waitUntil(
        lambda: table.viewport().rect().contains(table.visualRect(last)), timeout=WAIT_MS
    )


def test_figure_sorts_wait_for_the_mirror_and_say_why(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    model = window.model
    header = model.headerData(Column.SPENT, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert NOT_YET in header
    before = model.query.sort
    window.table.horizontalHeader().setSortIndicator(Column.SPENT, Qt.SortOrder.DescendingOrder)
    qtbot.wait(100)
    assert model.query.sort == before  # refused: the store cannot sort by it
    assert NOT_YET in window.statusBar().currentMessage()
    assert window.table.horizontalHeader().sortIndicatorSection() != Column.SPENT

    assert store.mirror is not None
    run(qtbot, qloop, store.mirror.sync())  # a complete mirror answers the figure sorts
    qtbot.waitUntil(lambda: model.figures_reason is None, timeout=WAIT_MS)
    assert "click to sort" in model.headerData(
        Column.SPENT, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    window.table.horizontalHeader().setSortIndicator(Column.SPENT, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.query.sort == Sort(field=SortField.SPENT, descending=True))
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() > 0, timeout=WAIT_MS)
    spent = [c.orders.spent.amount for c in model.items() if c.orders and c.orders.spent]
    assert len(spent) > 10
    assert spent == sorted(spent, reverse=True)
    top = model.index(0, Column.SPENT)
    assert model.data(top).startswith("€")
    assert model.data(top, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.data(model.index(0, Column.ORDERS)) == str(model.item(0).orders.order_count)  # type: ignore[union-attr]


def test_spent_says_none_in_the_main_currency_rather_than_blank(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A customer whose orders are all in another currency: "—" with the reason, never a
    blank beside their order count (which read as missing data)."""
    model = window.model
    qtbot.waitUntil(lambda: model.rowCount() > 1, timeout=WAIT_MS)
    euro = Money(amount=Decimal("12.50"), currency="EUR")
    pounds_only = model.item(0).model_copy(update={"orders": OrderStats(order_count=2)})
    in_euros = model.item(1).model_copy(update={"orders": OrderStats(order_count=1, spent=euro)})
    none_yet = model.item(1).model_copy(update={"orders": OrderStats(order_count=0)})
    model.replace_row(0, pounds_only)
    spent = model.index(0, Column.SPENT)
    assert model.data(spent) == "—"
    assert "main currency" in model.data(spent, Qt.ItemDataRole.ToolTipRole)
    assert "header" in model.data(spent, Qt.ItemDataRole.ToolTipRole)
    model.replace_row(0, in_euros)
    assert model.data(spent) == "€12.50"
    model.replace_row(0, none_yet)
    assert model.data(spent) == ""  # no orders at all: "0" in Orders says it


def test_header_figures_come_from_the_mirror(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    assert store.mirror is not None
    run(qtbot, qloop, store.mirror.sync())
    query = CustomerQuery(orders=OrderFilter(has_orders=True), page_size=1)
    buyer = run(qtbot, qloop, store.customers.search(query)).items[0]
    figures = run(qtbot, qloop, store.customers.figures(buyer.id))
    assert figures is not None
    open_customer(qtbot, window, buyer.id)
    label = window.editor.figures
    count = figures.order_count
    qtbot.waitUntil(lambda: f"{count} order" in label.text(), timeout=WAIT_MS)
    assert "spent · last order" in label.text()
    assert "average order" in label.toolTip()
    shown = label.text()
    window.editor.refresh_figures()  # after a sync: reloaded without a flash of "unknown"
    assert label.text() == shown
    window.editor.load(buyer.id)  # cached, then fresh: the line stays meanwhile
    assert label.text() == shown
    qtbot.waitUntil(lambda: not window.editor.tasks.busy, timeout=WAIT_MS)
    assert label.text() == shown
    query = CustomerQuery(orders=OrderFilter(has_orders=False), page_size=1)
    idle = run(qtbot, qloop, store.customers.search(query)).items[0]
    open_customer(qtbot, window, idle.id)
    qtbot.waitUntil(lambda: label.text().endswith("No orders yet"), timeout=WAIT_MS)


# --- the filters ------------------------------------------------------------------------


def test_order_filters_round_trip_through_a_saved_filter(qtbot: QtBot, tmp_path: Path) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.set_figures_reason(None)
    query = CustomerQuery(text="mü", has_account=True, orders=ORDERS)
    bar.set_query(query)
    assert bar.query() == query
    assert "has orders" in bar.active_filters()
    assert bar.orders.spent.check.font().bold()

    saved = SavedFilters(tmp_path / "saved-filters.json")
    saved.save("demo", "Lapsed big spenders", bar.query())
    other = FilterBar()
    qtbot.addWidget(other)
    other.set_figures_reason(None)
    other.set_query(saved.list("demo")[0].query)
    assert other.query() == query
    assert other.orders.last_order.bound.currentText() == "before"

    other.clear_filters()
    assert other.query().orders == OrderFilter()


def test_each_last_order_bound_reads_back(qtbot: QtBot) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.set_figures_reason(None)
    edit = bar.orders.last_order
    edit.check.setChecked(True)
    edit.start.setDate(QDate(2026, 6, 1))
    for bound, expected in (
        ("before", DateRange(end=midnight(2026, 6, 1))),
        ("after", DateRange(start=midnight(2026, 6, 2))),
    ):
        edit.bound.setCurrentIndex(edit.bound.findText(bound))
        assert bar.query().orders.last_order == expected
        edit.set_value(expected)
        assert edit.bound.currentText() == bound
        assert edit.start.date() == QDate(2026, 6, 1)
    edit.bound.setCurrentIndex(edit.bound.findText("between"))
    edit.end.setDate(QDate(2026, 5, 1))
    queries: list[CustomerQuery] = []
    bar.queryChanged.connect(queries.append)
    edit.end.setDate(QDate(2026, 4, 1))
    assert queries == []  # a reversed range is refused, with a message
    assert "Last order" in bar.date_error.text()


def test_old_saved_filters_still_load(tmp_path: Path) -> None:
    path = tmp_path / "saved-filters.json"
    old = {"version": 1, "filters": {"demo": [{"name": "Guests", "query": {"has_account": False}}]}}
    path.write_text(json.dumps(old), encoding="utf-8")
    (kept,) = SavedFilters(path).list("demo")
    assert kept.query.orders == OrderFilter()
    assert kept.query.has_account is False


def test_order_filters_are_off_with_a_reason_until_the_mirror_answers(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    bar = window.filter_bar
    orders = bar.orders
    assert not orders.has_orders.isEnabled()
    assert orders.reason.isVisible()
    assert orders.reason.text() == NOT_YET
    assert NOT_YET in orders.spent.toolTip()
    # A saved filter with order figures keeps them, and applies them once they answer.
    window.view_tools.apply(CustomerQuery(orders=ORDERS))
    qtbot.waitUntil(lambda: not window.model.loading, timeout=WAIT_MS)
    assert window.model.query.orders == OrderFilter()  # not asked of the store
    assert orders.has_orders.currentData() is True  # but kept on screen

    assert store.mirror is not None
    run(qtbot, qloop, store.mirror.sync())
    qtbot.waitUntil(lambda: orders.has_orders.isEnabled(), timeout=WAIT_MS)
    assert not orders.reason.isVisible()
    assert bar.query().orders == ORDERS


def test_a_layout_saved_before_the_figure_columns_keeps_them_hidden(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Qt restores an 8-column header state into 11 columns with the new ones shown."""
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from ui.settings import ui_settings

    old = QTableView()
    qtbot.addWidget(old)
    old.setModel(QStandardItemModel(1, 8, old))
    settings = ui_settings()
    settings.setValue("main/columns", old.horizontalHeader().saveState())
    settings.remove("main/column_count")
    settings.sync()
    again = MainWindow(window.services)
    qtbot.addWidget(again)
    assert all(again.table.isColumnHidden(c) for c in FIGURE_COLUMNS)
    assert not again.table.isColumnHidden(Column.EMAIL)
    again.close()


def test_a_store_without_orders_has_no_order_filters_or_columns(qtbot: QtBot) -> None:
    from app.domain.capabilities import Capability

    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.set_figures_reason(None)
    bar.set_query(CustomerQuery(orders=ORDERS))
    caps = Capability(0)
    for flag in Capability:
        if flag is not Capability.ORDERS:
            caps |= flag
    bar.set_capabilities(caps)
    bar.show()
    assert not bar.orders.isVisible()
    assert "orders" in bar.unsupported.text()
    assert bar.query().orders == OrderFilter()


def test_figure_sort_and_filters_give_way_when_the_mirror_stops_answering(
    qtbot: QtBot,
    window: MainWindow,
    store: StoreContext,
    qloop: asyncio.AbstractEventLoop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert store.mirror is not None
    run(qtbot, qloop, store.mirror.sync())
    model = window.model
    qtbot.waitUntil(lambda: model.figures_reason is None, timeout=WAIT_MS)
    window.view_tools.apply(
        CustomerQuery(orders=OrderFilter(has_orders=True), sort=Sort(field=SortField.SPENT))
    )
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() > 0, timeout=WAIT_MS)
    assert model.query.orders.has_orders is True
    # The copy of the orders is gone (say, a new full copy starts): every search would
    # fail, so the view drops what only it could answer, and keeps the rest.
    monkeypatch.setattr("ui.windows.main_window.figures_unavailable", lambda _s: NOT_YET)
    window._on_mirror_state(store.mirror.state)
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() > 0, timeout=WAIT_MS)
    assert model.query.orders == OrderFilter()
    assert model.query.sort == Sort()
    assert model.failed is None
    assert window.filter_bar.orders.has_orders.currentData() is True  # kept on screen
    assert not window.filter_bar.orders.has_orders.isEnabled()


def test_tab_walks_the_order_filters_in_reading_order(qtbot: QtBot) -> None:
    """The chain Tab follows (Qt skips hidden, disabled and no-Tab widgets)."""
    from PySide6.QtWidgets import QWidget

    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.set_figures_reason(None)
    bar.set_query(CustomerQuery(orders=ORDERS))  # every order control enabled
    bar.resize(1200, 300)
    bar.show()

    def takes_tab(widget: QWidget) -> bool:
        tab = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        return bool(tab) and widget.isVisible() and widget.isEnabled() and bool(widget.objectName())

    def next_stop(widget: QWidget) -> QWidget:
        following = widget.nextInFocusChain()
        assert following is not None
        return following if takes_tab(following) else next_stop(following)

    names: list[str] = []
    widget: QWidget = bar.updated.end
    while len(names) < 10:
        widget = next_stop(widget)
        owner = widget
        while owner.objectName() == "qt_spinbox_lineedit":  # a date edit's inner line edit
            parent = owner.parentWidget()
            assert parent is not None
            owner = parent
        if not names or names[-1] != owner.objectName():
            names.append(owner.objectName())
    # "before" a day: the last day's edit is hidden, so Tab passes it by.
    assert names == [
        "hasOrdersCombo",
        "minSpentCheck",
        "minSpentAmount",
        "lastOrderCheck",
        "lastOrderBound",
        "lastOrderStart",
        "orderedCheck",
        "orderedFrom",
        "orderedTo",
        "searchEdit",
    ]


def test_reading_the_filters_leaves_none_alone(qtbot: QtBot) -> None:
    """PySide6 drops a reference to None per None read back from a combo box; enough
    reads abort the interpreter. The bar's "any" items hold no None."""
    import sys

    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.set_figures_reason(None)
    bar.show()
    before = sys.getrefcount(None)
    for _ in range(2000):
        bar.query()
        bar.active_filters()
    assert sys.getrefcount(None) >= before - 100  # was 8 fewer per round before the fix


@pytest.fixture
def berlin_clock() -> Iterator[None]:
    """This computer's clock in a zone with daylight saving (tests run in UTC)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_a_day_across_a_clock_change_starts_at_its_own_midnight(
    qtbot: QtBot, berlin_clock: None
) -> None:
    # A day on the other side of a daylight-saving change from today: today's UTC
    # offset would make its range start an hour off (orders at 00:xx on the wrong day).
    today = datetime.now().astimezone().utcoffset()
    day = next(
        d
        for d in (date(2026, 1, 15), date(2026, 7, 15))
        if datetime(d.year, d.month, d.day).astimezone().utcoffset() != today
    )
    zone = timezone(timedelta(hours=1 if day.month == 1 else 2))  # CET, CEST

    def start_of(d: date) -> datetime:
        return datetime(d.year, d.month, d.day, tzinfo=zone)

    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.set_figures_reason(None)
    edit = bar.orders.last_order
    edit.check.setChecked(True)
    edit.start.setDate(QDate(day))
    edit.bound.setCurrentIndex(edit.bound.findText("before"))
    assert bar.query().orders.last_order == DateRange(end=start_of(day))
    edit.bound.setCurrentIndex(edit.bound.findText("after"))
    next_day = day + timedelta(days=1)
    assert bar.query().orders.last_order == DateRange(start=start_of(next_day))
    bar.created.set_range(QDate(day), QDate(day))
    assert bar.query().created == DateRange(start=start_of(day), end=start_of(next_day))
