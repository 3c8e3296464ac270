"""The desk follows the CLI's rules: refused offline edits stay in sight until retried or
discarded, removing a store asks about unsent edits, hostile names show visibly, and a
save that was only queued says so."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.domain.patch import CustomerPatch, MetadataPatch
from app.domain.query import CustomerQuery
from app.mirror.repository import MirrorRepository
from app.mirror.store import MirrorStore
from app.services.context import Services, StoreContext
from app.services.profiles import BackendKind, StoreProfile
from tests.ui.conftest import WAIT_MS, open_customer, run, set_text
from ui.dialogs.stores_dialog import StoresDialog
from ui.windows.main_window import MainWindow


def _mirrored(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: StoreContext) -> None:
    assert store.mirror is not None
    run(qtbot, qloop, store.mirror.sync())


def test_refused_edits_stay_in_sight_until_retried_or_discarded(
    qtbot: QtBot,
    window: MainWindow,
    store: StoreContext,
    qloop: asyncio.AbstractEventLoop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert store.demo is not None
    assert store.mirror is not None
    _mirrored(qtbot, qloop, store)
    page = run(qtbot, qloop, store.customers.search(CustomerQuery(has_account=True)))
    first, second = page.items[:2]
    store.demo.faults.offline = True
    taken = CustomerPatch(email=second.email)  # the store refuses it: already in use
    run(qtbot, qloop, store.customers.update(first.id, taken))
    assert store.customers.last_write.queued
    store.demo.faults.offline = False
    run(qtbot, qloop, store.mirror.probe())
    run(qtbot, qloop, store.mirror.replay())

    banner = window.failed_edits_banner
    qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
    assert "refused 1 edit" in banner.label.text()
    dialog = window.review_failed_edits()
    assert dialog is not None  # (deletes itself on close)
    assert dialog.list.count() == 1
    assert "already uses this email" in dialog.list.item(0).text()
    # Retrying without fixing the cause: refused again, still listed.
    dialog.retry_button.click()
    qtbot.waitUntil(lambda: not dialog.tasks.busy, timeout=WAIT_MS)
    assert dialog.list.count() == 1
    assert banner.isVisible()

    async def yes(*_: Any, **__: Any) -> bool:
        return True

    monkeypatch.setattr("ui.dialogs.failed_edits_dialog.confirm", yes)
    dialog.discard_button.click()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=WAIT_MS)
    assert dialog.list.count() == 0
    assert run(qtbot, qloop, store.mirror.edits()) == []
    dialog.close()


def test_a_save_made_offline_says_queued(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    assert store.demo is not None
    _mirrored(qtbot, qloop, store)
    first = window.model.item(0)
    open_customer(qtbot, window, first.id)
    store.demo.faults.offline = True
    editor = window.editor
    set_text(qtbot, editor.fields["company"].edit, "Queued GmbH")
    editor.save_button.click()
    qtbot.waitUntil(lambda: "Queued" in editor.save_state.text(), timeout=WAIT_MS)
    assert "Saved" not in editor.save_state.text()


def test_names_with_control_characters_show_visibly(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    first = window.model.item(0)
    hostile = CustomerPatch(
        first_name="Eve\x1b]0;pwned\x07",
        last_name="\u202eRLO",
        metadata=MetadataPatch(set={"note": "\x1b[2J"}),
    )
    run(qtbot, qloop, store.backend.update_customer(first.id, hostile))  # type: ignore[attr-defined]
    window.model.refresh()
    qtbot.waitUntil(lambda: "pwned" in str(window.model.index(0, 0).data()), timeout=WAIT_MS)
    shown = str(window.model.index(0, 0).data())
    assert "\x1b" not in shown
    assert "\x07" not in shown
    assert "\u202e" not in shown
    assert "␛]0;pwned␇" in shown
    open_customer(qtbot, window, first.id)
    assert "␛" in window.editor.title.text()
    meta = window.editor.metadata
    row = next(r for r in range(meta.rowCount()) if meta.index(r, 0).data() == "note")
    assert meta.index(row, 1).data() == "␛[2J"
    # Typing one into a name is refused as you type.
    set_text(qtbot, window.editor.fields["last_name"].edit, "Bad\x1b[2J")
    assert "control characters" in window.editor.fields["last_name"].error.text()


def test_removing_a_store_with_unsent_edits_asks_and_lists_them(
    qtbot: QtBot,
    services: Services,
    qloop: asyncio.AbstractEventLoop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services.profiles.save(
        StoreProfile(
            name="shop", backend=BackendKind.MEDUSA, url="http://127.0.0.1:9", email="a@b.c"
        )
    )

    async def queue_one() -> None:
        mirror = MirrorStore(services.mirror_path("shop"))
        await mirror.open()
        patch = {"fields": {"phone": "+1 555"}, "metadata": {"set": {}, "remove": []}}
        await mirror.call(
            MirrorRepository.outbox_add, "k1", "customer_update", "cus_9", None, patch, {}
        )
        await mirror.aclose()

    run(qtbot, qloop, queue_one())
    asked: list[tuple[str, str, str]] = []
    answer = {"value": False}

    async def confirm(_parent: Any, _title: str, text: str, action: str, **kw: Any) -> bool:
        asked.append((text, action, kw.get("informative", "")))
        return answer["value"]

    monkeypatch.setattr("ui.dialogs.stores_dialog.confirm", confirm)
    dialog = StoresDialog(services)
    qtbot.addWidget(dialog)
    dialog.reload()
    dialog.list.setCurrentRow(0)
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: asked != [], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not dialog.tasks.busy, timeout=WAIT_MS)
    text, action, informative = asked[0]
    assert "never sent" in text
    assert action == "Remove and discard 1 edit(s)"
    assert "change customer cus_9: phone" in informative
    assert [p.name for p in services.profiles.list()] == ["shop"]  # cancelled: kept
    assert services.has_mirror("shop")

    answer["value"] = True
    dialog.list.setCurrentRow(0)
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: services.profiles.list() == [], timeout=WAIT_MS)
    assert not services.has_mirror("shop")
