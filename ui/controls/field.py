"""A line edit with its error message beneath, checked as staff type.

A field in error gets a red frame; the line for its message is kept even while there
is none, so a message appearing never pushes the rest of the form down.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from ui.theme import mark

Check = Callable[[str | None], str | None]

INVALID_FRAME_STYLE = (
    'QLineEdit[invalid="true"] { border: 1px solid #c62828; border-radius: 2px; padding: 1px; }'
)


class CheckedLineEdit(QWidget):
    textChanged = Signal(str)
    linkActivated = Signal(str)  # a link in the error message (e.g. "open that customer")

    def __init__(
        self, name: str, check: Check | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._check = check
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"{name}Edit")
        self.edit.setAccessibleName(name.replace("_", " ").capitalize())
        self.edit.setStyleSheet(INVALID_FRAME_STYLE)
        self.error = QLabel(self)
        self.error.setObjectName(f"{name}Error")
        mark(self.error, "error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.linkActivated.connect(self.linkActivated)
        policy = self.error.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the form keeps its place
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)  # a long one must not widen it
        self.error.setSizePolicy(policy)
        self.error.setFixedHeight(self.error.fontMetrics().height())  # one line, always
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
        self.edit.blockSignals(True)
        self.edit.setText(value or "")
        self.edit.blockSignals(False)
        self._show(self.problem())

    def problem(self) -> str | None:
        return self._check(self.value()) if self._check else None

    def set_server_error(self, message: str | None, *, rich: str | None = None) -> None:
        """An error the store reported for this field; cleared by the next edit.
        `rich`: the same message as rich text (with a link), where there is more to offer."""
        self._show(message or self.problem(), rich if message else None)

    def has_error(self) -> bool:
        return self.problem() is not None

    def _changed(self, text: str) -> None:
        self._show(self.problem())
        self.textChanged.emit(text)

    def _show(self, message: str | None, rich: str | None = None) -> None:
        self.error.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        self.error.setText(rich or message or "")
        self.error.setToolTip(message or "")  # the whole of it, should the line cut it
        self.error.setVisible(bool(message))
        self.edit.setAccessibleDescription(message or "")
        if self.edit.property("invalid") != bool(message):
            self.edit.setProperty("invalid", bool(message))
            self.edit.style().unpolish(self.edit)
            self.edit.style().polish(self.edit)
