"""Removing the store that is open in the desk: the desk moves off it first."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from pytestqt.qtbot import QtBot

from app.services.context import Services
from app.services.profiles import BackendKind, StoreProfile
from tests.ui.conftest import DEMO_CUSTOMERS, WAIT_MS, run
from ui.dialogs.stores_dialog import StoresDialog
from ui.store import open_store
from ui.windows.main_window import MainWindow

SHOP = StoreProfile(
    name="shop", backend=BackendKind.MEDUSA, url="http://127.0.0.1:9", email="a@b.c"
)


def test_removing_the_open_store_switches_to_the_demo_first(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    qloop: asyncio.AbstractEventLoop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services.profiles.save(SHOP)
    # A second demo store stands in for the saved store "shop", open in the desk.
    shop = run(qtbot, qloop, open_store(services, "demo", demo_customers=DEMO_CUSTOMERS), 60_000)
    shop = dataclasses.replace(shop, profile=SHOP)
    previous = window.context
    window.use_store(shop)
    assert window.current_store_name() == "shop"
    assert shop.mirror is not None
    closed_before_forget: list[bool] = []
    real_forget = services.forget_store

    def forget(name: str) -> None:
        assert shop.mirror is not None
        closed_before_forget.append(not shop.mirror.is_open)
        real_forget(name)

    monkeypatch.setattr(services, "forget_store", forget)

    async def yes(*_: object, **__: object) -> bool:
        return True

    monkeypatch.setattr("ui.dialogs.stores_dialog.confirm", yes)
    dialog = StoresDialog(services, window, release_store=window.release_store)
    qtbot.addWidget(dialog)
    dialog.reload()
    dialog.list.setCurrentRow(0)
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: closed_before_forget != [], timeout=WAIT_MS)
    assert closed_before_forget == [True]  # the mirror was closed before its file went
    assert window.current_store_name() == "demo"
    assert services.profiles.list() == []
    opened = window.context
    window.context = previous  # the fixtures close what they opened
    assert opened is not None
    run(qtbot, qloop, opened.aclose())
