"""`NoteRows`: staff notes per customer, merged by id (never replaced blindly).

For a store keeping notes in the customer record this is the last copy read (offline
reads, and notes queued meanwhile); for a store with no place for them, the only copy.
A merge keeps tombstones, so a deleted note stays deleted whatever arrives later.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.note import Note, merge_notes
from app.mirror.tables import Tables


class NoteRows(Tables):
    def notes(self, customer_id: str) -> list[Note]:
        """The customer's notes, tombstones included, oldest first."""
        rows = self.conn.execute(
            "SELECT data FROM customer_note WHERE customer_id = ?", (customer_id,)
        )
        return merge_notes(Note.model_validate_json(r[0]) for r in rows)

    def merge_notes(self, customer_id: str, notes: Iterable[Note]) -> list[Note]:
        """Merge `notes` into the customer's (per id, the newer copy wins); returns all."""
        with self.transaction():
            merged = merge_notes(self.notes(customer_id), notes)
            self.conn.executemany(
                "INSERT INTO customer_note(customer_id, id, data) VALUES (?, ?, ?) "
                "ON CONFLICT(customer_id, id) DO UPDATE SET data = excluded.data",
                [(customer_id, n.id, n.model_dump_json()) for n in merged],
            )
        return merged
