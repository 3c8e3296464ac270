"""`MirrorStore`: the mirror database behind one worker thread.

The app's asyncio loop is the Qt GUI thread's loop, so no SQLite work may run on it:
an `app.sqlite_worker.SqliteWorker` owns the connection on its own thread and callers
await the result; this class maps SQLite's errors to the app's error tree.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from app.domain.errors import CacheBugError, CacheUnavailableError, ErrorDetails
from app.mirror import db
from app.mirror.lock import SyncLock
from app.mirror.repository import MirrorRepository
from app.sqlite_worker import SqliteWorker

P = ParamSpec("P")
T = TypeVar("T")

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def mirror_files(directory: Path, store_name: str) -> list[Path]:
    """The database of a store's mirror, SQLite's side files (-wal, -shm) and the sync lock."""
    # Profile names may hold spaces and differ only in case: add a short hash.
    digest = hashlib.sha256(store_name.encode()).hexdigest()[:8]
    base = directory / f"{_UNSAFE.sub('_', store_name)}-{digest}.sqlite3"
    return [base, *(base.with_name(base.name + end) for end in ("-wal", "-shm", "-sync"))]


class MirrorStore:
    """One store's mirror database. Open it before use, close it when done."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sync_lock = SyncLock(path.with_name(path.name + "-sync"))
        self._worker: SqliteWorker[MirrorRepository] = SqliteWorker("mirror")

    @classmethod
    def for_store(cls, directory: Path, store_name: str) -> MirrorStore:
        return cls(mirror_files(directory, store_name)[0])

    @property
    def is_open(self) -> bool:
        return self._worker.is_open

    async def open(self) -> None:
        with self._sqlite_errors():
            await self._worker.open(_open_repository, self.path)

    async def aclose(self) -> None:
        """Close the database and stop the worker (idempotent)."""
        # A failing close loses nothing (every write committed): the worker stops anyway.
        with contextlib.suppress(Exception):
            await self._worker.aclose()

    def close_now(self) -> None:
        """Close from a synchronous context (no loop running): waits for the worker."""
        with self._sqlite_errors():
            self._worker.close_now()

    async def call(
        self,
        fn: Callable[Concatenate[MirrorRepository, P], T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run `fn(repository, *args, **kwargs)` on the worker thread."""
        if not self._worker.is_open:
            raise CacheUnavailableError("The local copy of the store is closed.")
        with self._sqlite_errors():
            return await self._worker.call(fn, *args, **kwargs)

    @contextlib.contextmanager
    def _sqlite_errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise database_error(self.path, exc) from exc


def _open_repository(path: Path) -> MirrorRepository:
    return MirrorRepository(db.connect(path))


def database_error(path: Path, exc: sqlite3.Error) -> CacheUnavailableError | CacheBugError:
    """A SQLite failure as the one error tree has it: the environment (another program
    holds the file, a full or failing disk) or a damaged file / a bug."""
    details = ErrorDetails(url=str(path), body_excerpt=str(exc)[:200])
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return CacheUnavailableError(
            "The local copy of the store is in use by another Merchant Desk (the desk or a "
            "script) and stayed locked; try again when it has finished.",
            details=details,
            retryable=True,
        )
    if "full" in text or "i/o" in text or "readonly" in text or "read-only" in text:
        return CacheUnavailableError(
            f"The local copy of the store could not be written at {path}: the disk is full, "
            "failing or read-only. Free some space (or fix the disk) and try again.",
            details=details,
            retryable=True,
        )
    if isinstance(exc, sqlite3.OperationalError):
        return CacheUnavailableError(
            f"The local copy of the store at {path} is not usable: {exc}.", details=details
        )
    return CacheBugError(
        f"The local copy of the store at {path} is damaged. Forget the store's local copy "
        "to rebuild it.",
        details=details,
    )


def delete_mirror(directory: Path, store_name: str) -> bool:
    """Remove a store's mirror files; True if there were any. The store must be closed."""
    found = False
    for path in mirror_files(directory, store_name):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            found = True
    return found
