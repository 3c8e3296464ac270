"""Edits made offline that the store refused: what, why, and Retry or Discard each."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.controls import visible
from app.mirror.service import MirrorService, MirrorState, describe_edit
from ui.asyncbridge import TaskOwner, attach_owner, owned_slot
from ui.dialogs.ask import confirm
from ui.errors import present_error
from ui.formatting import local_datetime

SEQ_ROLE = Qt.ItemDataRole.UserRole + 1


class FailedEditsDialog(QDialog):
    def __init__(self, mirror: MirrorService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("failedEditsDialog")
        self.setWindowTitle("Edits the store refused")
        self.mirror = mirror
        self._working = False
        self.tasks = TaskOwner("failed edits", lambda exc: present_error(self, exc))
        attach_owner(self, self.tasks)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "These edits were made while the store was unreachable and refused when "
                "they were sent. Fix the cause in the store, then Retry; or Discard the "
                "edit to keep the store's version.",
                self,
                wordWrap=True,
            )
        )
        self.list = QListWidget(self)
        self.list.setObjectName("failedEditsList")
        self.list.currentRowChanged.connect(lambda _: self._update_buttons())
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.retry_button = QPushButton("Retry", self)
        self.retry_button.setObjectName("retryEditButton")
        self.discard_button = QPushButton("Discard", self)
        self.discard_button.setObjectName("discardEditButton")
        buttons.addButton(self.retry_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.retry_button.clicked.connect(self._on_retry)
        self.discard_button.clicked.connect(self._on_discard)
        layout.addWidget(buttons)
        self.resize(560, 320)
        self._unsubscribe = mirror.subscribe(self.show_state)
        self.finished.connect(lambda _: self._unsubscribe())
        self.show_state(mirror.state)

    def show_state(self, state: MirrorState) -> None:
        if not shiboken6.isValid(self):
            return
        current = self.current_seq()
        first = True
        self.list.clear()
        for entry in state.failed_edits:
            when = local_datetime(entry.created_at)
            what, why = visible(describe_edit(entry)), visible(entry.detail or "")
            item = QListWidgetItem(f"#{entry.seq} {what} ({when})\n    {why}")
            item.setData(SEQ_ROLE, entry.seq)
            self.list.addItem(item)
            if entry.seq == current or (first and current is None):
                self.list.setCurrentItem(item)
            first = False
        self._update_buttons()

    def current_seq(self) -> int | None:
        if self.list.currentRow() < 0:
            return None
        return int(self.list.currentItem().data(SEQ_ROLE))

    def _update_buttons(self) -> None:
        chosen = self.current_seq() is not None and not self._working
        self.retry_button.setEnabled(chosen)
        self.discard_button.setEnabled(chosen)

    def _set_working(self, working: bool) -> None:
        if shiboken6.isValid(self):
            self._working = working
            self._update_buttons()

    @owned_slot("retry")
    async def _on_retry(self) -> None:
        seq = self.current_seq()
        if seq is None:
            return
        self._set_working(True)
        try:
            await self.mirror.retry(seq)
        finally:
            self._set_working(False)

    @owned_slot("discard")
    async def _on_discard(self) -> None:
        seq = self.current_seq()
        if seq is None:
            return
        if not await confirm(
            self,
            "Discard edit",
            f"Discard edit #{seq}? The store's version stays; the edit is lost.",
            "Discard",
        ):
            return
        self._set_working(True)
        try:
            await self.mirror.discard(seq)
        finally:
            self._set_working(False)
