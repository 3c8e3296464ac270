"""Offline mode, the outbox, conflicts, drafts and forgetting a store (demo store)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from app.domain.customer import AddressDraft, Customer
from app.domain.draft import EditorDraft
from app.domain.errors import CacheUnavailableError, OfflineError
from app.domain.patch import AddressPatch, CustomerPatch, MetadataPatch
from app.domain.query import CustomerQuery
from app.mirror.lock import SyncLock
from app.mirror.repository import MirrorRepository
from app.mirror.service import ADDRESS_DELETE, Choice, MirrorState, ReadPolicy
from app.services.context import Services, StoreContext
from app.services.profiles import BackendKind, StoreProfile
from tests.unit.app.mirror.helpers import mirror_of, set_offline


@pytest_asyncio.fixture
async def ctx(app_home: Path) -> AsyncIterator[StoreContext]:
    context = await Services.create().open_store("demo", demo_customers=150)
    assert context.mirror is not None
    await context.mirror.sync()
    yield context
    await context.aclose()


async def _some_customer(ctx: StoreContext) -> Customer:
    page = await ctx.customers.search(CustomerQuery(has_account=True, page_size=5))
    return await ctx.customers.get(page.items[0].id)


def _count_updates(ctx: StoreContext, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = ctx.backend.update_customer  # type: ignore[attr-defined]

    async def counting(customer_id: str, patch: CustomerPatch) -> Customer:
        calls.append(customer_id)
        result: Customer = await original(customer_id, patch)
        return result

    monkeypatch.setattr(ctx.backend, "update_customer", counting)
    return calls


@pytest.mark.asyncio
async def test_unreachable_backend_switches_to_the_mirror(ctx: StoreContext) -> None:
    mirror = mirror_of(ctx)
    states: list[MirrorState] = []
    mirror.subscribe(states.append)
    online = await ctx.customers.search(CustomerQuery(text="an", page_size=20))
    customer = await _some_customer(ctx)
    set_offline(ctx)
    assert await mirror.probe() is False
    # The first failing request switches to offline mode; what is mirrored stays browsable.
    assert await ctx.customers.get(customer.id) == customer
    assert not mirror.online
    offline = await ctx.customers.search(CustomerQuery(text="an", page_size=20))
    assert [c.id for c in offline.items] == [c.id for c in online.items]
    assert offline.total == online.total
    assert await ctx.customers.get(customer.id) == customer
    assert await ctx.customers.addresses(customer.id) == list(customer.addresses)
    # Tokens need the backend: disabled, with the reason.
    eligibility = ctx.customers.token_eligibility(customer)
    assert not eligibility.allowed
    assert "unreachable" in (eligibility.reason or "")
    with pytest.raises(OfflineError):
        await ctx.customers.issue_token(customer)
    assert states[-1].online is False
    assert states[-1].last_sync is not None

    set_offline(ctx, False)
    assert await mirror.probe() is True
    assert mirror_of(ctx).online  # (a fresh read: mypy keeps the narrowing from above)
    assert any(s.announcement for s in states)


@pytest.mark.asyncio
async def test_a_failing_request_turns_offline(ctx: StoreContext) -> None:
    customer = await _some_customer(ctx)
    set_offline(ctx)
    assert (await ctx.customers.get(customer.id)).id == customer.id  # served from the mirror
    assert not mirror_of(ctx).online


@pytest.mark.asyncio
async def test_an_offline_edit_is_replayed_once(
    ctx: StoreContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = mirror_of(ctx)
    customer = await _some_customer(ctx)
    address = customer.addresses[0] if customer.addresses else None
    calls = _count_updates(ctx, monkeypatch)
    set_offline(ctx)
    edited = await ctx.customers.update(customer.id, CustomerPatch(phone="+49 30 1234567"))
    assert edited.phone == "+49 30 1234567"
    assert calls == [customer.id]  # tried once, failed: queued
    if address is not None:
        moved = await ctx.customers.update_address(
            customer.id, address.id, AddressPatch(city="Offlinestadt")
        )
        assert moved.city == "Offlinestadt"
    # The local copy shows the edit meanwhile, and search finds it.
    found = await ctx.customers.search(CustomerQuery(text="1234567"))
    assert [c.id for c in found.items] == [customer.id]
    assert mirror.state.pending_edits == (2 if address else 1)

    set_offline(ctx, False)
    assert await mirror.probe()
    report = await mirror.replay()
    assert report.sent == (2 if address else 1)
    assert not report.conflicts
    server = await ctx.backend.get_customer(customer.id)  # type: ignore[attr-defined]
    assert server.phone == "+49 30 1234567"
    if address is not None:
        assert next(a for a in server.addresses if a.id == address.id).city == "Offlinestadt"
    assert calls == [customer.id, customer.id]  # the failed try and one replay
    again = await mirror.replay()
    assert again.sent == 0
    assert calls == [customer.id, customer.id]
    assert mirror.state.pending_edits == 0


@pytest.mark.asyncio
async def test_a_conflicting_change_is_shown_with_both_versions(ctx: StoreContext) -> None:
    mirror = mirror_of(ctx)
    customer = await _some_customer(ctx)
    set_offline(ctx)
    await ctx.customers.update(customer.id, CustomerPatch(first_name="Mine", company="Mine GmbH"))
    set_offline(ctx, False)
    # Meanwhile someone else renamed the customer in the store.
    await ctx.backend.update_customer(customer.id, CustomerPatch(first_name="Theirs"))  # type: ignore[attr-defined]
    report = await mirror.replay()
    assert report.sent == 0
    (conflict,) = report.conflicts
    (field,) = conflict.fields
    assert (field.field, field.base, field.mine, field.theirs) == (
        "first_name",
        customer.first_name,
        "Mine",
        "Theirs",
    )
    assert conflict.unchanged == {"company": "Mine GmbH"}
    assert mirror.state.conflicts == (conflict,)
    # Per field: keep theirs for the name; my company goes through.
    after = await mirror.resolve(conflict.seq, {"first_name": "theirs"})
    assert not after.conflicts
    server = await ctx.backend.get_customer(customer.id)  # type: ignore[attr-defined]
    assert (server.first_name, server.company) == ("Theirs", "Mine GmbH")
    assert (await ctx.customers.cached(customer.id)) == server


@pytest.mark.asyncio
async def test_unrelated_server_changes_do_not_conflict(ctx: StoreContext) -> None:
    customer = await _some_customer(ctx)
    set_offline(ctx)
    await ctx.customers.update(customer.id, CustomerPatch(company="Mine GmbH"))
    set_offline(ctx, False)
    await ctx.backend.update_customer(customer.id, CustomerPatch(last_name="Else"))  # type: ignore[attr-defined]
    report = await mirror_of(ctx).replay()
    assert (report.sent, report.conflicts) == (1, [])
    server = await ctx.backend.get_customer(customer.id)  # type: ignore[attr-defined]
    assert (server.last_name, server.company) == ("Else", "Mine GmbH")


async def _with_addresses(ctx: StoreContext, at_least: int) -> Customer:
    page = await ctx.customers.search(CustomerQuery(page_size=100))
    for summary in page.items:
        customer = await ctx.customers.get(summary.id)
        if len(customer.addresses) >= at_least:
            return customer
    raise AssertionError(f"no demo customer with {at_least} addresses")


@pytest.mark.asyncio
async def test_addresses_added_edited_and_deleted_offline_are_replayed(ctx: StoreContext) -> None:
    mirror = mirror_of(ctx)
    customer = await _with_addresses(ctx, 2)
    doomed, kept = customer.addresses[0], customer.addresses[1]
    set_offline(ctx)
    new = await ctx.customers.add_address(
        customer.id,
        AddressDraft(
            address_1="Neue Str. 1", city="Berlin", country_code="de", is_default_shipping=True
        ),
    )
    assert mirror.is_local_address(new.id)
    # Edited before it ever reached the store: the queued creation takes the edit.
    await ctx.customers.update_address(customer.id, new.id, AddressPatch(postal_code="10115"))
    await ctx.customers.delete_address(customer.id, doomed.id)
    # Added and dropped offline: nothing of it is ever sent.
    scrap = await ctx.customers.add_address(customer.id, AddressDraft(city="Nowhere"))
    await ctx.customers.delete_address(customer.id, scrap.id)

    local = await ctx.customers.addresses(customer.id)
    assert {a.id for a in local} == {a.id for a in customer.addresses[1:]} | {new.id}
    # The new default took the flag from the others, as the store will.
    assert [a.id for a in local if a.is_default_shipping] == [new.id]
    assert mirror.state.pending_edits == 2

    set_offline(ctx, False)
    assert await mirror.probe()
    report = await mirror.replay()
    assert (report.sent, report.conflicts, report.failed) == (2, [], [])
    server = await ctx.backend.get_customer(customer.id)  # type: ignore[attr-defined]
    ids = {a.id for a in server.addresses}
    assert doomed.id not in ids
    assert kept.id in ids
    (created,) = [a for a in server.addresses if a.address_1 == "Neue Str. 1"]
    assert (created.postal_code, created.is_default_shipping) == ("10115", True)
    assert not [a for a in server.addresses if a.city == "Nowhere"]
    # The mirror now holds the store's ids, and nothing is sent twice.
    assert await ctx.customers.addresses(customer.id) == list(server.addresses)
    assert (await mirror.replay()).sent == 0


@pytest.mark.asyncio
async def test_an_offline_edit_making_an_address_the_default_clears_the_others(
    ctx: StoreContext,
) -> None:
    """Queued, not sent: the mirror must still show one default, as the store will."""
    customer = await _with_addresses(ctx, 2)
    first, second = customer.addresses[0], customer.addresses[1]
    await ctx.customers.update_address(
        customer.id, first.id, AddressPatch(is_default_shipping=True, is_default_billing=True)
    )
    set_offline(ctx)
    await ctx.customers.update_address(
        customer.id, second.id, AddressPatch(is_default_shipping=True, is_default_billing=True)
    )
    local = await ctx.customers.addresses(customer.id)
    assert [a.id for a in local if a.is_default_shipping] == [second.id]
    assert [a.id for a in local if a.is_default_billing] == [second.id]


@pytest.mark.asyncio
async def test_a_creation_already_in_the_store_is_not_sent_again(ctx: StoreContext) -> None:
    """A crash between sending and bookkeeping: the store has the address already."""
    mirror = mirror_of(ctx)
    customer = await _some_customer(ctx)
    draft = AddressDraft(address_1="Once Only 1", city="Hamburg", country_code="de")
    set_offline(ctx)
    await ctx.customers.add_address(customer.id, draft)
    set_offline(ctx, False)
    await ctx.backend.create_address(customer.id, draft)  # type: ignore[attr-defined]
    report = await mirror.replay()
    assert (report.sent, report.conflicts, report.failed) == (0, [], [])
    server = await ctx.backend.get_customer(customer.id)  # type: ignore[attr-defined]
    assert len([a for a in server.addresses if a.address_1 == "Once Only 1"]) == 1
    assert mirror.state.pending_edits == 0


@pytest.mark.parametrize("choice", ["mine", "theirs"])
@pytest.mark.asyncio
async def test_deleting_an_address_the_store_changed_asks_first(
    ctx: StoreContext, choice: Choice
) -> None:
    mirror = mirror_of(ctx)
    customer = await _with_addresses(ctx, 1)
    address = customer.addresses[0]
    set_offline(ctx)
    await ctx.customers.delete_address(customer.id, address.id)
    set_offline(ctx, False)
    await ctx.backend.update_address(customer.id, address.id, AddressPatch(city="Changed"))  # type: ignore[attr-defined]
    report = await mirror.replay()
    (conflict,) = report.conflicts
    assert conflict.kind == ADDRESS_DELETE
    (field,) = conflict.fields
    assert (field.field, field.base, field.mine, field.theirs) == (
        "city",
        address.city,
        None,
        "Changed",
    )
    await mirror.resolve(conflict.seq, {"city": choice})
    server = await ctx.backend.get_customer(customer.id)  # type: ignore[attr-defined]
    assert (address.id in {a.id for a in server.addresses}) is (choice == "theirs")
    assert await ctx.customers.addresses(customer.id) == list(server.addresses)


@pytest.mark.asyncio
async def test_drafts_saved_as_dicts_by_the_previous_version_still_load(app_home: Path) -> None:
    services = Services.create()
    ctx = await services.open_store("demo", demo_customers=20, policy=ReadPolicy.MIRROR)
    mirror = mirror_of(ctx)
    try:
        # The rows as the dict-taking `save_draft` wrote them: the editor's
        # `EditorDraft.to_json()`, an older partial form, and a damaged one.
        old_rows: dict[str, Any] = {
            "customer:cus_1": {
                "customer_id": "cus_1",
                "name": "Ada Lovelace",
                "fields": {"phone": "+1 555", "company": None},
                "metadata": {"tier": "gold"},
            },
            "customer:new": {"fields": {"first_name": "Grace"}},
            "customer:cus_2": {"fields": 3},
        }
        for key, data in old_rows.items():
            await mirror._store.call(MirrorRepository.put_draft, key, data)
        assert await mirror.drafts() == {
            "customer:cus_1": EditorDraft(
                customer_id="cus_1",
                name="Ada Lovelace",
                fields={"phone": "+1 555", "company": None},
                metadata={"tier": "gold"},
            ),
            "customer:new": EditorDraft(fields={"first_name": "Grace"}),
        }
        # And what this version saves is the same JSON as before.
        await mirror.save_draft("customer:cus_3", EditorDraft(customer_id="cus_3", name="Bo"))
        stored = await mirror._store.call(MirrorRepository.drafts)
        assert stored["customer:cus_3"] == {
            "customer_id": "cus_3",
            "name": "Bo",
            "fields": {},
            "metadata": {},
        }
    finally:
        await ctx.aclose()


@pytest.mark.asyncio
async def test_drafts_survive_reopening(app_home: Path) -> None:
    services = Services.create()
    ctx = await services.open_store("demo", demo_customers=20, policy=ReadPolicy.MIRROR)
    draft = EditorDraft(customer_id="cus_1", name="Ada", fields={"phone": "+1 555"})
    await mirror_of(ctx).save_draft("customer:cus_1", draft)
    await ctx.aclose()
    ctx = await services.open_store("demo", demo_customers=20)
    try:
        assert await mirror_of(ctx).drafts() == {"customer:cus_1": draft}
        await mirror_of(ctx).discard_draft("customer:cus_1")
        assert await mirror_of(ctx).drafts() == {}
    finally:
        await ctx.aclose()


@pytest.mark.asyncio
async def test_forgetting_a_store_deletes_its_mirror_and_secret(app_home: Path) -> None:
    services = Services.create()
    profile = StoreProfile(
        name="Shop One", backend=BackendKind.MEDUSA, url="https://shop.test", email="a@b.test"
    )
    services.profiles.save(profile)
    services.secrets.set(profile.name, "s3cret")
    ctx = await services.open_store(profile.name)
    await ctx.aclose()
    path = services.mirror_path(profile.name)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert b"s3cret" not in path.read_bytes()
    services.forget_store(profile.name)
    assert not path.exists()
    assert services.profiles.list() == []
    with pytest.raises(Exception, match=r"secret|keyring|password"):
        services.secrets.get(profile.name)


@pytest.mark.asyncio
async def test_a_replay_whose_bookkeeping_fails_never_calls_the_edit_refused(
    ctx: StoreContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = mirror_of(ctx)
    customer = await _some_customer(ctx)
    set_offline(ctx)
    await ctx.customers.update(customer.id, CustomerPatch(company="Locked Mirror AG"))
    set_offline(ctx, False)
    original = MirrorRepository.outbox_set_state

    def locked(self: MirrorRepository, seq: int, state: str, detail: str | None = None) -> None:
        if state == "done":
            raise sqlite3.OperationalError("database is locked")
        original(self, seq, state, detail)

    monkeypatch.setattr(MirrorRepository, "outbox_set_state", locked)
    with pytest.raises(CacheUnavailableError, match="in use by another"):
        await mirror.replay()
    monkeypatch.setattr(MirrorRepository, "outbox_set_state", original)
    # The store took it; the outbox could not say so. Still pending, never "refused".
    assert [e.state for e in await mirror.edits()] == ["pending"]
    report = await mirror.replay()
    assert not report.failed
    assert await mirror.edits() == []
    server = await ctx.backend.get_customer(customer.id)  # type: ignore[attr-defined]
    assert server.company == "Locked Mirror AG"


@pytest.mark.asyncio
async def test_an_accepted_edit_stays_saved_when_the_mirror_disk_is_full(ctx: StoreContext) -> None:
    mirror = mirror_of(ctx)
    customer = await _some_customer(ctx)

    def fill_the_disk(repo: MirrorRepository) -> None:
        pages = repo.conn.execute("PRAGMA page_count").fetchone()[0]
        repo.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL on growth

    await mirror._store.call(fill_the_disk)
    big = CustomerPatch(metadata=MetadataPatch(set={"notes": "x" * 200_000}))
    saved = await ctx.customers.update(customer.id, big)
    assert saved.metadata["notes"] == "x" * 200_000
    outcome = ctx.customers.last_write
    assert not outcome.queued
    assert outcome.mirror_problem is not None
    assert "disk is full" in outcome.mirror_problem
    server = await ctx.backend.get_customer(customer.id)  # type: ignore[attr-defined]
    assert server.metadata["notes"] == "x" * 200_000


@pytest.mark.asyncio
async def test_a_sync_waits_for_another_process_and_says_so(ctx: StoreContext) -> None:
    mirror = mirror_of(ctx)
    states: list[MirrorState] = []
    mirror.subscribe(states.append)
    other = SyncLock(mirror._store.sync_lock.path)  # another process's handle on the file
    async with other.hold(patience=1):
        syncing = asyncio.ensure_future(mirror.sync())
        for _ in range(100):
            await asyncio.sleep(0.02)
            if any(s.announcement for s in states):
                break
        assert not syncing.done()
        assert any("waiting for it to finish" in (s.announcement or "") for s in states)
    report = await asyncio.wait_for(syncing, 30)
    assert report.phase == "refresh"
