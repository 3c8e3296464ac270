"""Offline mode, the outbox, conflicts, drafts and forgetting a store (demo store)."""

from __future__ import annotations

import os
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from app.domain.customer import Customer
from app.domain.errors import OfflineError
from app.domain.patch import AddressPatch, CustomerPatch
from app.domain.query import CustomerQuery
from app.services.context import Services, StoreContext
from app.services.mirror import MirrorService, MirrorState, ReadPolicy
from app.services.profiles import BackendKind, StoreProfile


@pytest_asyncio.fixture
async def ctx(app_home: Path) -> AsyncIterator[StoreContext]:
    context = await Services.create().open_store("demo", demo_customers=150)
    assert context.mirror is not None
    await context.mirror.sync()
    yield context
    await context.aclose()


def _mirror(ctx: StoreContext) -> MirrorService:
    assert ctx.mirror is not None
    return ctx.mirror


def _offline(ctx: StoreContext, value: bool = True) -> None:
    assert ctx.demo is not None
    ctx.demo.faults.offline = value


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
    mirror = _mirror(ctx)
    states: list[MirrorState] = []
    mirror.subscribe(states.append)
    online = await ctx.customers.search(CustomerQuery(text="an", page_size=20))
    customer = await _some_customer(ctx)
    _offline(ctx)
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

    _offline(ctx, False)
    assert await mirror.probe() is True
    assert _mirror(ctx).online  # (a fresh read: mypy keeps the narrowing from above)
    assert any(s.announcement for s in states)


@pytest.mark.asyncio
async def test_a_failing_request_turns_offline(ctx: StoreContext) -> None:
    customer = await _some_customer(ctx)
    _offline(ctx)
    assert (await ctx.customers.get(customer.id)).id == customer.id  # served from the mirror
    assert not _mirror(ctx).online


@pytest.mark.asyncio
async def test_an_offline_edit_is_replayed_once(
    ctx: StoreContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = _mirror(ctx)
    customer = await _some_customer(ctx)
    address = customer.addresses[0] if customer.addresses else None
    calls = _count_updates(ctx, monkeypatch)
    _offline(ctx)
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

    _offline(ctx, False)
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
    mirror = _mirror(ctx)
    customer = await _some_customer(ctx)
    _offline(ctx)
    await ctx.customers.update(customer.id, CustomerPatch(first_name="Mine", company="Mine GmbH"))
    _offline(ctx, False)
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
    _offline(ctx)
    await ctx.customers.update(customer.id, CustomerPatch(company="Mine GmbH"))
    _offline(ctx, False)
    await ctx.backend.update_customer(customer.id, CustomerPatch(last_name="Else"))  # type: ignore[attr-defined]
    report = await _mirror(ctx).replay()
    assert (report.sent, report.conflicts) == (1, [])
    server = await ctx.backend.get_customer(customer.id)  # type: ignore[attr-defined]
    assert (server.last_name, server.company) == ("Else", "Mine GmbH")


@pytest.mark.asyncio
async def test_drafts_survive_reopening(app_home: Path) -> None:
    services = Services.create()
    ctx = await services.open_store("demo", demo_customers=20, policy=ReadPolicy.MIRROR)
    draft: dict[str, Any] = {"fields": {"phone": "+1 555"}, "customer_id": "cus_1"}
    await _mirror(ctx).save_draft("customer:cus_1", draft)
    await ctx.aclose()
    ctx = await services.open_store("demo", demo_customers=20)
    try:
        assert await _mirror(ctx).drafts() == {"customer:cus_1": draft}
        await _mirror(ctx).discard_draft("customer:cus_1")
        assert await _mirror(ctx).drafts() == {}
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
