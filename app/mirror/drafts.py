"""`Drafts`: unsaved form contents kept across restarts (the editor's recovery)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from app.mirror.tables import Tables, to_micros


class Drafts(Tables):
    def put_draft(self, key: str, data: dict[str, Any]) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO draft(key, data, saved_at) VALUES (?, ?, ?)",
                (key, json.dumps(data), to_micros(datetime.now(UTC))),
            )

    def drafts(self) -> dict[str, dict[str, Any]]:
        rows = self.conn.execute("SELECT key, data FROM draft ORDER BY saved_at")
        return {str(r[0]): json.loads(r[1]) for r in rows}

    def delete_draft(self, key: str) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM draft WHERE key = ?", (key,))
