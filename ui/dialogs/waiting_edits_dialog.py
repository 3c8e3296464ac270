"""The edits made offline that have not reached the store yet, one line each.

Opened from the status bar's count. It only lists: the edits are sent by the mirror's
replay once the store is reachable, and conflicts are decided in the conflict dialog.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout, QWidget

from app.mirror.service import WaitingEdit
from ui.formatting import local_datetime

WHAT = {
    "customer_update": "details",
    "address_create": "new address",
    "address_update": "address",
    "address_delete": "address removed",
    "note_write": "staff note",
}


def describe(edit: WaitingEdit) -> str:
    what = WHAT.get(edit.kind, edit.kind)
    if edit.kind in ("customer_update", "address_update") and edit.fields:
        what += ": " + ", ".join(f.replace("_", " ") for f in edit.fields)
    state = "needs your choice (conflict)" if edit.conflict else "waiting"
    return f"{edit.customer_name} — {what} — {local_datetime(edit.queued_at)}, {state}"


class WaitingEditsDialog(QDialog):
    def __init__(self, edits: list[WaitingEdit], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waitingEditsDialog")
        self.setWindowTitle("Edits waiting for the store")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "These edits were made while the store was unreachable. They are kept on this "
            "computer and sent, in this order, as soon as the store answers again.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget(self)
        self.list.setObjectName("waitingEditsList")
        self.list.addItems([describe(e) for e in edits])
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 320)
