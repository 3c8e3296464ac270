"""The strip above the list that says the store is unreachable and what still works."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.mirror.service import MirrorState
from ui.formatting import local_datetime


class OfflineBanner(QFrame):
    def __init__(self, on_retry: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel(self)
        self.label.setObjectName("offlineBannerText")
        self.label.setWordWrap(True)
        self.retry_button = QPushButton("Retry", self)
        self.retry_button.setObjectName("offlineRetryButton")
        self.retry_button.clicked.connect(on_retry)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry_button)
        self.hide()

    def show_state(self, state: MirrorState) -> None:
        if state.online:
            self.hide()
            return
        self.show_unreachable(state.reason or "", state)

    def show_unreachable(self, reason: str, state: MirrorState | None) -> None:
        """The store does not answer; `state` is the mirror's, if the store has one."""
        if state is not None and (state.ready or not state.online):
            synced = local_datetime(state.last_sync) if state.last_sync else "never"
            queued = (
                f" {state.pending_edits} edit(s) waiting to be sent." if state.pending_edits else ""
            )
            text = (
                "The store's server is unreachable: showing the local copy "
                f"(last synced {synced}). Edits are kept and sent when it is back.{queued}"
            )
        else:
            text = (
                "The store's server is unreachable, and this computer has no copy of its "
                "customers yet: nothing can be shown until it answers."
            )
        self.label.setText(text)
        self.label.setToolTip(reason)
        self.show()
