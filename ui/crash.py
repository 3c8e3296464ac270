"""Unexpected exceptions (bugs): log the traceback and tell staff, without exiting."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("merchant_desk.crash")


class CrashHandler:
    """Installed as `sys.excepthook`; qasync and owned tasks route unknown errors here."""

    def __init__(self, log_dir: Path | None = None, *, show_dialog: bool = True) -> None:
        self.log_dir = log_dir
        self.show_dialog = show_dialog
        self.count = 0
        self._previous = sys.excepthook

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self

    def uninstall(self) -> None:
        sys.excepthook = self._previous

    def __call__(
        self,
        kind: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous(kind, exc, tb)
            return
        self.count += 1
        text = "".join(traceback.format_exception(kind, exc, tb))
        log.critical("unexpected error\n%s", text)
        if not self.show_dialog or QApplication.instance() is None:
            return
        box = QMessageBox(QApplication.activeWindow())
        box.setObjectName("crashBox")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("Merchant Desk: unexpected error")
        where = f" Details were written to {self.log_dir}." if self.log_dir else ""
        box.setText(
            "Something unexpected went wrong. Your last action may not have finished; "
            "the rest of the desk keeps working." + where
        )
        box.setDetailedText(text)
        box.open()


def configure_logging(log_dir: Path) -> None:
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_dir / "merchant-desk.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
