"""Full and incremental sync against the demo store: the mirror equals the backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from app.domain.errors import ConnectionFailedError
from app.domain.patch import AddressPatch, CustomerPatch
from app.domain.query import CustomerQuery
from app.mirror.service import ReadPolicy
from app.mirror.sync import SyncProgress
from app.services.context import Services, StoreContext
from tests.unit.app.mirror.helpers import backend_customers, mirror_customers


@pytest_asyncio.fixture
async def ctx(app_home: Path) -> AsyncIterator[StoreContext]:
    context = await Services.create().open_store("demo", demo_customers=400, policy=ReadPolicy.LIVE)
    assert context.mirror is not None
    context.mirror.engine.page_size = 60  # several pages, and a cursor to resume from
    yield context
    await context.aclose()


@pytest.mark.asyncio
async def test_full_then_incremental_with_deletions(ctx: StoreContext) -> None:
    assert ctx.mirror is not None
    seen: list[SyncProgress] = []
    report = await ctx.mirror.sync(seen.append)
    assert report.phase == "full"
    customers = [p for p in seen if p.phase == "full"]
    assert customers[-1].done == customers[-1].total == report.fetched
    assert seen[-1].phase == "orders"  # then every order, in the same pass
    assert seen[-1].done == seen[-1].total == report.orders
    assert await mirror_customers(ctx) == await backend_customers(ctx)
    assert ctx.mirror.state.ready

    server = await backend_customers(ctx)
    ids = sorted(server)
    await ctx.backend.update_customer(ids[3], CustomerPatch(first_name="Renamed"))  # type: ignore[attr-defined]
    await ctx.backend.delete_customer(ids[5])  # type: ignore[attr-defined]
    group = (await ctx.customers.groups())[0]
    # Neither moves updated_at in Medusa: only the sweep and the customer refresh see them.
    await ctx.backend.change_group_membership(ids[7], frozenset({group.id}), frozenset())  # type: ignore[attr-defined]
    with_address = next(c for c in server.values() if c.addresses)
    address = with_address.addresses[0]
    await ctx.backend.update_address(  # type: ignore[attr-defined]
        with_address.id, address.id, AddressPatch(city="Neustadt")
    )

    report = await ctx.mirror.sync()
    assert report.phase == "refresh"
    assert report.fetched >= 1
    mirror = await mirror_customers(ctx)
    assert mirror[ids[3]].first_name == "Renamed"
    assert ids[5] in mirror  # not yet: deletions need the sweep

    report = await ctx.mirror.sweep()
    assert report.deleted == 1
    mirror = await mirror_customers(ctx)
    server = await backend_customers(ctx)
    assert mirror.keys() == server.keys()
    assert mirror[ids[7]].groups == server[ids[7]].groups
    # The sweep compares whole customers: the address edit (no updated_at) is caught
    # without anyone opening the customer.
    assert mirror == server

    await ctx.backend.update_address(  # type: ignore[attr-defined]
        with_address.id, address.id, AddressPatch(city="Altstadt")
    )
    # Opening the customer refreshes it too.
    await ctx.customers.get(with_address.id)
    assert await mirror_customers(ctx) == await backend_customers(ctx)
    assert (await ctx.mirror.sweep()).changed == 0  # nothing left to find


@pytest.mark.asyncio
async def test_full_resync_finds_everything(ctx: StoreContext) -> None:
    assert ctx.mirror is not None
    await ctx.mirror.sync()
    server = await backend_customers(ctx)
    victim, moved = sorted(server)[10], next(c for c in server.values() if c.addresses)
    await ctx.backend.delete_customer(victim)  # type: ignore[attr-defined]
    await ctx.backend.update_address(  # type: ignore[attr-defined]
        moved.id, moved.addresses[0].id, AddressPatch(postal_code="99999")
    )
    report = await ctx.mirror.sync(full=True)
    assert (report.phase, report.deleted) == ("full", 1)
    assert await mirror_customers(ctx) == await backend_customers(ctx)


@pytest.mark.asyncio
async def test_an_interrupted_full_mirror_resumes(ctx: StoreContext) -> None:
    assert ctx.mirror is not None
    assert ctx.demo is not None
    calls = 0

    def cut_after_two_pages(progress: SyncProgress) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            assert ctx.demo is not None
            ctx.demo.faults.offline = True  # the network goes away mid-mirror

    with pytest.raises(ConnectionFailedError):
        await ctx.mirror.sync(cut_after_two_pages)
    status = await ctx.mirror.engine.status()
    assert status.resumable
    assert not status.complete
    stored = status.customers
    assert stored in (120, 180)  # the page fetched ahead may have arrived before the cut
    # No offline mode before a first complete mirror: the error is what the user sees.
    assert ctx.mirror.online

    ctx.demo.faults.offline = False
    report = await ctx.mirror.sync()
    assert report.phase == "full"
    assert report.fetched == len(await backend_customers(ctx)) - stored
    assert await mirror_customers(ctx) == await backend_customers(ctx)


@pytest.mark.asyncio
async def test_a_sweep_keeps_addresses_the_listing_leaves_out(app_home: Path) -> None:
    """Elastic Path lists customers without addresses: the sweep must not compare (and
    so wipe) the addresses the mirror got when a customer was opened."""
    ctx = await Services.create().open_store("demo-ep", demo_customers=60)
    try:
        assert ctx.mirror is not None
        await ctx.mirror.sync()
        page = await ctx.customers.search(CustomerQuery(page_size=60))
        opened = None
        for summary in page.items:
            customer = await ctx.customers.get(summary.id)  # stores its addresses
            if customer.addresses:
                opened = customer
                break
        assert opened is not None
        report = await ctx.mirror.sweep()
        assert report.changed == 0
        assert (await mirror_customers(ctx))[opened.id].addresses == opened.addresses
    finally:
        await ctx.aclose()


@pytest.mark.asyncio
async def test_a_refresh_keeps_addresses_the_listing_leaves_out(app_home: Path) -> None:
    """Elastic Path lists changed customers without addresses: storing them must not wipe
    the addresses the mirror got when the customer was opened."""
    ctx = await Services.create().open_store("demo-ep", demo_customers=60)
    try:
        assert ctx.mirror is not None
        await ctx.mirror.sync()
        page = await ctx.customers.search(CustomerQuery(page_size=60))
        opened = None
        for summary in page.items:
            customer = await ctx.customers.get(summary.id)  # stores its addresses
            if customer.addresses:
                opened = customer
                break
        assert opened is not None
        # Changed in the store behind the desk's back: the next refresh lists it.
        renamed = await ctx.backend.update_customer(  # type: ignore[attr-defined]
            opened.id, CustomerPatch(last_name="Renamed")
        )
        report = await ctx.mirror.sync()  # after a full pass: an incremental refresh
        assert report.phase == "refresh"
        assert report.fetched >= 1
        mirrored = (await mirror_customers(ctx))[opened.id]
        assert mirrored.last_name == renamed.last_name == "Renamed"
        assert mirrored.addresses == opened.addresses
    finally:
        await ctx.aclose()
