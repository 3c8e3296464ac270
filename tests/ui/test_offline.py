"""Offline mode in the desk: banner, browsing the mirror, queued edit, conflict dialog, drafts."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QApplication, QDialogButtonBox, QRadioButton
from pytestqt.qtbot import QtBot

from app.domain.patch import CustomerPatch
from app.services.context import Services, StoreContext
from tests.ui.conftest import (
    DEMO_CUSTOMERS,
    WAIT_MS,
    click_box_button,
    open_customer,
    run,
    set_text,
    visible_box,
)
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.windows.main_window import MainWindow


def _mirrored(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: StoreContext) -> None:
    assert store.mirror is not None
    run(qtbot, qloop, store.mirror.sync())


def _dialog() -> ConflictDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, ConflictDialog) and widget.isVisible():
            return widget
    return None


def test_offline_banner_queued_edit_and_conflict(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    assert store.demo is not None
    assert store.mirror is not None
    _mirrored(qtbot, qloop, store)
    first = window.model.item(0)
    open_customer(qtbot, window, first.id)
    store.demo.faults.offline = True
    window.refresh()  # reloads the open customer: the request fails, offline mode starts
    qtbot.waitUntil(lambda: window.offline_banner.isVisible(), timeout=WAIT_MS)
    assert "unreachable" in window.offline_banner.label.text()
    assert window.connection_label.text() == "Offline"
    # The list is browsable and searchable from the mirror.
    everyone = window.model.total or 0
    window.filter_bar.search.setText(first.email or first.display_name)
    qtbot.waitUntil(  # the search answered from the mirror
        lambda: not window.model.loading and 1 <= window.model.rowCount() < everyone,
        timeout=WAIT_MS,
    )
    assert window.model.failed is None
    assert window.connection_label.text() == "Offline"  # rows from the mirror: still offline
    assert not window.editor.token_button.isEnabled()

    editor = window.editor
    set_text(qtbot, editor.fields["company"].edit, "Offline GmbH")
    editor.save_button.click()
    qtbot.waitUntil(lambda: "offline" in editor.save_state.text().lower(), timeout=WAIT_MS)
    assert store.mirror.state.pending_edits == 1

    # Back online, but someone changed the company meanwhile: both versions are shown.
    store.demo.faults.offline = False
    run(qtbot, qloop, store.backend.update_customer(first.id, CustomerPatch(company="Theirs AG")))  # type: ignore[attr-defined]
    window.offline_banner.retry_button.click()
    qtbot.waitUntil(lambda: store.mirror is not None and store.mirror.online, timeout=WAIT_MS)
    run(qtbot, qloop, store.mirror.replay())
    qtbot.waitUntil(lambda: _dialog() is not None, timeout=WAIT_MS)
    dialog = _dialog()
    assert dialog is not None
    mine = dialog.findChild(QRadioButton, "mine:company")
    theirs = dialog.findChild(QRadioButton, "theirs:company")
    assert mine is not None
    assert mine.text() == "Offline GmbH"
    assert theirs is not None
    assert theirs.text() == "Theirs AG"
    dialog.mine_button.click()
    qtbot.waitUntil(
        lambda: store.mirror is not None and not store.mirror.state.conflicts, timeout=WAIT_MS
    )
    server = run(qtbot, qloop, store.backend.get_customer(first.id))  # type: ignore[attr-defined]
    assert server.company == "Offline GmbH"
    assert not window.offline_banner.isVisible()


def test_a_draft_is_kept_while_typing(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    assert store.mirror is not None
    first = window.model.item(0)
    open_customer(qtbot, window, first.id)
    set_text(qtbot, window.editor.fields["company"].edit, "Draft Ltd")
    mirror = store.mirror
    qtbot.waitUntil(lambda: bool(run(qtbot, qloop, mirror.drafts())), timeout=WAIT_MS)
    drafts = run(qtbot, qloop, mirror.drafts())
    assert drafts[f"customer:{first.id}"].fields["company"] == "Draft Ltd"
    window.editor.revert()
    qtbot.waitUntil(lambda: not run(qtbot, qloop, mirror.drafts()), timeout=WAIT_MS)


def test_an_address_added_offline_is_shown_as_waiting(
    qtbot: QtBot, window: MainWindow, store: StoreContext, qloop: asyncio.AbstractEventLoop
) -> None:
    assert store.demo is not None
    assert store.mirror is not None
    _mirrored(qtbot, qloop, store)
    first = window.model.item(0)
    open_customer(qtbot, window, first.id)
    tab = window.editor.addresses_tab
    window.editor.tabs.setCurrentWidget(tab)
    before = len(tab.addresses)
    store.demo.faults.offline = True

    tab.add_button.click()
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=WAIT_MS)
    assert tab.dialog is not None
    set_text(qtbot, tab.dialog.fields["address_1"].edit, "1 Offline Road")
    set_text(qtbot, tab.dialog.fields["city"].edit, "Leeds")
    tab.dialog.set_country("gb")
    tab.dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: len(tab.addresses) == before + 1, timeout=WAIT_MS)
    assert "not yet sent" in tab.list.currentItem().text()
    assert store.mirror.state.pending_edits == 1

    store.demo.faults.offline = False
    assert run(qtbot, qloop, store.mirror.probe())
    run(qtbot, qloop, store.mirror.replay())
    server = run(qtbot, qloop, store.backend.get_customer(first.id))  # type: ignore[attr-defined]
    assert [a.city for a in server.addresses if a.address_1 == "1 Offline Road"] == ["Leeds"]


def test_a_new_customer_being_entered_is_offered_back_after_a_crash(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    store: StoreContext,
    qloop: asyncio.AbstractEventLoop,
) -> None:
    assert store.mirror is not None
    mirror = store.mirror
    editor = window.editor
    editor.start_new()
    set_text(qtbot, editor.fields["email"].edit, "half.typed@example.com")
    editor.metadata.set_rows({"note": "called about invoice 17"})
    qtbot.waitUntil(lambda: "customer:new" in run(qtbot, qloop, mirror.drafts()), timeout=WAIT_MS)

    # The process dies here; the next desk on this store offers the form back.
    again = MainWindow(services, demo_customers=DEMO_CUSTOMERS)
    qtbot.addWidget(again)
    again.use_store(store)
    box = visible_box(qtbot)
    assert "new customer" in box.text()
    click_box_button(box, "Restore")
    qtbot.waitUntil(lambda: again.editor.creating, timeout=WAIT_MS)
    assert again.editor.fields["email"].value() == "half.typed@example.com"
    assert again.editor.draft().metadata == {"note": "called about invoice 17"}
    assert again.editor.save_button.isEnabled()
    for owner in again.owners():
        owner.cancel_all()
    again.context = None
