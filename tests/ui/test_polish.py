"""Small things that decide whether staff trust the desk: the conflict dialog's Enter does
what its radio buttons show, the destructive action stands apart, one demo marker, times
labelled with their zone."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.mirror.outbox import Conflict, FieldConflict
from tests.ui.conftest import open_customer
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.models.customer_table import Column
from ui.windows.main_window import MainWindow


def test_conflict_dialog_enter_applies_the_choices_shown(qtbot: QtBot) -> None:
    conflict = Conflict(
        seq=1,
        kind="customer",
        customer_id="cus_1",
        address_id=None,
        fields=(FieldConflict("phone", "1", "2", "3"), FieldConflict("city", "a", "b", "c")),
        unchanged={},
    )
    dialog = ConflictDialog(conflict, "Anna")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    defaults = [b for b in dialog.findChildren(type(dialog.apply_button)) if b.isDefault()]
    assert defaults == [dialog.apply_button]
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.result() == ConflictDialog.DialogCode.Accepted
    assert dialog.choices() == {"phone": "theirs", "city": "theirs"}  # as the radios showed


def test_delete_customer_stands_apart_from_harmless_actions(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_customer(qtbot, window, window.model.item(0).id)
    token, delete = window.editor.token_button, window.editor.delete_button
    assert delete.x() - token.geometry().right() >= 40


def test_one_demo_marker(window: MainWindow) -> None:
    assert window.demo_badge.isVisible()
    assert "DEMO" not in window.windowTitle().upper().replace("DEMO STORE (MEDUSA)", "")


def test_times_are_local_and_labelled_with_their_zone(window: MainWindow) -> None:
    from ui.formatting import in_local_time, local_datetime, zone_name

    moment = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    zone = zone_name()
    assert local_datetime(moment).endswith(f" {zone}")
    header = window.model.headerData(Column.CREATED, Qt.Orientation.Horizontal)
    assert header == f"Created ({zone})"
    local = moment.astimezone()
    assert in_local_time("issued at 12:30 UTC, valid", moment) == (
        f"issued at {local:%H:%M} {local.strftime('%Z')}, valid"
    )
