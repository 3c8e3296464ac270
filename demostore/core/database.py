"""The synchronous side of the demo store: one SQLite connection, used by one thread only."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from demostore.core.clock import Clock, MonotonicMillis, stored_from_ms
from demostore.core.ids import UlidFactory
from demostore.core.jsvalues import JsonValue, dumps_compact, jsonb
from demostore.core.schema import migrate
from demostore.core.sqlfilters import register_functions


def _private_file(path: Path) -> None:
    """The database (and its -wal/-shm, which SQLite creates with the same mode) readable
    by this user only: it holds customers' personal data and password digests."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for existing in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if existing.exists():
            os.chmod(existing, 0o600)


def secret_digest(value: str) -> str:
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()


class Database:
    """Connection plus the helpers every repository needs (ids, time, transactions)."""

    def __init__(self, path: str | Path, clock: Clock) -> None:
        if str(path) != ":memory:":
            _private_file(Path(path))
        # Autocommit mode: transactions are explicit (see ``transaction``).
        self.conn = sqlite3.connect(str(path), isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.millis = MonotonicMillis(clock)
        self.ids = UlidFactory()
        # Secrets sent by "email" (reset and login tokens), by notification id: in memory
        # only, as a mailbox would hold them; the database keeps their digests.
        self.mailbox: dict[str, dict[str, str]] = {}
        try:
            self.conn.execute("PRAGMA foreign_keys = ON")
            if str(path) != ":memory:":
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            register_functions(self.conn)
            migrate(self.conn)
            for table in ("customer", '"order"'):
                newest = self.conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
                if newest:
                    self.ids.observe(newest)  # new ids sort after everything stored
            self._ensure_defaults()
        except BaseException:
            self.conn.close()
            raise

    def seal(self, notification_id: str, secrets_: Mapping[str, str]) -> dict[str, str]:
        """Keep `secrets_` in the mailbox; what to store instead: `<name>_sha256` digests."""
        self.mailbox[notification_id] = dict(secrets_)
        return {f"{name}_sha256": secret_digest(value) for name, value in secrets_.items()}

    def unseal(self, notification_id: str, data: Any) -> Any:
        """A stored notification's data with its secrets back, while this process has them."""
        if isinstance(data, dict) and notification_id in self.mailbox:
            return {**data, **self.mailbox[notification_id]}
        return data

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def now(self) -> str:
        return stored_from_ms(self.millis.now_ms())

    def new_id(self, prefix: str) -> str:
        return self.ids.new(prefix, self.millis.now_ms())

    # --- settings ------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @property
    def admin_user_id(self) -> str:
        value = self.setting("admin_user_id")
        assert value is not None
        return value

    @property
    def admin_auth_identity_id(self) -> str:
        value = self.setting("admin_auth_identity_id")
        assert value is not None
        return value

    def _ensure_defaults(self) -> None:
        """What a fresh Medusa has after migrations: admin user, sales channel, publishable key."""
        if self.setting("admin_user_id") is not None:
            return
        token = "pk_" + secrets.token_hex(32)
        with self.transaction() as conn:
            now = self.now()
            self.set_setting("admin_user_id", self.new_id("user"))
            self.set_setting("admin_auth_identity_id", self.new_id("authid"))
            channel_id = self.new_id("sc")
            conn.execute(
                "INSERT INTO sales_channel (id, name, description, created_at, updated_at) "
                "VALUES (?, 'Default Sales Channel', 'Created by Medusa', ?, ?)",
                (channel_id, now, now),
            )
            conn.execute(
                "INSERT INTO api_key (id, title, token, redacted, type, sales_channel_id, "
                "created_at, updated_at) "
                "VALUES (?, 'Default Publishable API Key', ?, ?, 'publishable', ?, ?, ?)",
                (self.new_id("apk"), token, redact(token), channel_id, now, now),
            )


def redact(token: str) -> str:
    return f"{token[:6]}***{token[-3:]}"


def to_json_text(value: JsonValue) -> str | None:
    """Store a JSON column the way PostgreSQL ``jsonb`` would hand it back."""
    return None if value is None else dumps_compact(jsonb(value))


def from_json_text(text: str | None) -> JsonValue:
    return None if text is None else json.loads(text)


Record = Mapping[str, Any] | sqlite3.Row
"""A database row or an equivalent dict (both support ``row["column"]``)."""


def row_dict(row: sqlite3.Row | None) -> dict[str, Any] | None:
    return None if row is None else dict(zip(row.keys(), tuple(row), strict=True))
