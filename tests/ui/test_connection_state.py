"""One truth about the store's connection: banner and status bar agree, and the banner
does not move the list (issue 12, point 6)."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from app.services.context import Services, StoreContext
from tests.ui.conftest import DEMO_CUSTOMERS, WAIT_MS, run
from ui.windows.main_window import MainWindow


def test_cold_start_with_the_store_down_and_no_mirror_never_says_online(
    qtbot: QtBot, services: Services, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    assert store.demo is not None
    mirror = store.mirror
    assert mirror is not None
    assert not mirror.ready  # no local copy yet
    store.demo.faults.offline = True
    # As the app starts: the mirror's background sync runs too (and fails).
    desk = MainWindow(services, demo_customers=DEMO_CUSTOMERS, background_sync=True)
    qtbot.addWidget(desk)
    try:
        desk.use_store(store)
        desk.show()
        qtbot.waitUntil(lambda: desk.model.failed is not None, timeout=WAIT_MS)
        seen: set[str] = set()
        for _ in range(40):  # through the background sync's failure and its state news
            seen.add(desk.connection_label.text())
            qtbot.wait(100)
        assert "Online" not in seen
        assert desk.connection_label.text() == "Offline"
        assert desk.offline_banner.isVisible()  # the banner says the same
        assert "no copy" in desk.offline_banner.label.text()
    finally:
        store.demo.faults.offline = False
        run(qtbot, qloop, mirror.stop())
        for owner in desk.owners():
            owner.cancel_all()
        desk.context = None


def test_searching_the_mirror_notices_the_store_is_gone_without_moving_the_list(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    assert store.demo is not None
    assert store.mirror is not None
    run(qtbot, qloop, store.mirror.sync())  # searches are answered by the mirror now
    window.reachability_interval = 0
    window.refresh()
    qtbot.waitUntil(
        lambda: (
            window.connection_label.text() == "Online"
            and window.model.rowCount() > 0
            and not window.model.loading
        ),
        timeout=WAIT_MS,
    )
    list_top = window.table.mapTo(window, QPoint(0, 0))

    store.demo.faults.offline = True
    try:
        first = window.model.item(0)
        window.filter_bar.search.setText(first.email or first.display_name)
        qtbot.waitUntil(lambda: window.connection_label.text() == "Offline", timeout=WAIT_MS)
        qtbot.waitUntil(window.offline_banner.isVisible, timeout=WAIT_MS)
        assert window.model.failed is None  # the mirror still answers
        assert window.table.mapTo(window, QPoint(0, 0)) == list_top  # no jump
    finally:
        store.demo.faults.offline = False
