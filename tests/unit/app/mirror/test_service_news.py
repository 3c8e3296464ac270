"""What the mirror tells the desk: edits sent, edits waiting, whether the store answers,
and orders it cannot vouch for (issue 12, points 2, 6 and 15)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from app.domain.errors import OfflineError
from app.domain.patch import CustomerPatch
from app.domain.query import CustomerQuery
from app.mirror.service import MirrorState
from app.services.context import Services, StoreContext
from tests.unit.app.mirror.helpers import forget_order_copy, mirror_of, set_offline


@pytest_asyncio.fixture
async def ctx(app_home: Path) -> AsyncIterator[StoreContext]:
    context = await Services.create().open_store("demo", demo_customers=60)
    assert context.mirror is not None
    await context.mirror.sync()
    yield context
    await context.aclose()


@pytest.mark.asyncio
async def test_waiting_edits_are_listed_and_their_sending_announced(ctx: StoreContext) -> None:
    mirror = mirror_of(ctx)
    page = await ctx.customers.search(CustomerQuery(page_size=2))
    first, second = page.items
    set_offline(ctx)
    assert await mirror.check() is not None
    await ctx.customers.update(first.id, CustomerPatch(company="One Ltd"))
    await ctx.customers.update(second.id, CustomerPatch(phone="+44 20 7946 0000"))
    waiting = await mirror.waiting_edits()
    assert [(w.customer_id, w.fields, w.conflict) for w in waiting] == [
        (first.id, ("company",), False),
        (second.id, ("phone",), False),
    ]
    assert waiting[0].customer_name == first.display_name

    states: list[MirrorState] = []
    mirror.subscribe(states.append)
    set_offline(ctx, False)
    assert await mirror.check() is None
    report = await mirror.replay()
    assert report.sent == 2
    assert "2 edits sent to the store." in [s.announcement for s in states]
    assert await mirror.waiting_edits() == []


@pytest.mark.asyncio
async def test_check_reports_the_store_going_away_and_coming_back(ctx: StoreContext) -> None:
    mirror = mirror_of(ctx)
    assert ctx.customers.lists_from_mirror()  # a full copy answers the searches
    set_offline(ctx)
    assert await mirror.check() is not None
    assert not mirror.online
    set_offline(ctx, False)
    assert await mirror.check() is None
    assert mirror.online


@pytest.mark.asyncio
async def test_offline_orders_of_any_customer_come_from_the_order_mirror(
    ctx: StoreContext,
) -> None:
    """Medusa lists every order: the sync mirrored them, so a customer never opened has
    its orders offline, as the store lists them."""
    page = await ctx.customers.search(CustomerQuery(page_size=20))
    online = {c.id: (await ctx.customers.orders(c.id, page_size=100)).items for c in page.items}
    assert any(online.values())
    set_offline(ctx)
    assert await mirror_of(ctx).check() is not None
    for cid, orders in online.items():
        kept = (await ctx.customers.orders(cid, page_size=100)).items
        assert [o.id for o in kept] == [o.id for o in orders]


@pytest.mark.asyncio
async def test_offline_orders_the_mirror_never_saw_are_not_claimed_to_be_none(
    ctx: StoreContext,
) -> None:
    await forget_order_copy(ctx)  # the copy of every order did not complete
    mirror = mirror_of(ctx)
    page = await ctx.customers.search(CustomerQuery(page_size=60))
    seen = None
    for customer in page.items:
        if (await ctx.customers.orders(customer.id)).items:
            seen = customer
            break
    assert seen is not None
    # One never opened: its orders were never read, so the mirror cannot know them.
    unseen = page.items[page.items.index(seen) + 1]
    set_offline(ctx)
    assert await mirror.check() is not None
    kept = await ctx.customers.orders(seen.id)
    assert kept.items  # what the mirror holds is shown
    with pytest.raises(OfflineError, match="cannot be loaded while the store is unreachable"):
        await ctx.customers.orders(unseen.id)
