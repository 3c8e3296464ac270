"""A line edit with its error message beneath, checked as staff type."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.theme import mark

Check = Callable[[str | None], str | None]


class CheckedLineEdit(QWidget):
    textChanged = Signal(str)

    def __init__(
        self, name: str, check: Check | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._check = check
        self._server_error: str | None = None
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"{name}Edit")
        self.edit.setAccessibleName(name.replace("_", " ").capitalize())
        self.error = QLabel(self)
        self.error.setObjectName(f"{name}Error")
        mark(self.error, "error")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._changed)

    def text(self) -> str:
        return self.edit.text().strip()

    def value(self) -> str | None:
        """The text, or None when empty (None clears the field in a patch)."""
        return self.text() or None

    def set_value(self, value: str | None) -> None:
        self._server_error = None
        self.edit.blockSignals(True)
        self.edit.setText(value or "")
        self.edit.blockSignals(False)
        self._show(self.problem())

    def problem(self) -> str | None:
        return self._check(self.value()) if self._check else None

    def set_server_error(self, message: str | None) -> None:
        """An error the store reported for this field; cleared by the next edit."""
        self._server_error = message
        self._show(message or self.problem())

    def has_error(self) -> bool:
        return self.problem() is not None

    def _changed(self, text: str) -> None:
        self._server_error = None
        self._show(self.problem())
        self.textChanged.emit(text)

    def _show(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.edit.setAccessibleDescription(message or "")
