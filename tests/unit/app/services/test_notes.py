"""`NotesService` on the demo stores: kept in the customer record (Medusa and Chec
dialects), two desks at once, offline queue and replay, local only (Elastic Path)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from app.backends.notes import MetadataNotes
from app.backends.protocols import Backend
from app.domain.customer import Customer
from app.domain.errors import (
    BadResponseError,
    ConnectionFailedError,
    NotFoundError,
    ValidationFailedError,
)
from app.domain.note import NOTES_METADATA_KEY, NoteStorage, encode_notes
from app.domain.patch import CustomerPatch, MetadataPatch
from app.domain.query import CustomerQuery
from app.services.context import Services, StoreContext
from app.services.notes import NotesService
from tests.unit.app.mirror.helpers import mirror_of, set_offline


async def _open(name: str) -> StoreContext:
    ctx = await Services.create().open_store(name, demo_customers=60)
    await mirror_of(ctx).sync()
    return ctx


@pytest_asyncio.fixture
async def ctx(app_home: Path) -> AsyncIterator[StoreContext]:
    context = await _open("demo")
    yield context
    await context.aclose()


async def _customer_id(ctx: StoreContext) -> str:
    page = await ctx.customers.search(CustomerQuery(page_size=3))
    return page.items[1].id


@pytest.mark.asyncio
@pytest.mark.parametrize("store", ["demo", "demo-chec"])
async def test_notes_are_kept_in_the_customer_record(app_home: Path, store: str) -> None:
    ctx = await _open(store)
    try:
        notes = ctx.notes
        assert notes.storage is NoteStorage.STORE
        cid = await _customer_id(ctx)
        # An ordinary key beside the notes: Chec's dialect replaces `meta` whole on update.
        await ctx.customers.update(cid, CustomerPatch(metadata=MetadataPatch(set={"vip": "yes"})))
        before = await ctx.backend.get_customer(cid)  # type: ignore[attr-defined]
        assert before.metadata["vip"] == "yes"
        first = await notes.add(cid, "  Called about #3057, promised a refund.  ")
        second = await notes.add(cid, "Prefers email.\nNo calls after 6pm.")
        assert first.body == "Called about #3057, promised a refund."
        assert first.author == "demo staff"
        edited = await notes.edit(cid, first.id, "Refund sent.")
        assert edited.updated_at > first.updated_at
        await notes.delete(cid, second.id)
        # A second desk (no local copy) reads the store's record.
        other = NotesService(ctx.backend, None, "b@example.com")
        seen = await other.notes(cid)
        assert [(n.id, n.body) for n in seen] == [(first.id, "Refund sent.")]
        # The other metadata keys are untouched; the notes key sits beside them.
        after: Customer = await ctx.backend.get_customer(cid)  # type: ignore[attr-defined]
        assert {k: v for k, v in after.metadata.items() if k != NOTES_METADATA_KEY} == dict(
            before.metadata
        )
        with pytest.raises(NotFoundError):
            await other.edit(cid, second.id, "back from the dead?")
        with pytest.raises(ValidationFailedError):
            await notes.add(cid, "   ")
    finally:
        await ctx.aclose()


class _Interleaved:
    """A backend whose next reads of customers wait for each other: both desks read the
    same notes before either writes, as two desks clicking at once would."""

    def __init__(self, backend: Backend, barrier: asyncio.Barrier) -> None:
        self._backend = backend
        self._barrier = barrier
        self.armed = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)

    async def get_customer(self, customer_id: str) -> Customer:
        directory: Any = self._backend
        customer: Customer = await directory.get_customer(customer_id)
        if self.armed:
            self.armed = False
            await self._barrier.wait()
        return customer


@pytest.mark.asyncio
async def test_two_desks_adding_at_once_keep_both_notes(ctx: StoreContext) -> None:
    cid = await _customer_id(ctx)
    barrier = asyncio.Barrier(2)
    desks = [_Interleaved(ctx.backend, barrier) for _ in range(2)]
    writes: list[int] = []
    for desk in desks:
        original = desk._backend.update_customer  # type: ignore[attr-defined]

        async def counting(customer_id: str, patch: CustomerPatch, _o: Any = original) -> Any:
            writes.append(1)
            return await _o(customer_id, patch)

        desk.update_customer = counting  # type: ignore[attr-defined]
    a = MetadataNotes(desks[0])
    b = MetadataNotes(desks[1])
    sa = NotesService(ctx.backend, None, "a@example.com")
    sb = NotesService(ctx.backend, None, "b@example.com")
    sa._store, sb._store = a, b  # the two desks' writers, interleaved on one store
    note_a, note_b = await asyncio.gather(sa.add(cid, "from desk A"), sb.add(cid, "from desk B"))
    assert len(writes) == 3  # both wrote on the same read; the loser merged and wrote again
    seen = await NotesService(ctx.backend, None, "c@example.com").notes(cid)
    assert {n.id for n in seen} == {note_a.id, note_b.id}


@pytest.mark.asyncio
async def test_a_note_written_offline_is_queued_and_sent_once(ctx: StoreContext) -> None:
    cid = await _customer_id(ctx)
    notes, mirror = ctx.notes, mirror_of(ctx)
    kept = await notes.add(cid, "written online")
    set_offline(ctx)
    assert await mirror.probe() is False
    mirror.went_offline(ConnectionFailedError())
    queued = await notes.add(cid, "written offline")
    assert notes.last_write.queued
    edited = await notes.edit(cid, queued.id, "written offline, then edited")
    assert await notes.queued(cid) == frozenset({queued.id})
    # Readable offline from the local copy, the queued one included.
    assert [n.body for n in await notes.notes(cid)] == [edited.body, kept.body]
    assert len([e for e in await mirror.edits() if e.kind == "note_write"]) == 1
    set_offline(ctx, False)
    await mirror.came_online()
    first = await mirror.replay()
    second = await mirror.replay()
    assert (first.sent, second.sent) == (1, 0)
    store_notes, _ = await MetadataNotes(ctx.backend).read(cid)
    assert [n.body for n in store_notes if n.id == queued.id] == [edited.body]
    assert len(store_notes) == 2
    assert await notes.queued(cid) == frozenset()


@pytest.mark.asyncio
async def test_replay_skips_a_note_the_store_already_has(ctx: StoreContext) -> None:
    """A crash after the send, before the bookkeeping: the next replay finds it there."""
    cid = await _customer_id(ctx)
    mirror = mirror_of(ctx)
    note = await NotesService(ctx.backend, None, "x@example.com").add(cid, "sent before the crash")
    await mirror.queue_note(cid, note)
    writes: list[str] = []
    original = ctx.backend.update_customer  # type: ignore[attr-defined]

    async def counting(customer_id: str, patch: CustomerPatch) -> Customer:
        writes.append(customer_id)
        result: Customer = await original(customer_id, patch)
        return result

    ctx.backend.update_customer = counting  # type: ignore[attr-defined]
    report = await mirror.replay()
    assert report.sent == 0
    assert writes == []
    assert await mirror.queued_note_ids(cid) == frozenset()


@pytest.mark.asyncio
async def test_ordinary_metadata_edits_cannot_touch_the_notes(ctx: StoreContext) -> None:
    cid = await _customer_id(ctx)
    await ctx.notes.add(cid, "keep me")
    with pytest.raises(ValidationFailedError):
        await ctx.customers.update(
            cid, CustomerPatch(metadata=MetadataPatch(set={NOTES_METADATA_KEY: ""}))
        )
    await ctx.customers.update(cid, CustomerPatch(metadata=MetadataPatch(set={"vip": "yes"})))
    assert [n.body for n in await ctx.notes.notes(cid)] == ["keep me"]


@pytest.mark.asyncio
async def test_elastic_path_keeps_notes_on_this_computer(app_home: Path) -> None:
    ctx = await _open("demo-ep")
    try:
        notes = ctx.notes
        assert notes.storage is NoteStorage.LOCAL
        assert notes.storage.notice == "Notes are kept on this computer only."
        cid = await _customer_id(ctx)
        note = await notes.add(cid, "local note")
        assert not notes.last_write.queued
        set_offline(ctx)  # the store plays no part: readable and writable offline
        await notes.edit(cid, note.id, "local note, edited")
        assert [n.body for n in await notes.notes(cid)] == ["local note, edited"]
        customer = await ctx.customers.cached(cid)
        assert customer is not None
        assert NOTES_METADATA_KEY not in customer.metadata
    finally:
        await ctx.aclose()
    again = await Services.create().open_store("demo-ep", demo_customers=60)
    try:
        assert [n.body for n in await again.notes.notes(cid)] == ["local note, edited"]
    finally:
        await again.aclose()


class _Desk:
    """One desk's session: the first read waits for the other desk's; the write can wait
    for an event; `verified` is set once a read follows this desk's write."""

    def __init__(self, backend: Backend, barrier: asyncio.Barrier) -> None:
        self._backend: Any = backend
        self._barrier = barrier
        self.reads = 0
        self.wrote = False
        self.write_after: asyncio.Event | None = None
        self.verified = asyncio.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)

    async def get_customer(self, customer_id: str) -> Customer:
        customer: Customer = await self._backend.get_customer(customer_id)
        self.reads += 1
        if self.reads == 1:
            await self._barrier.wait()
        if self.wrote:
            self.verified.set()
        return customer

    async def update_customer(self, customer_id: str, patch: CustomerPatch) -> Customer:
        if self.write_after is not None:
            await self.write_after.wait()
            self.write_after = None
            await asyncio.sleep(0.05)  # in flight a moment longer than the other's check
        self.wrote = True
        result: Customer = await self._backend.update_customer(customer_id, patch)
        return result


@pytest.mark.asyncio
async def test_a_write_landing_after_our_read_back_does_not_lose_our_note(
    ctx: StoreContext,
) -> None:
    """Desk B read before A wrote, and writes after A's write read back fine: A's second
    look (after `settle`) sees its note gone and writes it again."""
    cid = await _customer_id(ctx)
    barrier = asyncio.Barrier(2)
    a, b = _Desk(ctx.backend, barrier), _Desk(ctx.backend, barrier)
    b.write_after = a.verified
    desk_a = NotesService(ctx.backend, None, "a@example.com")
    desk_b = NotesService(ctx.backend, None, "b@example.com")
    desk_a._store = MetadataNotes(a, settle=0.2)
    desk_b._store = MetadataNotes(b, settle=0.2)
    note_a, note_b = await asyncio.gather(desk_a.add(cid, "A"), desk_b.add(cid, "B"))
    seen = await NotesService(ctx.backend, None, "c@example.com").notes(cid)
    assert {n.id for n in seen} == {note_a.id, note_b.id}


@pytest.mark.asyncio
async def test_a_note_the_store_lost_is_queued_again_and_sent(ctx: StoreContext) -> None:
    """Another desk's write that landed after all our checks dropped our note: the next
    read finds it missing (no tombstone either) and queues it for the next sync."""
    cid = await _customer_id(ctx)
    notes, mirror = ctx.notes, mirror_of(ctx)
    other = NotesService(ctx.backend, None, "other@example.com")
    theirs = await other.add(cid, "theirs")
    deleted = await notes.add(cid, "deleted by a colleague")
    await other.delete(cid, deleted.id)
    stale, _ = await MetadataNotes(ctx.backend).read(cid)  # another desk reads...
    mine = await notes.add(cid, "mine")  # ...we write and check...
    # ...and its write of what it read lands after all our checks: ours is gone.
    patch = CustomerPatch(metadata=MetadataPatch(set={NOTES_METADATA_KEY: encode_notes(stale)}))
    await ctx.backend.update_customer(cid, patch)  # type: ignore[attr-defined]

    shown = await notes.notes(cid)
    assert [n.id for n in shown] == [mine.id, theirs.id]  # newest first
    assert await notes.queued(cid) == frozenset({mine.id})  # the deleted one stays deleted
    report = await mirror.replay()
    assert report.sent == 1
    in_store, _ = await MetadataNotes(ctx.backend).read(cid)
    assert {n.id for n in in_store if not n.deleted} == {mine.id, theirs.id}


@pytest.mark.asyncio
async def test_notes_the_desk_cannot_read_are_never_overwritten(ctx: StoreContext) -> None:
    cid = await _customer_id(ctx)
    foreign = '{"v": 2, "notes": "written by a newer desk"}'
    patch = CustomerPatch(metadata=MetadataPatch(set={NOTES_METADATA_KEY: foreign}))
    await ctx.backend.update_customer(cid, patch)  # type: ignore[attr-defined]
    with pytest.raises(BadResponseError, match="left untouched"):
        await ctx.notes.add(cid, "mine")
    with pytest.raises(BadResponseError):
        await ctx.notes.notes(cid)
    record: Customer = await ctx.backend.get_customer(cid)  # type: ignore[attr-defined]
    assert record.metadata[NOTES_METADATA_KEY] == foreign
