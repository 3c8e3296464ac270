"""An offline edit met a change made in the store meanwhile: mine and theirs side by side.

Per field the user keeps theirs or mine; "Keep all mine" and "Take all theirs" decide
everything at once. The dialog only collects the choice (`choices()`); the caller sends
it (`MirrorService.resolve`). Shown with `open()`, never `exec()` (no nested loop).
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.mirror.service import ADDRESS_DELETE, Choice, Conflict


def _text(value: Any) -> str:
    if value is None:
        return "(empty)"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _label(field: str) -> str:
    return field.replace("metadata.", "metadata: ").replace("_", " ").capitalize()


class ConflictDialog(QDialog):
    def __init__(self, conflict: Conflict, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle("Edit conflict")
        self.conflict = conflict
        self.resolution: str | None = None  # "mine", "theirs" or "fields" once accepted
        layout = QVBoxLayout(self)
        intro = QLabel(f"<b>{title}</b><br>{conflict.label}", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        for col, head in enumerate(("Field", "Before", "Mine (offline)", "Theirs (store)")):
            grid.addWidget(QLabel(f"<b>{head}</b>", self), 0, col)
        self._groups: dict[str, tuple[QRadioButton, QRadioButton]] = {}
        for row, item in enumerate(conflict.fields, start=1):
            grid.addWidget(QLabel(_label(item.field), self), row, 0)
            grid.addWidget(QLabel(_text(item.base), self), row, 1)
            deleting = conflict.kind == ADDRESS_DELETE
            mine = QRadioButton("(deleted)" if deleting else _text(item.mine), self)
            theirs = QRadioButton(_text(item.theirs), self)
            mine.setObjectName(f"mine:{item.field}")
            theirs.setObjectName(f"theirs:{item.field}")
            theirs.setChecked(True)  # nothing is overwritten unless the user says so
            group = QButtonGroup(self)
            group.addButton(mine)
            group.addButton(theirs)
            grid.addWidget(mine, row, 2)
            grid.addWidget(theirs, row, 3)
            self._groups[item.field] = (mine, theirs)
        layout.addLayout(grid)
        if conflict.unchanged:
            others = ", ".join(_label(k) for k in conflict.unchanged)
            layout.addWidget(QLabel(f"Your other changes ({others}) are sent as well.", self))
        buttons = QDialogButtonBox(self)
        self.mine_button = buttons.addButton(
            "Keep all mine", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.theirs_button = buttons.addButton(
            "Take all theirs", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button = buttons.addButton(
            "Apply my choices", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.later_button = buttons.addButton(
            "Decide later", QDialogButtonBox.ButtonRole.RejectRole
        )
        for name in ("mine", "theirs", "fields"):
            button = {"mine": self.mine_button, "theirs": self.theirs_button}.get(
                name, self.apply_button
            )
            button.clicked.connect(lambda _=False, n=name: self._decide(n))
        self.later_button.clicked.connect(self.reject)
        # Enter applies what the dialog shows (theirs, unless the user picked mine), never
        # "Keep all mine", which would overwrite the store's changes by default.
        for button in (self.mine_button, self.theirs_button, self.later_button):
            button.setAutoDefault(False)
        self.apply_button.setDefault(True)
        layout.addWidget(buttons)

    def _decide(self, resolution: str) -> None:
        self.resolution = resolution
        self.accept()

    def choices(self) -> dict[str, Choice]:
        """Per conflicting field: "mine" or "theirs", as decided."""
        if self.resolution == "mine":
            return dict.fromkeys(self._groups, "mine")
        if self.resolution == "theirs":
            return dict.fromkeys(self._groups, "theirs")
        return {
            field: "mine" if mine.isChecked() else "theirs"
            for field, (mine, _theirs) in self._groups.items()
        }
