"""Export of the current view and saved filters, through the real main window."""

from __future__ import annotations

import csv
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.domain.query import CustomerQuery, Sort, SortField
from app.services.context import StoreContext
from tests.ui.conftest import WAIT_MS
from ui.models.customer_table import Column
from ui.windows.main_window import MainWindow


def test_export_writes_the_filtered_view_with_visible_columns(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.table.setColumnHidden(Column.COMPANY, True)
    window.table.setColumnHidden(Column.CREATED, False)
    window.model.reset_query(CustomerQuery(has_account=True, sort=Sort(field=SortField.EMAIL)))
    qtbot.waitUntil(lambda: not window.model.loading, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.model.total is not None, timeout=WAIT_MS)
    target = tmp_path / "with-account.csv"
    window.view_tools.export(target)
    qtbot.waitUntil(lambda: not window.tasks.running("export"), timeout=WAIT_MS)
    with target.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [
        "id",
        "name",
        "email",
        "phone",
        "has_account",
        "groups",
        "created_at",
    ]
    assert len(rows) == window.model.total
    assert {r["has_account"] for r in rows} == {"yes"}
    emails = [r["email"] for r in rows]
    assert emails == sorted(emails)
    assert "Exported" in window.statusBar().currentMessage()
    assert window.view_tools.progress is None


def test_saved_filter_round_trip(qtbot: QtBot, window: MainWindow, store: StoreContext) -> None:
    bar = window.filter_bar
    bar.search.setText("mü")
    bar.account.setCurrentIndex(bar.account.findData(False))
    window.model.sort(Column.EMAIL)
    qtbot.waitUntil(lambda: not window.model.loading, timeout=WAIT_MS)
    qtbot.wait(300)
    window.view_tools.save("Guests named mü")
    saved = window.services.saved_filters.list(store.profile.name)
    assert [f.name for f in saved] == ["Guests named mü"]
    assert saved[0].query.sort.field is SortField.EMAIL

    bar.search.setText("")
    bar.account.setCurrentIndex(0)
    window.model.sort(Column.NAME)
    qtbot.wait(300)
    qtbot.waitUntil(lambda: not window.model.loading, timeout=WAIT_MS)

    window.view_tools.apply(saved[0].query)
    qtbot.waitUntil(lambda: not window.model.loading, timeout=WAIT_MS)
    assert bar.search.text() == "mü"
    assert bar.account.currentData() is False
    assert window.model.query.sort.field is SortField.EMAIL
    assert window.table.horizontalHeader().sortIndicatorSection() == Column.EMAIL
    assert window.model.rowCount() > 0
    assert all(not c.has_account for c in window.model.items())

    menu = window.filters_menu
    window.view_tools.fill_menu(menu)
    titles = [a.text() for a in menu.actions()]
    assert "Guests named mü" in titles
    window.view_tools.delete("Guests named mü")
    assert window.services.saved_filters.list(store.profile.name) == []


def test_demo_menu_turns_the_fault_knobs(
    qtbot: QtBot, window: MainWindow, store: StoreContext
) -> None:
    assert store.demo is not None
    faults = store.demo.faults

    def knobs() -> tuple[bool, bool, bool]:
        return faults.offline, faults.latency > 0, faults.error_rate > 0

    menu = window.demo_menu
    assert menu.menuAction().isVisible()
    menu.slow.setChecked(True)
    menu.flaky.setChecked(True)
    menu.offline.setChecked(True)
    assert knobs() == (True, True, True)
    window.refresh()
    qtbot.waitUntil(lambda: window.model.failed is not None, timeout=WAIT_MS)
    menu.actions()[-1].trigger()  # Back to normal
    assert knobs() == (False, False, False)
    window.refresh()
    qtbot.waitUntil(
        lambda: window.model.failed is None and window.model.rowCount() > 0, timeout=WAIT_MS
    )


def test_editor_shows_only_what_the_store_supports(qtbot: QtBot, window: MainWindow) -> None:
    from app.domain.capabilities import Capability

    editor = window.editor
    assert not editor.fields["phone"].isHidden()
    assert editor.tabs.isTabVisible(editor.tabs.indexOf(editor.groups_tab))
    # An Elastic Path-like store: no phone, company, groups or default addresses.
    caps = Capability.CUSTOMER_LIST | Capability.METADATA | Capability.ADDRESSES | Capability.ORDERS
    editor._apply_capabilities(caps)
    assert editor.fields["phone"].isHidden()
    assert editor.fields["company"].isHidden()
    assert not editor.tabs.isTabVisible(editor.tabs.indexOf(editor.groups_tab))
    assert editor.tabs.isTabVisible(editor.tabs.indexOf(editor.orders_tab))
    assert editor.delete_button.isHidden()
    assert editor.addresses_tab.shipping_button.isHidden()
    assert not editor.metadata_view.isHidden()


def test_columns_without_data_are_hidden_per_store_not_saved(
    qtbot: QtBot, window: MainWindow, store: StoreContext
) -> None:
    from app.domain.capabilities import Capability
    from ui.settings import ui_settings

    # As for an Elastic Path store: no phone, company or groups to show.
    window._hide_unsupported_columns(Capability.CUSTOMER_LIST)
    assert window.table.isColumnHidden(Column.PHONE)
    assert window.table.isColumnHidden(Column.GROUPS)
    window.save_layout()
    saved = ui_settings().value("main/columns")
    window._hide_unsupported_columns(store.customers.capabilities)  # back on Medusa
    assert not window.table.isColumnHidden(Column.PHONE)
    assert not window.table.isColumnHidden(Column.GROUPS)
    header = window.table.horizontalHeader()
    header.restoreState(saved)
    assert not window.table.isColumnHidden(Column.PHONE)  # the saved layout keeps it
