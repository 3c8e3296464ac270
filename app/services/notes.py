"""`NotesService`: staff notes on a customer, as the UI, the CLI and the timeline read them.

Where they live depends on the store (`storage`): in the customer record where the store
has a place (`Capability.NOTES`: a reserved metadata key, merged by note id so two desks
writing at once lose nothing), else in this computer's local copy only. Offline, notes
for the store are queued in the outbox like other edits and shown from the local copy.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from app.backends.notes import MetadataNotes
from app.backends.protocols import Backend
from app.domain.capabilities import Capability
from app.domain.errors import (
    AppError,
    CacheBugError,
    CacheUnavailableError,
    ConnectionFailedError,
    FieldError,
    NotFoundError,
    OfflineError,
    ValidationFailedError,
)
from app.domain.note import MAX_NOTE_LENGTH, Note, NoteStorage, merge_notes, shown
from app.mirror.service import MirrorService
from app.services.customers import WriteOutcome

log = logging.getLogger(__name__)
MICROSECOND = timedelta(microseconds=1)


def _now() -> datetime:
    return datetime.now(UTC)


def check_body(body: str) -> str:
    """A note's text as kept: trimmed, not empty, not too long."""
    text = body.strip()
    if not text:
        problem = "Write something first: an empty note is not saved."
    elif len(text) > MAX_NOTE_LENGTH:
        problem = f"A note holds at most {MAX_NOTE_LENGTH} characters (this one has {len(text)})."
    else:
        return text
    raise ValidationFailedError(problem, field_errors=(FieldError("body", problem),))


class NotesService:
    def __init__(
        self,
        backend: Backend,
        mirror: MirrorService | None,
        author: str,
        *,
        queue_offline: bool = True,
        clock: Callable[[], datetime] = _now,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self._mirror = mirror
        self._store = MetadataNotes(backend) if Capability.NOTES in backend.capabilities else None
        self.author = author
        self.queue_offline = queue_offline
        self._clock = clock
        self._new_id = new_id
        self.last_write = WriteOutcome()

    @property
    def storage(self) -> NoteStorage:
        if self._store is not None:
            return NoteStorage.STORE
        return NoteStorage.LOCAL if self._mirror is not None else NoteStorage.NONE

    @property
    def available(self) -> bool:
        return self.storage is not NoteStorage.NONE

    # --- reading -----------------------------------------------------------------------

    async def notes(self, customer_id: str) -> list[Note]:
        """The customer's notes, newest first, without deleted ones (offline: the local
        copy's, with those queued)."""
        return shown(await self._all(customer_id))

    async def queued(self, customer_id: str) -> frozenset[str]:
        """Ids of the notes written offline and not yet in the store."""
        if self._mirror is None or self._store is None:
            return frozenset()
        return await self._mirror.queued_note_ids(customer_id)

    async def _all(self, customer_id: str) -> list[Note]:
        mirror, store = self._mirror, self._store
        if store is None:
            return await self._local(mirror).notes(customer_id)
        if mirror is None:
            notes, _ = await store.read(customer_id)
            return notes
        if mirror.online or not mirror.covers_offline:
            try:
                notes, customer = await store.read(customer_id)
            except ConnectionFailedError as exc:
                if not mirror.covers_offline:
                    raise
                mirror.went_offline(exc)
            else:
                await self._keep(lambda: mirror.keep_customer(customer))
                await self._keep(lambda: self._resend_lost(mirror, customer_id, notes))
                await self._keep(lambda: mirror.keep_notes(customer_id, notes))
                # The store's are the record; those still queued here come on top.
                return merge_notes(notes, await mirror.queued_notes(customer_id))
        if await mirror.customer(customer_id) is None:
            raise OfflineError(
                "This customer is not in the local copy, and the store is unreachable."
            )
        return await mirror.notes(customer_id)

    async def _resend_lost(
        self, mirror: MirrorService, customer_id: str, in_store: list[Note]
    ) -> None:
        """Queue again this desk's notes the store no longer has at all.

        Deleted notes stay in the store as tombstones, so a note of ours missing entirely
        was dropped by another desk's write landing after our write's checks (the stores
        offer no compare-and-swap), or by someone clearing the key by hand. The next sync
        merges it back in."""
        have = {n.id for n in in_store}
        queued = await mirror.queued_note_ids(customer_id)
        lost = [
            n
            for n in await mirror.notes(customer_id)
            if n.author == self.author and n.id not in have and n.id not in queued
        ]
        for note in lost:
            log.info("notes of %s: the store lost note %s; queued again", customer_id, note.id)
            await mirror.queue_note(customer_id, note)
        if lost:
            mirror.request_sync()

    # --- writing -----------------------------------------------------------------------

    async def add(self, customer_id: str, body: str) -> Note:
        now = self._clock()
        note = Note(
            id=self._new_id(),
            body=check_body(body),
            author=self.author,
            created_at=now,
            updated_at=now,
        )
        await self._write(customer_id, note)
        return note

    async def edit(self, customer_id: str, note_id: str, body: str) -> Note:
        current = await self._find(customer_id, note_id)
        note = current.model_copy(
            update={
                "body": check_body(body),
                "author": self.author,
                "updated_at": self._after(current),
            }
        )
        await self._write(customer_id, note)
        return note

    async def delete(self, customer_id: str, note_id: str) -> None:
        current = await self._find(customer_id, note_id)
        when = self._after(current)
        tombstone = current.model_copy(
            update={"body": "", "author": self.author, "updated_at": when, "deleted_at": when}
        )
        await self._write(customer_id, tombstone)

    def _after(self, current: Note) -> datetime:
        # Later than the copy it replaces, even with a clock behind another desk's.
        return max(self._clock(), current.updated_at + MICROSECOND)

    async def _find(self, customer_id: str, note_id: str) -> Note:
        for note in await self._all(customer_id):
            if note.id == note_id and not note.deleted:
                return note
        raise NotFoundError("This note no longer exists (deleted on another desk?).")

    async def _write(self, customer_id: str, note: Note) -> None:
        mirror, store = self._mirror, self._store
        self.last_write = WriteOutcome()
        if store is None:
            await self._local(mirror).keep_notes(customer_id, [note])
            return
        if mirror is None or mirror.online or not mirror.covers_offline:
            try:
                result = await store.write(customer_id, [note])
            except ConnectionFailedError as exc:
                if mirror is None or not mirror.covers_offline:
                    raise
                mirror.went_offline(exc)
            else:
                if mirror is not None:
                    if result.customer is not None:
                        customer = result.customer
                        await self._keep(lambda: mirror.keep_customer(customer))
                    await self._keep(lambda: mirror.keep_notes(customer_id, result.notes))
                return
        if not self.queue_offline:
            raise OfflineError(
                "The store's server is unreachable and queuing is off: the note was not saved."
            )
        # Replay merges it by id: sent once, even when the store got it before the failure.
        await mirror.queue_note(customer_id, note)
        self.last_write = WriteOutcome(queued=True)

    async def _keep(self, keep: Callable[[], Awaitable[object]]) -> None:
        """Update the local copy after the store answered; its failure never turns the
        store's success into an error (the next read or sync catches up)."""
        try:
            await keep()
        except (CacheUnavailableError, CacheBugError) as exc:
            log.info("notes: the local copy was not updated: %s", exc)
            self.last_write = WriteOutcome(
                mirror_problem="Saved in the store, but the local copy could not be updated: "
                f"{exc.user_message}"
            )
        except AppError as exc:
            log.info("notes: the local copy was not updated: %s", exc)

    @staticmethod
    def _local(mirror: MirrorService | None) -> MirrorService:
        if mirror is None:
            raise OfflineError(NoteStorage.NONE.notice)
        return mirror
