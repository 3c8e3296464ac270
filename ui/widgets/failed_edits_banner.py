"""The strip that keeps edits the store refused in sight until someone deals with them.

A queued edit the store refuses at replay (duplicate email, validation, gone) would
otherwise vanish from view; it stays here until it is retried or discarded.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.mirror.service import MirrorState

BANNER_STYLE = (
    "QFrame#failedEditsBanner { background: #fde7e9; border: 1px solid #d13438; "
    "border-radius: 4px; }"
)


class FailedEditsBanner(QFrame):
    def __init__(self, on_review: Callable[[], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("failedEditsBanner")
        self.setStyleSheet(BANNER_STYLE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel(self)
        self.label.setObjectName("failedEditsText")
        self.label.setWordWrap(True)
        self.review_button = QPushButton("Review…", self)
        self.review_button.setObjectName("reviewFailedEditsButton")
        self.review_button.clicked.connect(on_review)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.review_button)
        self.hide()

    def show_state(self, state: MirrorState) -> None:
        count = len(state.failed_edits)
        if not count:
            self.hide()
            return
        self.label.setText(
            f"The store refused {count} edit(s) made offline. They are kept until you "
            "retry or discard them."
        )
        self.show()
