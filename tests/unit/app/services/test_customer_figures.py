"""Customer 360 figures through the services, against the demo store's Medusa dialect:
they equal a count over the backend's own order listing; queries by order figures are
answered by the mirror alone, or refused with the reason."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import cast

import pytest
import pytest_asyncio

from app.backends.protocols import Backend, SupportsOrderDirectory
from app.domain.errors import OrdersNotMirroredError
from app.domain.order import OrderSummary
from app.domain.query import CustomerQuery, OrderFilter, Sort, SortField
from app.mirror.service import MirrorService, ReadPolicy
from app.services.context import Services, StoreContext
from app.services.customers import CustomerService
from demostore.core import orders_repo
from tests.unit.app.mirror.helpers import WithoutOrderDirectory, mirror_of
from tests.unit.app.mirror.orders import expected_figures, main_currency, same_figures


async def _listing(ctx: StoreContext) -> list[OrderSummary]:
    backend = ctx.backend
    assert isinstance(backend, SupportsOrderDirectory)
    out: list[OrderSummary] = []
    token: str | None = None
    while True:
        page = await backend.list_orders_changed_since(None, token, 1000)
        out.extend(page.items)
        token = page.next_token
        if token is None:
            return out


async def _every_page(ctx: StoreContext, query: CustomerQuery) -> list[str]:
    out: list[str] = []
    token: str | None = None
    while True:
        page = await ctx.customers.search(query, token)
        out.extend(c.id for c in page.items)
        token = page.next_token
        if token is None:
            return out


@pytest_asyncio.fixture
async def ctx(app_home: Path) -> AsyncIterator[StoreContext]:
    context = await Services.create().open_store("demo", demo_customers=300, policy=ReadPolicy.LIVE)
    mirror_of(context).engine.order_page_size = 90  # several pages
    yield context
    await context.aclose()


@pytest.mark.asyncio
@pytest.mark.parametrize("dialect", ["demo", "demo-chec", "demo-ep"])
async def test_figures_equal_a_count_over_the_backends_listing(
    app_home: Path, dialect: str
) -> None:
    """Medusa and Elastic Path filter their listings by updated_at; Chec cannot, so each
    refresh re-reads it."""
    ctx = await Services.create().open_store(dialect, demo_customers=300, policy=ReadPolicy.LIVE)
    try:
        mirror_of(ctx).engine.order_page_size = 90  # several pages
        await _figures_equal_a_count_over_the_listing(ctx)
        await mirror_of(ctx).sync()  # a refresh: incremental, or a re-read (Chec)
        await _figures_equal_a_count_over_the_listing(ctx)
    finally:
        await ctx.aclose()


async def _figures_equal_a_count_over_the_listing(ctx: StoreContext) -> None:
    mirror = mirror_of(ctx)
    first = not mirror.orders_mirrored
    if first:
        assert await ctx.customers.figures("anyone") is None  # not mirrored yet: unknown
        report = await mirror.sync()
    listing = await _listing(ctx)
    if first:
        assert report.orders == len(listing) > 300
    assert mirror.orders_mirrored
    assert any(o.cancelled and o.customer_id for o in listing)
    assert any(o.refunded and o.refunded.amount > 0 for o in listing)
    customers = await _every_page(ctx, CustomerQuery(page_size=1000))
    for cid in customers:
        figures = await ctx.customers.figures(cid)
        assert figures is not None
        assert same_figures(figures, expected_figures(listing, cid)), cid

    # The list: by spent, highest first, rows with their figures, pages like one read.
    main = main_currency(listing)
    query = CustomerQuery(sort=Sort(field=SortField.SPENT, descending=True), page_size=1000)
    page = await ctx.customers.search(query)
    spent = {
        c.id: c.orders.spent.amount if c.orders and c.orders.spent else Decimal(0)
        for c in page.items
    }
    assert list(spent.values()) == sorted(spent.values(), reverse=True)
    for row in page.items[:50]:
        want = expected_figures(listing, row.id)
        assert row.orders is not None
        assert row.orders.order_count == want.order_count
        assert row.orders.spent == next(
            (c.spent for c in want.currencies if c.currency == main), None
        )
    assert await _every_page(ctx, query.model_copy(update={"page_size": 37})) == [
        c.id for c in page.items
    ]
    # Policy LIVE: still the mirror, as no backend sorts or filters by orders.
    rich = CustomerQuery(orders=OrderFilter(min_spent=Decimal(500)), page_size=1000)
    found = await _every_page(ctx, rich)
    assert await ctx.customers.count(rich) == len(found) > 0
    assert all(spent[c] >= 500 for c in found)
    assert {c for c, v in spent.items() if v >= 500} == set(found)


@pytest.mark.asyncio
async def test_refresh_picks_up_an_order_cancelled_at_the_store(ctx: StoreContext) -> None:
    mirror = mirror_of(ctx)
    await mirror.sync()
    listing = await _listing(ctx)
    victim = next(o for o in listing if o.customer_id and o.status == "pending" and not o.cancelled)
    assert victim.customer_id is not None
    before = await ctx.customers.figures(victim.customer_id)
    assert ctx.demo is not None
    await ctx.demo.store.call(orders_repo.cancel_order, victim.id)  # type: ignore[attr-defined]

    report = await mirror.sync()
    assert report.phase == "refresh"
    assert report.orders is not None
    # Only what changed since the newest change mirrored before (with the orders last
    # changed at that very moment, `updated_at >= mark`), not the whole listing.
    assert 0 < report.orders < len(listing) / 10
    after = await ctx.customers.figures(victim.customer_id)
    assert before is not None
    assert after is not None
    assert after.order_count == before.order_count - 1
    assert after.cancelled_count == before.cancelled_count + 1
    assert same_figures(after, expected_figures(await _listing(ctx), victim.customer_id))


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "query",
    [
        CustomerQuery(sort=Sort(field=SortField.SPENT, descending=True)),
        CustomerQuery(sort=Sort(field=SortField.LAST_ORDER_AT)),
        CustomerQuery(text="anna", orders=OrderFilter(has_orders=True)),
    ],
)
async def test_queries_by_orders_are_refused_until_the_orders_are_mirrored(
    ctx: StoreContext, query: CustomerQuery
) -> None:
    with pytest.raises(OrdersNotMirroredError, match="not complete yet"):
        await ctx.customers.search(query)
    with pytest.raises(OrdersNotMirroredError):
        await ctx.customers.count(query)
    await mirror_of(ctx).sync()
    assert (await ctx.customers.search(query)).items


@pytest.mark.asyncio
async def test_a_store_that_cannot_list_its_orders_has_no_figures(
    app_home: Path, tmp_path: Path
) -> None:
    context = await Services.create().open_store("demo", demo_customers=30, policy=None)
    backend = cast(Backend, WithoutOrderDirectory(context.backend))
    mirror = MirrorService(backend, tmp_path / "m.sqlite3", "demo")
    await mirror.open()
    try:
        assert not isinstance(backend, SupportsOrderDirectory)
        customers = CustomerService(backend, mirror)
        report = await mirror.sync()
        assert report.orders is None
        assert not mirror.orders_mirrored
        page = await customers.search(CustomerQuery())
        assert page.items
        assert all(c.orders is None for c in page.items)  # unknown, not zero
        assert await customers.figures(page.items[0].id) is None
        with pytest.raises(OrdersNotMirroredError, match="cannot list every order"):
            await customers.search(CustomerQuery(orders=OrderFilter(has_orders=False)))
    finally:
        await mirror.aclose()
        await context.aclose()


@pytest.mark.asyncio
async def test_without_a_mirror_figures_are_unknown(app_home: Path) -> None:
    context = await Services.create().open_store("demo", demo_customers=20, policy=None)
    try:
        assert await context.customers.figures("cus_x") is None
        with pytest.raises(OrdersNotMirroredError, match="turned off"):
            await context.customers.search(CustomerQuery(sort=Sort(field=SortField.ORDER_COUNT)))
    finally:
        await context.aclose()
