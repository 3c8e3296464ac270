"""Qt ↔ asyncio: every task has an owner, and the owner cancels its tasks when it closes.

This is the only module that imports qasync. qasync's `asyncSlot` keeps no reference to
its task (v0.28) and nothing cancels it when a window closes, so widgets use `TaskOwner`
and `owned_slot` instead.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, Protocol, TypeVar

import qasync
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

T = TypeVar("T")
P = ParamSpec("P")

_owners: weakref.WeakSet[TaskOwner] = weakref.WeakSet()


class TaskOwner:
    """The tasks of one window, dialog or model.

    `on_error` receives every exception except cancellation (the window passes a
    callable that ends in `present_error`), so no failure is silently lost.
    """

    def __init__(self, name: str, on_error: Callable[[BaseException], None] | None = None):
        self.name = name
        self.on_error = on_error
        self._tasks: set[asyncio.Task[Any]] = set()
        self._named: dict[str, asyncio.Task[Any]] = {}
        self._closed = False
        _owners.add(self)

    def __repr__(self) -> str:
        return f"<TaskOwner {self.name} tasks={len(self._tasks)}>"

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def pending(self) -> list[asyncio.Task[Any]]:
        return list(self._tasks)

    def running(self, name: str) -> bool:
        task = self._named.get(name)
        return task is not None and not task.done()

    def run(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        if self._closed:
            coro.close()
            raise RuntimeError(f"{self.name} is closed; no new tasks")
        task = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def run_latest(self, name: str, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """Start `coro`, cancelling the previous task of the same name (latest wins)."""
        self.cancel(name)
        task = self.run(coro)
        self._named[name] = task
        return task

    def cancel(self, name: str) -> None:
        previous = self._named.pop(name, None)
        if previous is not None and not previous.done():
            previous.cancel()

    def cancel_all(self) -> None:
        """Cancel every task but the caller's own (a task may reset its owner's state)."""
        current = _current_task()
        for task in list(self._tasks):
            if task is not current:
                task.cancel()
        self._named = {k: t for k, t in self._named.items() if t is current}

    def close(self) -> None:
        """Cancel everything and refuse new work (the owner's widget is going away)."""
        self._closed = True
        self.cancel_all()

    async def idle(self) -> None:
        """Wait until no task is left (tests; shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        for name, named in list(self._named.items()):
            if named is task:
                del self._named[name]
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            return
        if self._closed:
            # The widget is gone: nobody to tell. Keep the failure in the log.
            log.warning("error after %s closed", self.name, exc_info=exc)
        elif self.on_error is not None:
            self.on_error(exc)
        else:
            log.error("unhandled error in %s", self.name, exc_info=exc)


def _current_task() -> asyncio.Task[Any] | None:
    try:
        return asyncio.current_task()
    except RuntimeError:  # no running loop
        return None


def live_owners() -> list[TaskOwner]:
    return list(_owners)


def cancel_all_owners() -> None:
    for owner in live_owners():
        owner.cancel_all()


async def wait_all_owners_idle() -> None:
    for owner in live_owners():
        await owner.idle()


class HasTaskOwner(Protocol):
    @property
    def tasks(self) -> TaskOwner: ...


S = TypeVar("S", bound=HasTaskOwner)


def owned_slot(
    name: str | None = None,
) -> Callable[[Callable[..., Awaitable[None]]], Callable[..., None]]:
    """Turn `async def method(self, ...)` into a plain slot that runs it on `self.tasks`.

    With a `name`, a new call cancels the still-running previous one (latest wins).
    Errors reach `self.tasks.on_error` (→ present_error with the window as parent).
    Qt passes signal arguments the method does not take (e.g. `checked`); they are dropped.
    """

    def decorate(method: Callable[..., Awaitable[None]]) -> Callable[..., None]:
        wanted = method.__code__.co_argcount - 1  # without self

        @functools.wraps(method)
        def slot(self: HasTaskOwner, *args: Any) -> None:
            coro = method(self, *args[:wanted])
            assert asyncio.iscoroutine(coro)
            if name is None:
                self.tasks.run(coro)
            else:
                self.tasks.run_latest(name, coro)

        return slot

    return decorate


def run_event_loop(app: QApplication, main: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """Run `main()` on a qasync loop over `app` and return its result.

    The loop ends when `main` returns, never through `loop.stop()`/`app.quit()` from a
    widget: `main` waits for the window's close event, then cleans up asynchronously.
    """
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            result: int = loop.run_until_complete(main())
            return result
    finally:
        asyncio.set_event_loop(None)


def make_test_loop(app: QApplication) -> asyncio.AbstractEventLoop:
    """A qasync loop marked running without `exec()`: pytest-qt's waits drive it."""
    loop: asyncio.AbstractEventLoop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    return loop


def attach_owner(widget: QWidget, owner: TaskOwner) -> None:
    """Cancel the owner's tasks when the widget is destroyed (last line of defence)."""
    widget.destroyed.connect(lambda *_: owner.close())
