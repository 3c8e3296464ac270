"""`SqliteWorker`: a database handle owned by one dedicated thread, awaited from asyncio.

The app's (and the demo server's) asyncio loop is the Qt GUI thread's loop, so no SQLite
work may run on it. One worker thread opens the handle, runs every call on it and closes
it, which also gives SQLite's one-connection-one-thread rule for free. Shared by the
mirror (`app.mirror.store`) and the demo store (`demostore.core.store`); it imports
nothing of either, nor sqlite3: each store maps its own errors.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Concatenate, Generic, ParamSpec, Protocol, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class Closable(Protocol):
    def close(self) -> None: ...


H = TypeVar("H", bound=Closable)


class SqliteWorker(Generic[H]):
    """Holds handle `H` (a connection or what wraps one) on its own thread.

    Open it once, `call` on it, close it; once closed (or after a failed open) the thread
    is gone and the worker cannot be reopened.
    """

    def __init__(self, thread_name: str) -> None:
        self.thread_name = thread_name
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=thread_name)
        self._handle: H | None = None

    @property
    def is_open(self) -> bool:
        return self._handle is not None

    async def open(self, factory: Callable[P, H], /, *args: P.args, **kwargs: P.kwargs) -> None:
        """Build the handle on the worker thread (no-op when open); a failure stops the thread."""
        if self._handle is None:
            try:
                self._handle = await self._submit(factory, *args, **kwargs)
            except BaseException:
                self._executor.shutdown(wait=False)
                raise

    async def call(
        self,
        fn: Callable[Concatenate[H, P], T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run `fn(handle, *args, **kwargs)` on the worker thread."""
        handle = self._handle
        if handle is None:
            raise RuntimeError(f"The {self.thread_name} database is not open")
        return await self._submit(fn, handle, *args, **kwargs)

    async def aclose(self) -> None:
        """Close the handle on its thread and stop the thread (idempotent).

        The thread stops even when closing the handle raises (the error propagates).
        """
        try:
            if self._handle is not None:
                handle, self._handle = self._handle, None
                await self._submit(handle.close)
        finally:
            self._executor.shutdown(wait=False)

    def close_now(self) -> None:
        """Close from a synchronous context (no loop running): waits for the thread."""
        try:
            if self._handle is not None:
                handle, self._handle = self._handle, None
                self._executor.submit(handle.close).result()
        finally:
            self._executor.shutdown(wait=True)

    async def _submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: fn(*args, **kwargs))
