"""Password-token results. A secret handed to staff is shown once, here, and kept
nowhere else: not logged, not stored, gone when the dialog closes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.token import TokenIssuance
from ui.formatting import in_local_time


class SecretDialog(QDialog):
    def __init__(self, parent: QWidget | None, issuance: TokenIssuance, title: str) -> None:
        super().__init__(parent)
        assert issuance.secret is not None
        self.setObjectName("secretDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        message = QLabel(in_local_time(issuance.message, issuance.issued_at), self)
        message.setWordWrap(True)
        note = QLabel(
            "This token is shown once. Copy it now; Merchant Desk does not keep it.", self
        )
        note.setWordWrap(True)
        self.secret_edit = QLineEdit(issuance.secret.get_secret_value(), self)
        self.secret_edit.setObjectName("secretEdit")
        self.secret_edit.setAccessibleName("Token")
        self.secret_edit.setReadOnly(True)
        copy = QPushButton("Copy", self)
        copy.setObjectName("copyButton")
        copy.clicked.connect(self._copy)
        row = QHBoxLayout()
        row.addWidget(self.secret_edit, 1)
        row.addWidget(copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.secret_edit.text())

    def done(self, result: int) -> None:
        self.secret_edit.clear()
        super().done(result)


def show_issuance(parent: QWidget | None, issuance: TokenIssuance, title: str) -> QDialog:
    """The result, titled with the action's name (the button's and the question's)."""
    if issuance.secret is not None:
        dialog: QDialog = SecretDialog(parent, issuance, title)
    else:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            title,
            in_local_time(issuance.message, issuance.issued_at),
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.setObjectName("tokenResultBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog = box
    dialog.open()
    return dialog
