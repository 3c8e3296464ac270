"""Search as you type and scrolling anywhere, when the local mirror answers the list.

Typing searches on every keystroke without the server's debounce, the latest keystroke
winning; a search that goes to the server is still debounced. A list the mirror answers
has every match as a row: Ctrl+End shows the last rows without paging through the rest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.domain.customer import CustomerSummary
from app.domain.query import CustomerQuery, Page
from app.mirror.service import CountEstimate
from app.services.context import Services, StoreContext
from tests.ui.conftest import WAIT_MS, LoopErrors, run
from ui.asyncbridge import cancel_all_owners
from ui.crash import CrashHandler
from ui.models import customer_table
from ui.models.customer_table import Column, CustomerTableModel
from ui.store import open_store
from ui.widgets.filter_bar import DEBOUNCE_MS
from ui.windows.main_window import DEFAULT_SIZE, MainWindow

MANY = 2500  # many screens and pages of customers


def _mirrored(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, window: MainWindow) -> None:
    """The mirror holds the whole store, so it answers the list (policy MIRROR)."""
    assert window.context is not None
    assert window.context.mirror is not None
    run(qtbot, qloop, window.context.mirror.sync(full=True), timeout=60_000)
    assert window.context.customers.lists_from_mirror()
    window.model.refresh()
    qtbot.waitUntil(
        lambda: not window.model.loading and window.model.total is not None, timeout=WAIT_MS
    )


def _type(window: MainWindow, text: str) -> None:
    edit = window.filter_bar.search
    edit.setFocus()
    QTest.keyClicks(edit, text)


def test_local_search_runs_on_every_keystroke_without_a_debounce(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, window: MainWindow
) -> None:
    _mirrored(qtbot, qloop, window)
    asked: list[str] = []
    window.filter_bar.queryChanged.connect(lambda q: asked.append(q.text))
    _type(window, "ann")
    # Each key searched at once: no timer stands between a key and its search.
    assert asked == ["a", "an", "ann"]
    assert window.model.query.text == "ann"
    assert not window.filter_bar._debounce.isActive()
    qtbot.waitUntil(lambda: not window.model.loading and window.model.total is not None)
    assert window.model.items()
    assert all("ann" in _searched(c) for c in window.model.items())


def test_server_search_is_still_debounced(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, window: MainWindow
) -> None:
    assert window.context is not None
    assert not window.context.customers.lists_from_mirror()  # no full copy yet: the server
    asked: list[str] = []
    window.filter_bar.queryChanged.connect(lambda q: asked.append(q.text))
    _type(window, "ann")
    assert asked == []  # typing goes to the server in one request, after the pause
    assert window.filter_bar._debounce.isActive()
    qtbot.wait(DEBOUNCE_MS // 2)
    assert asked == []
    qtbot.waitUntil(lambda: asked == ["ann"], timeout=DEBOUNCE_MS * 4)
    qtbot.waitUntil(lambda: not window.model.loading, timeout=WAIT_MS)
    assert window.model.query.text == "ann"


def _searched(customer: CustomerSummary) -> str:
    fields = (customer.first_name, customer.last_name, customer.email, customer.company)
    return " ".join(f or "" for f in fields).lower()


def test_a_slow_stale_result_never_overwrites_a_newer_one(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _mirrored(qtbot, qloop, window)
    assert window.context is not None
    service = window.context.customers
    real_search = service.search
    stale_done = asyncio.Event()

    async def slow_for_a(
        query: CustomerQuery, page_token: str | None = None, *, count: bool = True
    ) -> Page[CustomerSummary]:
        # The first keystroke's search answers last, long after the newer ones. Shielded:
        # its answer does come back, whatever happens to the task waiting for it.
        async def answer() -> Page[CustomerSummary]:
            page = await real_search(query, page_token, count=count)
            if query.text == "a":
                await asyncio.sleep(0.4)
                stale_done.set()
            return page

        return await asyncio.shield(asyncio.ensure_future(answer()))

    monkeypatch.setattr(service, "search", slow_for_a)
    _type(window, "a")
    qtbot.wait(30)  # its search is under way (and slow)
    _type(window, "nn")
    qtbot.waitUntil(stale_done.is_set, timeout=WAIT_MS)
    qtbot.wait(50)  # the stale answer had its chance to land
    assert window.model.query.text == "ann"
    rows = window.model.items()
    assert rows
    assert all("ann" in _searched(c) for c in rows)
    everyone = run(qtbot, qloop, real_search(CustomerQuery(text="a")))
    assert everyone.total is not None
    assert len(rows) < everyone.total


@pytest.fixture
def big_window(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    services: Services,
    loop_errors: LoopErrors,
    crashes: CrashHandler,
) -> Iterator[MainWindow]:
    context: StoreContext = run(
        qtbot, qloop, open_store(services, None, demo_customers=MANY), timeout=60_000
    )
    win = MainWindow(services, demo_customers=MANY)
    qtbot.addWidget(win)
    win.resize(DEFAULT_SIZE)
    win.use_store(context)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.model.rowCount() > 0 and not win.model.loading, timeout=WAIT_MS)
    yield win
    cancel_all_owners()
    win.context = None
    run(qtbot, qloop, context.aclose())


def test_ctrl_end_paints_the_last_rows_without_paging_through_the_list(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, big_window: MainWindow
) -> None:
    window = big_window
    _mirrored(qtbot, qloop, window)
    model = window.model
    total = model.total
    assert total is not None
    assert total > MANY * 9 // 10
    assert model.random_access
    assert model.rowCount() == total
    assert window.context is not None
    last = run(qtbot, qloop, window.context.customers.page_at(model.query, total - 1, 1))[0]
    window.table.setFocus()
    QTest.keyClick(window.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: model.loaded(total - 1) is not None, timeout=WAIT_MS)
    assert window.table.currentIndex().row() == total - 1
    window.table.viewport().repaint()
    bottom = window.table.indexAt(window.table.viewport().rect().bottomLeft()).row()
    bottom = bottom if bottom >= 0 else total - 1
    assert bottom == total - 1  # the view shows the end of the list
    shown = model.index(total - 1, Column.EMAIL).data()
    assert shown == (last.email or "")
    assert len(model.items()) < total // 2  # only the screens shown were read
    # The last customer opens as a row chosen by hand would.
    qtbot.waitUntil(
        lambda: window.editor.customer is not None and window.editor.customer.id == last.id,
        timeout=WAIT_MS,
    )


def test_dragging_to_the_middle_reads_only_the_rows_shown(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, big_window: MainWindow
) -> None:
    window = big_window
    _mirrored(qtbot, qloop, window)
    model = window.model
    total = model.rowCount()
    bar = window.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > total // 2, timeout=WAIT_MS)  # laid out
    bar.setValue(bar.maximum() // 2)
    top = window.table.rowAt(0)
    assert total // 3 < top < 2 * total // 3
    qtbot.waitUntil(lambda: model.loaded(top) is not None, timeout=WAIT_MS)
    assert window.context is not None
    expected = run(qtbot, qloop, window.context.customers.page_at(model.query, top, 5))
    assert [model.loaded(top + i) for i in range(5)] == expected
    assert model.loaded(total - 1) is None  # the rest stays unread
    # Rows found by id are found among the rows read anywhere, and only there.
    middle = model.loaded(top)
    assert middle is not None
    assert model.row_of(middle.id) == top
    model.remove_customer(middle.id)
    assert model.row_of(middle.id) is None
    assert model.rowCount() == total - 1
    follower = model.loaded(top)
    assert follower is not None
    assert model.row_of(follower.id) == top


def test_a_model_reading_by_position_passes_qtmodeltester(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    qloop: asyncio.AbstractEventLoop,
    big_window: MainWindow,
) -> None:
    _mirrored(qtbot, qloop, big_window)
    assert big_window.context is not None
    model = CustomerTableModel(big_window.context.customers)
    model.reset_query(CustomerQuery(page_size=40))
    qtbot.waitUntil(lambda: model.random_access and model.total is not None, timeout=WAIT_MS)
    assert model.rowCount() == model.total  # unread rows included
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]
    last = model.index(model.rowCount() - 1, Column.EMAIL)
    assert last.data() is None  # not read yet: empty, and asked for
    with qtbot.waitSignal(model.dataChanged, timeout=WAIT_MS):
        pass
    assert last.data() == (model.item(model.rowCount() - 1).email or "")
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]
    model.tasks.close()


def test_counts_wait_for_a_pause_in_the_typing(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    big_window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The mirror has one worker thread: a count of a term typed past would hold up the
    next keystroke's rows. Only the term staff stopped at is counted."""
    window = big_window
    _mirrored(qtbot, qloop, window)
    assert window.context is not None
    service = window.context.customers
    real_count = service.count
    counted: list[str] = []

    async def count(query: CustomerQuery) -> int | None:
        counted.append(query.text)
        return await real_count(query)

    real_estimate = service.count_estimate

    async def count_estimate(query: CustomerQuery) -> CountEstimate | None:
        counted.append(query.text)  # a cheap count is a count too
        return await real_estimate(query)

    monkeypatch.setattr(service, "count", count)
    monkeypatch.setattr(service, "count_estimate", count_estimate)
    monkeypatch.setattr(customer_table, "COUNT_PAUSE_S", 1.0)  # a slow typist's pause
    for char in "er":  # too short for the trigram index: the first page brings no count
        _type(window, char)
        qtbot.waitUntil(lambda: not window.model.loading, timeout=WAIT_MS)  # rows shown
    qtbot.waitUntil(lambda: window.model.total is not None, timeout=WAIT_MS)
    assert set(counted) == {"er"}  # the estimate, then the exact count where needed
    assert window.model.rowCount() == window.model.total  # counted: every match a row
