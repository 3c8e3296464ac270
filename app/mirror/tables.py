"""`Tables`: the mirror's one sqlite3 connection, its transactions and meta key/values.

Every method runs on the store's worker thread (see `MirrorStore`). Writes that belong
together (a page of customers and the sync cursor after it) share one transaction, so a
crash leaves the database at a page boundary. The row classes of this package build on
it; `MirrorRepository` joins them over one connection.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICRO = timedelta(microseconds=1)


def to_micros(moment: datetime) -> int:
    """A moment as the tables keep it: microseconds since the epoch."""
    return (moment - EPOCH) // MICRO


def from_micros(value: int) -> datetime:
    return EPOCH + timedelta(microseconds=value)


class Tables:
    """One connection; every write runs in `transaction()`."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # `Search` keeps the trigram matches of the last search in temp.hits (made by
        # `db.connect`), so a page and its count evaluate the expression once. Any write
        # (a transaction) forgets them.
        self._hits: tuple[str, int] | None = None  # (expression, how many)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA optimize")
        self.conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self._hits = None
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            # SQLite may have rolled back already (a full disk, an I/O error): the
            # original error is the one to report, not "no transaction is active".
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- meta --------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, values: dict[str, str | None]) -> None:
        with self.transaction():
            self._set_meta(values)

    def _set_meta(self, values: dict[str, str | None]) -> None:
        for key, value in values.items():
            if value is None:
                self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                self.conn.execute(
                    "INSERT INTO meta(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    def generation(self) -> int:
        return int(self.meta("sync.generation") or 0)
