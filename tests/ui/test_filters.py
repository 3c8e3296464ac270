"""Filters say which of them are on, clear in one go, refuse a reversed date range, and
say why a filter the store lacks is missing."""

from __future__ import annotations

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from app.domain.capabilities import Capability
from app.domain.query import CustomerQuery
from tests.ui.conftest import DEMO_CUSTOMERS, WAIT_MS
from ui.widgets.filter_bar import FilterBar
from ui.windows.main_window import MainWindow


def settle(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.wait(300)
    qtbot.waitUntil(lambda: not win.model.loading, timeout=WAIT_MS)


def test_active_filters_are_marked_and_clear_filters_resets_them(
    qtbot: QtBot, window: MainWindow
) -> None:
    bar = window.filter_bar
    assert not bar.clear_button.isEnabled()
    assert not bar.account.font().bold()
    bar.account.setCurrentIndex(bar.account.findData(False))
    bar.created.set_range(QDate(2000, 1, 1), QDate(2200, 1, 1))
    settle(qtbot, window)
    assert bar.account.font().bold()
    assert bar.created.check.font().bold()
    assert not bar.group.font().bold()
    assert bar.clear_button.isEnabled()
    assert "2" in bar.clear_button.text()
    assert window.model.total is not None
    assert window.model.total < DEMO_CUSTOMERS
    bar.search.setText("x")
    bar.clear_button.click()
    settle(qtbot, window)
    assert window.model.query.has_account is None
    assert window.model.query.created.is_open()
    assert window.model.query.text == "x"  # the search is not a filter: it stays
    assert not bar.account.font().bold()
    assert not bar.clear_button.isEnabled()


def test_reversed_date_range_is_refused_with_a_message(qtbot: QtBot, window: MainWindow) -> None:
    bar = window.filter_bar
    queries: list[CustomerQuery] = []
    bar.queryChanged.connect(queries.append)
    bar.created.set_range(QDate(2026, 5, 1), QDate(2026, 1, 1))
    settle(qtbot, window)
    assert queries == []  # nothing searched
    assert bar.date_error.isVisible()
    assert "after" in bar.date_error.text()
    assert "No customer" not in window.count_label.text()
    assert window.model.total == DEMO_CUSTOMERS
    bar.created.end.setDate(QDate(2026, 6, 1))  # put right: searched, message gone
    settle(qtbot, window)
    assert len(queries) == 1
    assert not bar.date_error.isVisible()


def test_hidden_filters_say_why_and_search_promises_what_the_store_searches(
    qtbot: QtBot,
) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.show()
    everything = Capability(0)
    for flag in Capability:
        everything |= flag
    bar.set_capabilities(everything)
    assert not bar.unsupported.isVisible()
    assert "phone" in bar.search.placeholderText()
    # Elastic Path-like: no group or date filters, search by name and email only.
    bar.set_capabilities(Capability.CUSTOMER_SEARCH | Capability.FILTER_HAS_ACCOUNT)
    assert not bar.group.isVisible()
    assert bar.unsupported.isVisible()
    for what in ("group", "created", "updated"):
        assert what in bar.unsupported.text()
    assert "phone" not in bar.search.placeholderText()
    assert "company" not in bar.search.placeholderText()


def test_marking_a_filter_does_not_shift_the_controls_beside_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The active filter turns bold; the widths are kept so nothing moves under the
    pointer (the next checkbox was no longer where the clerk aimed)."""
    window.show()
    qtbot.waitExposed(window)
    bar = window.filter_bar
    orders = bar.orders
    watched = [bar.search, bar.group, orders.spent.check, bar.created.end]
    qtbot.waitUntil(lambda: bar.group.count() > 1, timeout=WAIT_MS)  # the groups are in
    qtbot.wait(50)
    before = [w.geometry() for w in watched]
    bar.account.setCurrentIndex(bar.account.findData(False))
    orders.has_orders.setCurrentIndex(orders.has_orders.findData(True))
    bar.created.check.setChecked(True)
    settle(qtbot, window)
    assert bar.account.font().bold()
    assert [w.geometry() for w in watched] == before
