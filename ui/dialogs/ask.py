"""Questions awaited from a coroutine without a nested event loop.

`QMessageBox.open()` shows the box window-modal and returns at once; the coroutine
awaits a future that the box's `finished` signal resolves. Never `exec()` here.
"""

from __future__ import annotations

import asyncio

import shiboken6
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

Button = QMessageBox.StandardButton


async def finished(dialog: QDialog) -> int:
    """Open `dialog` (window-modal, non-blocking) and wait for its result code."""
    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def done(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(done)
    dialog.open()
    try:
        return await future
    except asyncio.CancelledError:
        if shiboken6.isValid(dialog):
            dialog.reject()  # the owner is closing: take the question away with it
        raise


async def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: Button,
    default: Button,
    *,
    informative: str = "",
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
) -> Button:
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setObjectName("questionBox")
    box.setDefaultButton(default)
    if informative:
        box.setInformativeText(informative)
    await finished(box)
    answer = box.standardButton(box.clickedButton())
    box.deleteLater()
    return answer if answer != Button.NoButton else Button.Cancel


async def confirm(
    parent: QWidget | None, title: str, text: str, action: str, *, informative: str = ""
) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, Button.Cancel, parent)
    box.setObjectName("confirmBox")
    ok = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(Button.Cancel)
    if informative:
        box.setInformativeText(informative)
    await finished(box)
    accepted = box.clickedButton() is ok
    box.deleteLater()
    return accepted
