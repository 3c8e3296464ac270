"""The count line says "about N" while an exact count is under way (issue 16: a million
customers take 50-150 ms to count exactly), then the exact count."""

from __future__ import annotations

import asyncio

import pytest
from pytestqt.qtbot import QtBot

from app.domain.query import CustomerQuery
from app.mirror import estimate
from app.services.context import StoreContext
from app.services.customers import CustomerService
from tests.ui.conftest import DEMO_CUSTOMERS, WAIT_MS, run
from ui.windows.main_window import MainWindow


def test_the_count_line_shows_an_estimate_then_the_exact_count(
    qtbot: QtBot,
    window: MainWindow,
    store: StoreContext,
    qloop: asyncio.AbstractEventLoop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mirror = store.mirror
    assert mirror is not None
    run(qtbot, qloop, mirror.sync())
    qtbot.waitUntil(lambda: mirror.answers_search(None), timeout=WAIT_MS)
    # 120 customers counted as a million would be: every 4th row sampled, no budget.
    monkeypatch.setattr(estimate, "SAMPLE", 30)
    monkeypatch.setattr(estimate, "EXACT_BUDGET_US", 0.0)
    monkeypatch.setattr(estimate, "MIN_SAMPLE_HITS", 1)
    gate = asyncio.Event()
    exact_count = CustomerService.count

    async def held_count(self: CustomerService, query: CustomerQuery) -> int | None:
        await gate.wait()  # the exact count is slow to come
        return await exact_count(self, query)

    monkeypatch.setattr(CustomerService, "count", held_count)
    window.model.refresh()
    qtbot.waitUntil(lambda: window.model.estimate is not None, timeout=WAIT_MS)
    assert window.model.total is None
    about = window.model.estimate
    assert about is not None
    assert abs(about - DEMO_CUSTOMERS) <= DEMO_CUSTOMERS // 4
    assert window.count_label.text().startswith(f"about {about:,} matches")

    gate.set()
    qtbot.waitUntil(lambda: window.model.total == DEMO_CUSTOMERS, timeout=WAIT_MS)
    assert window.model.estimate is None
    assert window.count_label.text().startswith(f"{DEMO_CUSTOMERS} matches")
