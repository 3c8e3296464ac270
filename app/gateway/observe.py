"""Watching the requests a task sends, without touching the adapters that send them.

The store doctor sets an observer for its own task (a context variable, so the desk's other
tasks on the same store are not watched): it records what each probe sent and what came
back, and refuses anything that would change the store before it leaves the machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol


class RequestObserver(Protocol):
    def sending(self, method: str, path: str) -> None:
        """Called before a request goes out; raising stops it from being sent."""

    def answered(self, method: str, path: str, status: int | None) -> None:
        """Called once per attempt: the HTTP status, or None when no answer came."""


_current: ContextVar[RequestObserver | None] = ContextVar("request_observer", default=None)


def current_observer() -> RequestObserver | None:
    return _current.get()


@contextmanager
def observing(observer: RequestObserver) -> Iterator[None]:
    """Within this block (and tasks it starts) requests report to `observer`."""
    token = _current.set(observer)
    try:
        yield
    finally:
        _current.reset(token)
