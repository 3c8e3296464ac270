"""Staff notes on the real Medusa 2.21.2: kept in the customer's `merchant_desk_notes`
metadata beside other keys, seen from a second session, and two sessions adding at
once keep both notes."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from pydantic import SecretStr

from app.backends.medusa import MedusaAdapter, MedusaCredentials
from app.backends.notes import MetadataNotes, NotesFullError
from app.domain.customer import Customer, CustomerDraft
from app.domain.note import MAX_ENCODED_NOTES, NOTES_METADATA_KEY, request_size
from app.services.notes import NotesService
from tests.peers.medusa.fixtures import MedusaPeer

pytestmark = pytest.mark.peer


def _session(peer: MedusaPeer) -> MedusaAdapter:
    return MedusaAdapter(
        peer.url,
        MedusaCredentials(email=peer.admin_email, password=SecretStr(peer.admin_password)),
    )


@pytest_asyncio.fixture
async def sessions(medusa_peer: MedusaPeer) -> AsyncIterator[tuple[MedusaAdapter, MedusaAdapter]]:
    a, b = _session(medusa_peer), _session(medusa_peer)
    try:
        yield a, b
    finally:
        await a.aclose()
        await b.aclose()


async def _customer(adapter: MedusaAdapter) -> Customer:
    return await adapter.create_customer(
        CustomerDraft(
            email=f"notes.{uuid.uuid4().hex[:10]}@example.com",
            first_name="Noa",
            last_name="Notes",
            metadata={"vip": "yes", "points": 12},
        )
    )


@pytest.mark.asyncio
async def test_notes_round_trip_between_two_sessions(
    sessions: tuple[MedusaAdapter, MedusaAdapter],
) -> None:
    a, b = sessions
    customer = await _customer(a)
    desk_a = NotesService(a, None, "anna@example.com")
    desk_b = NotesService(b, None, "ben@example.com")
    first = await desk_a.add(customer.id, "Called about #3057.\nPromised a refund.")
    second = await desk_a.add(customer.id, "Prefers email.")
    seen = await desk_b.notes(customer.id)
    assert [(n.id, n.author) for n in seen] == [
        (second.id, "anna@example.com"),
        (first.id, "anna@example.com"),
    ]
    edited = await desk_b.edit(customer.id, first.id, "Refund sent.")
    assert edited.author == "ben@example.com"
    await desk_b.delete(customer.id, second.id)
    assert [(n.id, n.body) for n in await desk_a.notes(customer.id)] == [(first.id, "Refund sent.")]
    # Medusa merged our one key into the metadata: the others are as they were.
    record = await b.get_customer(customer.id)
    assert record.metadata["vip"] == "yes"
    assert record.metadata["points"] == 12
    stored = record.metadata[NOTES_METADATA_KEY]
    assert isinstance(stored, str)
    tombstone = next(n for n in json.loads(stored)["notes"] if n["id"] == second.id)
    assert tombstone["deleted_at"] is not None  # kept, so an older copy cannot revive it
    assert tombstone["body"] == ""


class _ReadTogether:
    """A session whose first read of the customer waits for the other session's: both
    desks start from the same notes, as two people clicking at once do."""

    def __init__(self, adapter: MedusaAdapter, barrier: asyncio.Barrier) -> None:
        self._adapter = adapter
        self._barrier = barrier
        self._first = True
        self.writes = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._adapter, name)

    async def get_customer(self, customer_id: str) -> Customer:
        customer = await self._adapter.get_customer(customer_id)
        if self._first:
            self._first = False
            await self._barrier.wait()
        return customer

    async def update_customer(self, customer_id: str, patch: Any) -> Customer:
        self.writes += 1
        return await self._adapter.update_customer(customer_id, patch)


@pytest.mark.asyncio
async def test_two_sessions_adding_at_once_keep_both(
    sessions: tuple[MedusaAdapter, MedusaAdapter],
) -> None:
    a, b = sessions
    customer = await _customer(a)
    barrier = asyncio.Barrier(2)
    together = [_ReadTogether(a, barrier), _ReadTogether(b, barrier)]
    desks = [NotesService(a, None, "anna@example.com"), NotesService(b, None, "ben@example.com")]
    for desk, session in zip(desks, together, strict=True):
        desk._store = MetadataNotes(session)
    added = await asyncio.gather(
        desks[0].add(customer.id, "from Anna's desk"), desks[1].add(customer.id, "from Ben's desk")
    )
    # Both wrote on the same read; the one whose write was replaced merged and wrote again.
    assert sorted(t.writes for t in together) == [1, 2]
    fresh = NotesService(b, None, "carl@example.com")
    assert {n.id for n in await fresh.notes(customer.id)} == {n.id for n in added}


@pytest.mark.asyncio
async def test_notes_fill_up_before_medusas_body_limit(
    sessions: tuple[MedusaAdapter, MedusaAdapter],
) -> None:
    """Bodies full of quotes (escaped twice on the way) up to the desk's cap: Medusa
    (body-parser's 100 kB default) takes every write the desk lets through."""
    a, _ = sessions
    customer = await _customer(a)
    desk = NotesService(a, None, "anna@example.com")
    written = 0
    while True:
        try:
            await desk.add(customer.id, '"\\' * 2000)
        except NotesFullError:
            break
        written += 1
        assert written < 50
    assert written >= 3
    notes = await desk.notes(customer.id)
    assert len(notes) == written
    stored = (await a.get_customer(customer.id)).metadata[NOTES_METADATA_KEY]
    assert isinstance(stored, str)
    assert request_size(stored) <= MAX_ENCODED_NOTES
