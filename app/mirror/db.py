"""Opening the mirror database: file mode 0600, WAL, schema version checks, migrations.

Runs on the store's worker thread. Environment failures (permissions, disk, lock, a
schema from a newer app) become `CacheUnavailableError`; a damaged file `CacheBugError`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from app.domain.errors import CacheBugError, CacheUnavailableError, ErrorDetails
from app.mirror import collation, order_figures, text
from app.mirror.schema import CURRENT, MIGRATIONS, Version

# How long a write waits for another connection (the desk, a script) to finish its own.
BUSY_TIMEOUT_MS = 5000


def _details(path: Path, exc: BaseException) -> ErrorDetails:
    return ErrorDetails(url=str(path), body_excerpt=str(exc)[:200])


def _create_private(path: Path) -> None:
    """Create the file 0600 before SQLite does (SQLite gives -wal/-shm the same mode)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def connect(path: Path) -> sqlite3.Connection:
    try:
        _create_private(path)
        # Autocommit mode: transactions are explicit (`transaction()`), so a write never
        # lingers in an implicit one between calls.
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=True)
    except (OSError, sqlite3.Error) as exc:
        raise CacheUnavailableError(
            f"The local copy of the store cannot be opened at {path}.",
            details=_details(path, exc),
        ) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode is durable against application crashes (only an OS crash
        # may lose the last commits), and a commit stays cheap.
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = OFF")
        # Searches touch the customer table, its sort indexes and the trigram index
        # (~60 MB at 100,000 customers): a 64 MB page cache (filled only as used) keeps
        # them off the read() path; SQLite's default is 2 MB.
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.create_function("like_any", -1, text.like_any, deterministic=True)
        # What migrations compute rows with (`schema.V3_0`), as `CustomerRows` does.
        conn.create_function("search_text", 5, text.search_text, deterministic=True)
        conn.create_function("name_key", 2, collation.name_key, deterministic=True)
        # What `schema.V4_0` moves the 3.0 order copies over with.
        conn.create_function("micros", 1, order_figures.iso_micros, deterministic=True)
        conn.create_function("amount_units", 1, order_figures.units, deterministic=True)
        migrate(conn, path)
        order_figures.refigure_migrated(conn)
        # A search's trigram matches, kept for its page and count (`app.mirror.search`).
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS hits (rid INTEGER PRIMARY KEY)")
    except sqlite3.DatabaseError as exc:
        conn.close()
        if isinstance(exc, sqlite3.OperationalError):
            raise CacheUnavailableError(
                f"The local copy of the store at {path} is not usable: {exc}.",
                details=_details(path, exc),
            ) from exc
        raise CacheBugError(
            f"The local copy of the store at {path} is damaged. Forget the store's local "
            "copy to rebuild it.",
            details=_details(path, exc),
        ) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def schema_version(conn: sqlite3.Connection) -> Version:
    return Version.decode(int(conn.execute("PRAGMA user_version").fetchone()[0]))


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    found = schema_version(conn)
    if found.major > CURRENT.major:
        raise CacheUnavailableError(
            f"The local copy of the store at {path} was written by a newer Merchant Desk "
            f"(schema {found}, this version knows {CURRENT}). Update the app, or forget "
            "the store's local copy.",
            details=ErrorDetails(url=str(path)),
        )
    steps = [v for v in sorted(MIGRATIONS) if v > found and v.major >= found.major]
    if not steps:
        return  # current, or a newer minor of the same major: additive, still readable
    conn.execute("BEGIN IMMEDIATE")
    try:
        for version in steps:
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version.encode()}")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
