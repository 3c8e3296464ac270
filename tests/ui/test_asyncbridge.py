"""TaskOwner, owned_slot and present_error, without a store."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.domain.errors import ErrorDetails, FieldError, ServerError, ValidationFailedError
from tests.ui.conftest import find_box, visible_box
from ui.asyncbridge import TaskOwner, owned_slot
from ui.errors import present_error


def test_run_latest_cancels_the_previous_task(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    owner = TaskOwner("test")
    first = owner.run_latest("search", asyncio.sleep(10))
    second = owner.run_latest("search", asyncio.sleep(0, result="done"))
    qtbot.waitUntil(lambda: first.done() and second.done())
    assert first.cancelled()
    assert second.result() == "done"
    assert not owner.busy


def test_cancel_all_and_close(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    owner = TaskOwner("test")
    tasks = [owner.run(asyncio.sleep(10)) for _ in range(3)]
    owner.close()
    qtbot.waitUntil(lambda: all(t.done() for t in tasks))
    assert all(t.cancelled() for t in tasks)
    coro = asyncio.sleep(0)
    try:
        owner.run(coro)
    except RuntimeError:
        pass
    else:
        raise AssertionError("a closed owner must refuse new tasks")


class Widget(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.errors: list[BaseException] = []
        self.tasks = TaskOwner("widget", self.errors.append)
        self.calls: list[int] = []

    @owned_slot("work")
    async def on_work(self, value: int) -> None:
        await asyncio.sleep(0.01)
        self.calls.append(value)
        if value < 0:
            raise ServerError()


def test_owned_slot_drops_extra_signal_args_and_routes_errors(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    widget = Widget()
    qtbot.addWidget(widget)
    widget.on_work(1, "extra signal argument")
    qtbot.waitUntil(lambda: widget.calls == [1])
    widget.on_work(-1)
    qtbot.waitUntil(lambda: bool(widget.errors))
    assert isinstance(widget.errors[0], ServerError)


def test_owned_slot_latest_wins(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    widget = Widget()
    qtbot.addWidget(widget)
    widget.on_work(1)
    widget.on_work(2)
    qtbot.waitUntil(lambda: not widget.tasks.busy)
    assert widget.calls == [2]
    assert widget.errors == []


def test_present_error_dialog_has_details_and_retry(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    retried: list[bool] = []
    exc = ServerError(details=ErrorDetails(status=503, request_id="req_1"))
    present_error(parent, exc, retry=lambda: retried.append(True))
    box = visible_box(qtbot, "errorBox")
    assert box.text() == exc.user_message
    assert "request_id: req_1" in box.detailedText()
    assert "Traceback" not in box.detailedText()
    retry = next(b for b in box.buttons() if b.text() == "Retry")
    retry.click()
    assert retried == [True]


def test_present_error_ignores_cancellation(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    present_error(parent, asyncio.CancelledError())
    qtbot.wait(20)
    assert find_box("errorBox") is None


class Form(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []

    def show_field_errors(self, exc: ValidationFailedError) -> bool:
        self.shown = [e.field for e in exc.field_errors]
        return True


def test_present_error_puts_field_errors_inline(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    form = Form()
    child = QWidget(form)
    qtbot.addWidget(form)
    exc = ValidationFailedError(field_errors=(FieldError("email", "taken"),))
    present_error(child, exc)
    assert form.shown == ["email"]
    qtbot.wait(20)
    assert find_box("errorBox") is None
    for box in form.findChildren(QMessageBox):
        box.done(0)
