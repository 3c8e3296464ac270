"""`MirrorRepository`: every table of the mirror over one sqlite3 connection.

The store's worker thread holds one (see `MirrorStore`) and runs callers' functions on
it. Each concern lives in its own module; this class only joins them.
"""

from __future__ import annotations

from app.mirror.activity_rows import ActivityRows
from app.mirror.bulk import BulkLoad
from app.mirror.drafts import Drafts
from app.mirror.estimate import CountEstimates
from app.mirror.fingerprints import Fingerprints
from app.mirror.note_rows import NoteRows
from app.mirror.order_rows import OrderRows
from app.mirror.outbox_rows import OutboxRows
from app.mirror.positions import Positions


class MirrorRepository(
    CountEstimates,
    Positions,
    BulkLoad,
    Fingerprints,
    OrderRows,
    OutboxRows,
    Drafts,
    NoteRows,
    ActivityRows,
):
    """Customer rows, their search, count estimates and rows by position, bulk loading,
    fingerprints, orders, the outbox, drafts, staff notes and the activity record, on one
    connection (with its transactions and meta values)."""
