"""Keeping a store's mirror in step with its backend: full and incremental sync, the
id-set sweep that finds deletions and group changes, and the outbox of offline edits."""

from app.sync.engine import MirrorStatus, SyncEngine, SyncProgress, SyncReport
from app.sync.outbox import Conflict, FieldConflict, Outbox, ReplayReport

__all__ = [
    "Conflict",
    "FieldConflict",
    "MirrorStatus",
    "Outbox",
    "ReplayReport",
    "SyncEngine",
    "SyncProgress",
    "SyncReport",
]
