"""The offline mirror's local store: one SQLite database per store profile.

Only this package touches SQLite for the mirror. Every call runs on the store's single
worker thread (`MirrorStore`), never on the Qt/asyncio thread.
"""

from app.cache.repository import MirrorRepository, OutboxEntry
from app.cache.store import MirrorStore, delete_mirror, mirror_files

__all__ = ["MirrorRepository", "MirrorStore", "OutboxEntry", "delete_mirror", "mirror_files"]
