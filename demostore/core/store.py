"""``DemoStore``: the embedded store's SQLite database behind one worker thread.

The demo server runs inside the Qt GUI thread's asyncio loop, so no database
work may happen on that thread. Every query runs on the single dedicated thread
of an ``app.sqlite_worker.SqliteWorker`` (the mirror's too); callers await the result.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Concatenate, ParamSpec, Self, TypeVar

from app.sqlite_worker import SqliteWorker
from demostore.core.clock import Clock, system_clock
from demostore.core.database import Database

P = ParamSpec("P")
T = TypeVar("T")


class DemoStore:
    """SQLite-backed storage of the demo shop. Open it before use, close it when done."""

    def __init__(self, path: str | Path, *, clock: Clock = system_clock) -> None:
        self.path = path
        self.clock = clock
        self._worker: SqliteWorker[Database] = SqliteWorker("demo-store")

    async def open(self) -> None:
        await self._worker.open(Database, self.path, self.clock)

    async def aclose(self) -> None:
        """Close the database and stop the worker thread (idempotent)."""
        await self._worker.aclose()

    close = aclose

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def call(
        self,
        fn: Callable[Concatenate[Database, P], T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run ``fn(database, *args, **kwargs)`` on the store's worker thread."""
        if not self._worker.is_open:
            raise RuntimeError("DemoStore is not open")
        return await self._worker.call(fn, *args, **kwargs)

    async def customer_count(self) -> int:
        """Number of live (not soft-deleted) customers."""

        def count(db: Database) -> int:
            row = db.conn.execute("SELECT count(*) FROM customer WHERE deleted_at IS NULL")
            return int(row.fetchone()[0])

        return await self.call(count)

    async def publishable_key(self) -> str:
        """Token of the default publishable API key (what ``x-publishable-api-key`` needs)."""

        def token(db: Database) -> str:
            row = db.conn.execute(
                "SELECT token FROM api_key WHERE type = 'publishable' AND revoked_at IS NULL "
                "ORDER BY id LIMIT 1"
            ).fetchone()
            return str(row[0])

        return await self.call(token)
