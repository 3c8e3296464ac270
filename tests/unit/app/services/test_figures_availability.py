"""Why order filters and sorts are off, store by store: each reason is the real one."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.errors import OrdersNotMirroredError
from app.domain.query import CustomerQuery, OrderFilter
from app.services.context import Services
from app.services.figures_availability import (
    NO_MIRROR,
    NOT_YET,
    figures_unavailable,
)

ORDER_QUERY = CustomerQuery(orders=OrderFilter(has_orders=True))


@pytest.mark.asyncio
async def test_medusa_demo_answers_once_its_orders_are_mirrored(app_home: Path) -> None:
    services = Services.create()
    ctx = await services.open_store("demo", demo_customers=60)
    try:
        assert figures_unavailable(ctx.customers) == NOT_YET
        with pytest.raises(OrdersNotMirroredError):  # the reason matches the service
            await ctx.customers.search(ORDER_QUERY)
        assert ctx.mirror is not None
        await ctx.mirror.sync()
        assert figures_unavailable(ctx.customers) is None
        assert (await ctx.customers.search(ORDER_QUERY)).items
    finally:
        await ctx.aclose()
    bare = await services.open_store("demo", policy=None)
    try:
        assert figures_unavailable(bare.customers) == NO_MIRROR
    finally:
        await bare.aclose()


@pytest.mark.asyncio
async def test_chec_answers_once_its_orders_are_mirrored(app_home: Path) -> None:
    ctx = await Services.create().open_store("demo-chec", demo_customers=40)
    try:
        assert ctx.mirror is not None
        assert ctx.mirror.lists_orders  # else the reason would be NO_LISTING
        assert figures_unavailable(ctx.customers) == NOT_YET
        await ctx.mirror.sync()
        assert figures_unavailable(ctx.customers) is None
        await ctx.customers.search(ORDER_QUERY)  # answered, not refused
    finally:
        await ctx.aclose()
