"""Cancelling a sync (Ctrl-C in the CLI, closing the desk) stops it within a page's time and
leaves a mirror the next sync resumes: every customer and every order read exactly once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from app.backends.protocols import SupportsCustomerDirectory, SupportsOrderDirectory
from app.domain.errors import CacheUnavailableError
from app.domain.order import OrderSummary
from app.domain.query import CustomerQuery, Page
from app.mirror.repository import MirrorRepository
from app.mirror.service import ReadPolicy
from app.mirror.sync import K_FULL_DONE, K_ORDERS_DONE, SyncEngine, SyncProgress, SyncReport
from app.services.context import Services, StoreContext
from tests.unit.app.mirror.helpers import mirror_of
from tests.unit.app.mirror.orders import make_orders

CUSTOMERS = 240
PAGE = 30  # a page of customers (and of orders): several pages in each phase
LATENCY = 0.15  # every request of the demo store takes this long: a slowed network
# A page is one request plus its write: cancelling must not wait for more than that (with
# room for a loaded machine).
STOP_WITHIN = LATENCY + 1.5


@pytest_asyncio.fixture(params=["demo", "demo-chec"])
async def ctx(request: pytest.FixtureRequest, app_home: Path) -> AsyncIterator[StoreContext]:
    name: str = request.param
    context = await Services.create().open_store(
        name, demo_customers=CUSTOMERS, policy=ReadPolicy.LIVE
    )
    mirror = mirror_of(context)
    mirror.engine.page_size = PAGE
    mirror.engine.order_page_size = PAGE
    yield context
    await context.aclose()


async def _server_customer_ids(ctx: StoreContext) -> set[str]:
    backend = ctx.backend
    assert isinstance(backend, SupportsCustomerDirectory)
    ids: set[str] = set()
    token: str | None = None
    while True:
        page = await backend.list_customers(CustomerQuery(page_size=500), token)
        ids.update(c.id for c in page.items)
        token = page.next_token
        if token is None:
            return ids


async def _server_order_ids(ctx: StoreContext) -> set[str]:
    backend = ctx.backend
    assert isinstance(backend, SupportsOrderDirectory)
    ids: set[str] = set()
    token: str | None = None
    while True:
        page = await backend.list_orders_changed_since(None, token, 500)
        ids.update(o.id for o in page.items)
        token = page.next_token
        if token is None:
            return ids


def _mirrored_order_ids(repo: MirrorRepository) -> list[str]:
    return [row[0] for row in repo.conn.execute("SELECT id FROM orders WHERE listed")]


@pytest.mark.asyncio
@pytest.mark.parametrize("phase", ["full", "orders"])
async def test_a_cancelled_sync_stops_within_a_page_and_resumes(
    ctx: StoreContext, phase: str
) -> None:
    mirror = mirror_of(ctx)
    server_customers = await _server_customer_ids(ctx)
    server_orders = await _server_order_ids(ctx)
    assert ctx.demo is not None
    ctx.demo.faults.latency = LATENCY

    midway = asyncio.Event()

    def progress(p: SyncProgress) -> None:
        if p.phase == phase and p.done >= 3 * PAGE:
            midway.set()

    task = asyncio.ensure_future(mirror.sync(progress))
    await asyncio.wait_for(midway.wait(), 60)
    cancelled_at = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    stopped = time.monotonic() - cancelled_at
    assert stopped < STOP_WITHIN, f"the sync took {stopped:.2f} s to stop"
    await asyncio.sleep(3 * LATENCY)  # nothing left running keeps writing
    status = await mirror.engine.status()
    key = K_FULL_DONE if phase == "full" else K_ORDERS_DONE
    committed = int(await mirror._store.call(MirrorRepository.meta, key) or 0)
    assert committed >= 3 * PAGE  # the pages stored before the cancel are kept …
    assert status.resumable if phase == "full" else status.orders_resumable  # … to resume
    assert not mirror.state.syncing  # the desk no longer shows a sync under way

    ctx.demo.faults.latency = 0.0
    report: SyncReport = await mirror.sync()
    if phase == "full":
        assert report.phase == "full"
        # The resumed pass reads only what the interrupted one had not stored.
        assert report.fetched == len(server_customers) - committed
        assert report.orders == len(server_orders)
    else:
        # The customers were complete (a refresh, or Chec's sweep); the orders resume.
        assert report.phase in ("refresh", "sweep")
        assert report.orders == len(server_orders) - committed
    mirrored_orders = await mirror._store.call(_mirrored_order_ids)
    assert sorted(mirrored_orders) == sorted(server_orders)
    assert sorted(await mirror._store.call(MirrorRepository.ids)) == sorted(server_customers)
    assert mirror.ready
    assert mirror.orders_mirrored


@pytest.mark.asyncio
async def test_closing_the_desk_mid_sync_ends_the_loop_and_passes_its_own_cancel_on(
    ctx: StoreContext,
) -> None:
    mirror = mirror_of(ctx)
    assert ctx.demo is not None
    ctx.demo.faults.latency = LATENCY
    syncing = asyncio.Event()
    mirror.subscribe(lambda state: syncing.set() if state.progress is not None else None)
    mirror.start()  # the desk's background loop
    await asyncio.wait_for(syncing.wait(), 60)

    # Closing the desk stops the loop; when that close is itself cancelled (Ctrl-C while
    # the desk closes), the cancel reaches the closer instead of vanishing in stop().
    closing = asyncio.ensure_future(mirror.stop())
    await asyncio.sleep(0)
    closing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await closing
    assert mirror._task is None
    assert not mirror.state.syncing
    await mirror.stop()  # nothing left to stop


@pytest.mark.asyncio
async def test_a_failed_page_write_ends_the_prefetch_of_the_next_page() -> None:
    fetching = asyncio.Event()
    ended: list[str | None] = []

    async def fetch(token: str | None) -> Page[OrderSummary]:
        if token is None:
            return Page(items=tuple(make_orders(["cus_1"], 3)), next_token="page-2")
        fetching.set()
        try:
            await asyncio.sleep(30)  # a slow network
        finally:
            ended.append(token)
        raise AssertionError("not reached")

    async def consume(page: Page[OrderSummary]) -> None:
        await fetching.wait()
        raise CacheUnavailableError("The disk is full.")

    with pytest.raises(CacheUnavailableError):
        await SyncEngine._pages(fetch, None, consume)
    assert ended == ["page-2"]  # over when the pass is over, not some time later
