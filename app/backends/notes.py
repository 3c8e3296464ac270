"""Staff notes kept in the customer record, for any backend declaring `Capability.NOTES`.

The notes of a customer are one metadata value (`NOTES_METADATA_KEY`, JSON text), so a
write replaces the whole list: two desks writing at once would lose one desk's notes.
Each write is therefore a cycle: read the store's notes, merge ours in by id
(`app.domain.note.merge_notes`), write, read back and check ours are there, and once
more a moment later (`SETTLE_SECONDS`); when a concurrent write replaced ours, the cycle
runs again on what that desk wrote. The stores offer no compare-and-swap on metadata, so
a concurrent write landing later than that still wins; the other desk's next write of
the customer's notes then carries only what it read.

Only the reserved key is sent: Medusa merges metadata per key [Medusa 2.21.2
@medusajs/utils mergeMetadata], the Chec adapter reads `meta`, applies the patch and
sends it whole, so other keys are kept either way.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from app.backends.protocols import Backend, SupportsCustomerDirectory, SupportsCustomerWrite
from app.domain.capabilities import Capability
from app.domain.customer import Customer
from app.domain.errors import (
    AppError,
    BadResponseError,
    ConflictError,
    UnsupportedOperationError,
    ValidationFailedError,
)
from app.domain.note import (
    MAX_ENCODED_NOTES,
    NOTES_METADATA_KEY,
    Note,
    NotesUnreadableError,
    contains,
    decode_notes,
    encode_notes,
    merge_notes,
    request_size,
)
from app.domain.patch import CustomerPatch, MetadataPatch

log = logging.getLogger(__name__)

WRITE_ATTEMPTS = 4
# How long after a write that read back fine its notes are read once more. Without a
# compare-and-swap (Medusa and Chec have none for metadata) a desk that read before our
# write lands its own list afterwards; a round trip or two is the usual gap.
SETTLE_SECONDS = 0.3


class NotesFullError(ValidationFailedError):
    default_message = "This customer's notes are full: delete old notes to add more."


def notes_of(customer: Customer) -> list[Note]:
    """The notes (tombstones included) in a customer record."""
    try:
        return decode_notes(customer.metadata.get(NOTES_METADATA_KEY))
    except NotesUnreadableError as exc:
        raise BadResponseError(
            "This customer's notes in the store are in a form Merchant Desk does not read "
            "(written by a newer version?); they were left untouched.",
        ) from exc


@dataclass(frozen=True, slots=True)
class WriteResult:
    notes: list[Note]  # the store's notes after the write (tombstones included)
    customer: Customer | None  # the record as last read, when the read succeeded
    attempts: int


class MetadataNotes:
    """Read and merge-write a customer's notes through the backend's customer record."""

    def __init__(
        self,
        backend: Backend,
        *,
        attempts: int = WRITE_ATTEMPTS,
        settle: float = SETTLE_SECONDS,
        pause: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if Capability.NOTES not in backend.capabilities:
            raise UnsupportedOperationError("This store has no place for notes.")
        assert isinstance(backend, SupportsCustomerDirectory)
        assert isinstance(backend, SupportsCustomerWrite)
        self._directory: SupportsCustomerDirectory = backend
        self._writer: SupportsCustomerWrite = backend
        self._attempts = attempts
        self._settle = settle
        self._pause = pause

    async def read(self, customer_id: str) -> tuple[list[Note], Customer]:
        customer = await self._directory.get_customer(customer_id)
        return notes_of(customer), customer

    async def write(self, customer_id: str, mine: Sequence[Note]) -> WriteResult:
        """Merge `mine` into the store's notes until a read-back shows them.

        Once the store accepted a write, a failing read-back does not make it an error
        (the write stands; the result then carries what was sent)."""
        notes, customer = await self.read(customer_id)
        for attempt in range(1, self._attempts + 1):
            merged = merge_notes(notes, mine)
            if contains(notes, mine) and merged == notes:
                return WriteResult(notes, customer, attempt)  # the store has them already
            value = encode_notes(merged)
            if request_size(value) > MAX_ENCODED_NOTES:
                raise NotesFullError()
            patch = CustomerPatch(metadata=MetadataPatch(set={NOTES_METADATA_KEY: value}))
            await self._writer.update_customer(customer_id, patch)
            try:
                notes, customer = await self.read(customer_id)
            except AppError as exc:  # accepted: the write stands
                log.info("notes saved; the read-back failed: %s", exc)
                return WriteResult(merged, None, attempt)
            if contains(notes, mine):
                # A desk that read before our write may still be sending its own list
                # (without ours): look once more after it had time to land.
                await self._pause(self._settle)
                try:
                    notes, customer = await self.read(customer_id)
                except AppError as exc:
                    log.info("notes saved; the second read-back failed: %s", exc)
                    return WriteResult(merged, None, attempt)
                if contains(notes, mine):
                    return WriteResult(notes, customer, attempt)
            # Another desk's write replaced ours in between: merge again on top of theirs.
            log.info("notes of %s: a concurrent write replaced ours (try %d)", customer_id, attempt)
            await self._pause(random.uniform(0.05, 0.25) * attempt)
        raise ConflictError(
            "Other desks kept changing this customer's notes at the same time; "
            "yours were not saved. Try again."
        )
