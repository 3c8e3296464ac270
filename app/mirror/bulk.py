"""`BulkLoad`: filling an empty mirror fast, then indexing everything at once."""

from __future__ import annotations

from app.mirror.schema import CUSTOMER_TRIGGERS, SORT_INDEXES
from app.mirror.tables import Tables


class BulkLoad(Tables):
    def begin_bulk(self) -> None:
        """Before filling an empty mirror: no search index or sort indexes until the end."""
        with self.transaction():
            for name in ("customer_ai", "customer_ad", "customer_au"):
                self.conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            for (name,) in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'customer_by_%'"
            ).fetchall():
                self.conn.execute(f"DROP INDEX {name}")
            self._set_meta({"bulk": "1"})

    def end_bulk(self) -> None:
        """Build the search index and the sort indexes over everything loaded."""
        if self.meta("bulk") is None:
            return
        with self.transaction():
            self.conn.execute("INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')")
            for statement in (*CUSTOMER_TRIGGERS, *SORT_INDEXES):
                self.conn.execute(statement)
            self._set_meta({"bulk": None})
        self.conn.execute("PRAGMA optimize")
