"""`SyncLock`: one sync (and outbox replay) at a time per mirror, across processes.

The desk and a script may open the same mirror. Two full passes at once would fight over
the bulk load and the index build, and two replays would send the same edit twice; an
OS file lock next to the database makes the second wait. The OS drops the lock when
its process dies (kill -9 included), so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from app.domain.errors import CacheUnavailableError, ErrorDetails

POLL_SECONDS = 0.1


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


class SyncLock:
    """Re-entrant within one process (a sync replays the outbox under the same lock)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._owner: asyncio.Task[object] | None = None
        self._depth = 0
        self._local = asyncio.Lock()  # tasks of this process queue here, not on the file

    @property
    def held(self) -> bool:
        return self._depth > 0

    @contextlib.asynccontextmanager
    async def hold(
        self, *, patience: float, on_wait: Callable[[], None] | None = None
    ) -> AsyncIterator[None]:
        """Hold the lock; `on_wait` is called once if another process has it. After
        `patience` seconds of waiting, a clear error rather than a hang."""
        if self._depth and self._owner is asyncio.current_task():  # a sync, replaying
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        async with self._local:
            fd = self._open()
            try:
                await self._acquire(fd, patience, on_wait)
            except BaseException:
                os.close(fd)
                raise
            self._owner, self._depth = asyncio.current_task(), 1
            try:
                yield
            finally:
                self._owner, self._depth = None, 0
                with contextlib.suppress(OSError):
                    _unlock(fd)
                os.close(fd)

    def _open(self) -> int:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            return os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        except OSError as exc:
            raise CacheUnavailableError(
                f"The local copy of the store cannot be locked at {self.path}.",
                details=ErrorDetails(url=str(self.path), body_excerpt=str(exc)[:200]),
            ) from exc

    async def _acquire(self, fd: int, patience: float, on_wait: Callable[[], None] | None) -> None:
        deadline = time.monotonic() + patience
        told = False
        while not _try_lock(fd):
            if not told and on_wait is not None:
                on_wait()
            told = True
            if time.monotonic() >= deadline:
                raise CacheUnavailableError(
                    "Another Merchant Desk (the desk or a script) is syncing this store's "
                    f"local copy and did not finish within {patience:.0f} s; try again later.",
                    details=ErrorDetails(url=str(self.path)),
                    retryable=True,
                )
            await asyncio.sleep(POLL_SECONDS)
