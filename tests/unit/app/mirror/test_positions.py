"""Rows by position (`MirrorService.page_at`): every window is exactly that slice of the
keyset-paged list, for every sort order, filters and free text, read from either end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from app.domain.query import RECORD_SORTS, CustomerQuery, Sort
from app.mirror.service import ReadPolicy
from app.services.context import Services, StoreContext
from tests.unit.app.mirror.helpers import mirror_of


@pytest_asyncio.fixture
async def synced(app_home: Path) -> AsyncIterator[StoreContext]:
    ctx = await Services.create().open_store("demo", demo_customers=400, policy=ReadPolicy.MIRROR)
    await mirror_of(ctx).sync()
    yield ctx
    await ctx.aclose()


async def _paged_ids(ctx: StoreContext, query: CustomerQuery) -> list[str]:
    out: list[str] = []
    token: str | None = None
    while True:
        page = await mirror_of(ctx).search(query, token, count=False)
        out.extend(c.id for c in page.items)
        token = page.next_token
        if token is None:
            return out


QUERIES = [
    CustomerQuery(page_size=50),
    CustomerQuery(text="an", page_size=50),  # too short for the trigram index: a scan
    CustomerQuery(text="example", page_size=50),  # exact through the trigram index
    CustomerQuery(text="e gmbh", page_size=50),  # index plus a row test
    CustomerQuery(text="ann", has_account=True, page_size=50),
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.text or "all")
@pytest.mark.asyncio
async def test_windows_are_slices_of_the_paged_list(
    synced: StoreContext, query: CustomerQuery
) -> None:
    mirror = mirror_of(synced)
    for field in sorted(RECORD_SORTS):
        for descending in (False, True):
            q = query.model_copy(update={"sort": Sort(field=field, descending=descending)})
            expected = await _paged_ids(synced, q)
            total = len(expected)
            assert total == await mirror.count(q)
            for offset in {0, 7, total // 2 - 3, total // 2 + 1, max(total - 30, 0), total - 1}:
                for known in (None, total):
                    rows = await mirror.page_at(q, max(offset, 0), 30, total=known)
                    want = expected[max(offset, 0) : max(offset, 0) + 30]
                    assert [c.id for c in rows] == want, (field, descending, offset, known)


@pytest.mark.asyncio
async def test_out_of_range_windows_are_empty(synced: StoreContext) -> None:
    mirror = mirror_of(synced)
    query = CustomerQuery()
    total = await mirror.count(query)
    assert await mirror.page_at(query, total, 10, total=total) == []
    assert await mirror.page_at(query, total + 5, 10) == []
    assert await mirror.page_at(query, 0, 0) == []
    last = await mirror.page_at(query, total - 3, 10, total=total)
    assert len(last) == 3


@pytest.mark.asyncio
async def test_customer_service_reads_positions_only_from_an_answering_mirror(
    synced: StoreContext,
) -> None:
    from app.domain.errors import UnsupportedOperationError

    first = await synced.customers.page_at(CustomerQuery(), 0, 5)
    assert len(first) == 5
    mirror_of(synced).policy = ReadPolicy.LIVE  # the backend answers searches again
    with pytest.raises(UnsupportedOperationError):
        await synced.customers.page_at(CustomerQuery(), 0, 5)


@pytest.mark.asyncio
async def test_windows_carry_the_order_figures_of_the_paged_list(synced: StoreContext) -> None:
    # A list scrolled or jumped to a place reads rows by position: sorted by spent, its
    # rows must show the figures the paged rows show (blank would read "unknown").
    mirror = mirror_of(synced)
    assert mirror.orders_mirrored
    query = CustomerQuery(sort=Sort.parse("-spent"), page_size=50)
    paged = (await mirror.search(query, None, count=False)).items
    assert any(c.orders is not None and c.orders.order_count for c in paged)
    total = await mirror.count(query)
    for known in (None, total):
        window = await mirror.page_at(query, 0, 50, total=known)
        assert [(c.id, c.orders) for c in window] == [(c.id, c.orders) for c in paged]
    tail = await mirror.page_at(query, total - 5, 5, total=total)
    assert all(c.orders is not None for c in tail)
