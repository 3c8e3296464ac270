"""When the mirror re-reads orders: a store that cannot list only the changed orders
(Chec) is re-read at the sweep's cadence or when staff ask, not on every background
refresh; a store that can (Medusa) refreshes its orders on every pass."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from app.backends.protocols import SupportsOrderDirectory
from app.domain.order import OrderSummary
from app.domain.query import Page
from app.mirror.repository import MirrorRepository
from app.mirror.service import MirrorService, ReadPolicy
from app.mirror.sync import K_ORDERS_READ
from app.services.context import Services, StoreContext
from demostore.chec.repo import stored_id
from demostore.core import orders_repo
from tests.unit.app.mirror.helpers import mirror_of


class ListingCounter:
    """Counts the store-wide order listing's requests (whole re-reads have since=None)."""

    def __init__(self, backend: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[datetime | None] = []
        original: Callable[..., Any] = backend.list_orders_changed_since

        async def counted(
            since: datetime | None, page_token: str | None, page_size: int
        ) -> Page[OrderSummary]:
            self.calls.append(since)
            result: Page[OrderSummary] = await original(since, page_token, page_size)
            return result

        monkeypatch.setattr(backend, "list_orders_changed_since", counted)

    def reset(self) -> None:
        self.calls.clear()


async def _open(name: str) -> StoreContext:
    ctx = await Services.create().open_store(name, demo_customers=150, policy=ReadPolicy.LIVE)
    assert ctx.mirror is not None
    ctx.mirror.engine.order_page_size = 40  # several pages
    return ctx


@pytest_asyncio.fixture
async def chec(app_home: Path) -> AsyncIterator[StoreContext]:
    ctx = await _open("demo-chec")
    yield ctx
    await ctx.aclose()


@pytest_asyncio.fixture
async def medusa(app_home: Path) -> AsyncIterator[StoreContext]:
    ctx = await _open("demo")
    yield ctx
    await ctx.aclose()


async def _cancel_one(ctx: StoreContext) -> tuple[str, str]:
    """Cancel a pending order of some customer at the store; its (order, customer) ids."""
    backend = ctx.backend
    assert isinstance(backend, SupportsOrderDirectory)
    page = await backend.list_orders_changed_since(None, None, 200)
    victim = next(o for o in page.items if o.customer_id and o.status == "pending")
    assert victim.customer_id is not None
    assert ctx.demo is not None
    # Chec documents no cancel route: the store's own cancel stands in (the demo store keeps
    # Medusa's ids; Chec's are derived from them).
    stored = stored_id(victim.id, "ord") or victim.id
    await ctx.demo.store.call(orders_repo.cancel_order, stored)  # type: ignore[attr-defined]
    return victim.id, victim.customer_id


async def _cancelled_in_mirror(mirror: MirrorService, order: tuple[str, str]) -> bool:
    order_id, customer_id = order
    page = await mirror.orders(customer_id, None, 1000)
    assert page is not None
    return next(o for o in page.items if o.id == order_id).cancelled


async def _age_order_read(mirror: MirrorService, by: timedelta) -> None:
    """As if the last order pass ran `by` ago (the sweep interval passed meanwhile)."""
    status = await mirror.engine.status()
    assert status.orders_read_at is not None
    earlier = (status.orders_read_at - by).isoformat()
    await mirror._store.call(MirrorRepository.set_meta, {K_ORDERS_READ: earlier})
    await mirror._reload_state()


@pytest.mark.asyncio
async def test_chec_background_refresh_leaves_the_orders_to_the_sweep_cadence(
    chec: StoreContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = mirror_of(chec)
    assert isinstance(chec.backend, SupportsOrderDirectory)
    assert not chec.backend.filters_orders_by_updated_at
    counter = ListingCounter(chec.backend, monkeypatch)
    before = datetime.now(UTC)
    await mirror._background_pass()  # the first pass copies every order
    assert counter.calls
    assert mirror.orders_mirrored
    read_at = mirror.state.orders_read_at
    assert read_at is not None
    assert read_at >= before
    order_id = await _cancel_one(chec)

    counter.reset()
    await mirror._background_pass()  # the desk's refresh two minutes later
    assert counter.calls == []  # the store-wide listing is not re-read
    assert mirror.state.orders_read_at == read_at  # and the desk can say how old it is
    assert not await _cancelled_in_mirror(mirror, order_id)

    # Once the sweep interval has passed since the last order pass, the next background
    # pass re-reads the whole listing and finds the cancellation.
    await _age_order_read(mirror, timedelta(seconds=mirror.sweep_interval + 1))
    await mirror._background_pass()
    assert counter.calls
    assert set(counter.calls) == {None}
    assert await _cancelled_in_mirror(mirror, order_id)
    read_again = mirror.state.orders_read_at
    assert read_again is not None
    assert read_again > read_at


@pytest.mark.asyncio
async def test_chec_orders_are_reread_when_staff_ask(
    chec: StoreContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = mirror_of(chec)
    await mirror._background_pass()
    order_id = await _cancel_one(chec)
    counter = ListingCounter(chec.backend, monkeypatch)

    mirror.request_sync(orders=True)  # F5 in the desk
    await mirror._background_pass()
    assert counter.calls
    assert await _cancelled_in_mirror(mirror, order_id)

    counter.reset()
    await mirror._background_pass()  # the request was served: back to the cadence
    assert counter.calls == []

    # `merchant-desk sync` (MirrorService.sync) always brings the orders up to date.
    second_id = await _cancel_one(chec)
    report = await mirror.sync()
    assert report.orders is not None
    assert report.orders > 0
    assert await _cancelled_in_mirror(mirror, second_id)


@pytest.mark.asyncio
async def test_medusa_refreshes_changed_orders_on_every_background_pass(
    medusa: StoreContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = mirror_of(medusa)
    assert isinstance(medusa.backend, SupportsOrderDirectory)
    assert medusa.backend.filters_orders_by_updated_at
    await mirror._background_pass()
    order_id = await _cancel_one(medusa)
    counter = ListingCounter(medusa.backend, monkeypatch)

    await mirror._background_pass()  # no sweep due, no staff request: still refreshed
    assert counter.calls
    assert all(since is not None for since in counter.calls)
    assert await _cancelled_in_mirror(mirror, order_id)
