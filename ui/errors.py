"""The one place that decides how an error reaches staff: inline, status bar or dialog.

Rules (architecture §3.8): cancellation shows nothing; a `ValidationFailedError` goes
next to the form fields when the window can show them; an unreachable store marks the
window offline; every other `AppError` gets a dialog with "Details…" and, where trying
again can help, a Retry button. Anything that is not an `AppError` is a bug and goes to
the crash handler: staff never see a traceback for an expected failure.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.errors import (
    AppError,
    ConnectionFailedError,
    RateLimitedError,
    ValidationFailedError,
)


@runtime_checkable
class FieldErrorSink(Protocol):
    """A form that can show `ValidationFailedError.field_errors` beside its fields."""

    def show_field_errors(self, exc: ValidationFailedError) -> bool:
        """Show them; True when every field error found its field."""
        ...


@runtime_checkable
class StatusSink(Protocol):
    """A window with a status bar and a connection indicator."""

    def show_status(self, message: str, timeout_ms: int = 0) -> None: ...

    def set_offline(self, message: str) -> None: ...


def _ancestors(widget: QObject | None) -> list[QObject]:
    chain: list[QObject] = []
    while widget is not None:
        chain.append(widget)
        widget = widget.parent()
    return chain


def _find(parent: QObject | None, kind: type[object]) -> object | None:
    return next((w for w in _ancestors(parent) if isinstance(w, kind)), None)


def error_box(
    parent: QWidget | None, exc: AppError, retry: Callable[[], None] | None = None
) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("errorBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Merchant Desk")
    box.setText(exc.user_message)
    details = exc.details.lines()
    if details:
        box.setDetailedText("\n".join(details))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    if exc.retryable and retry is not None:
        retry_button = box.addButton("Retry", QMessageBox.ButtonRole.AcceptRole)
        retry_button.setObjectName("retryButton")
        box.setDefaultButton(retry_button)

        def on_click(button: object) -> None:
            if button is retry_button:
                retry()

        box.buttonClicked.connect(on_click)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box


def present_error(
    parent: QWidget | None,
    exc: BaseException,
    *,
    retry: Callable[[], None] | None = None,
    background: bool = False,
) -> None:
    """Show `exc` to staff. `background`: the user did not ask for this (a list page,
    a refresh), so a status-bar message is enough where the window has one."""
    if isinstance(exc, asyncio.CancelledError):
        return
    if not isinstance(exc, AppError):
        # A bug: the crash handler logs it with its traceback and tells staff.
        sys.excepthook(type(exc), exc, exc.__traceback__)
        return
    status = _find(parent, StatusSink)
    assert status is None or isinstance(status, StatusSink)
    if isinstance(exc, ValidationFailedError) and exc.field_errors:
        sink = _find(parent, FieldErrorSink)
        if isinstance(sink, FieldErrorSink) and sink.show_field_errors(exc):
            if status is not None:
                status.show_status(exc.user_message, 8000)
            return
    if isinstance(exc, ConnectionFailedError) and status is not None:
        status.set_offline(exc.user_message)
    if background and status is not None:
        wait = ""
        if isinstance(exc, RateLimitedError) and exc.retry_after is not None:
            wait = f" (try again in {int(exc.retry_after.total_seconds())} s)"
        status.show_status(exc.user_message + wait, 10000)
        return
    # Window-modal but not blocking: open() returns at once, the loop keeps running.
    error_box(parent, exc, retry).open()
