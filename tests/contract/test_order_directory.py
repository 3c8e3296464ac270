"""The store-wide order listing the mirror copies (`SupportsOrderDirectory`): every order
once, with its customer, and an incremental listing that brings back a changed order."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from app.backends.protocols import SupportsOrderDirectory
from app.domain.order import OrderSummary
from tests.contract.conftest import Target
from tests.contract.harness import CancelsOrders

pytestmark = pytest.mark.asyncio


def _directory(target: Target) -> SupportsOrderDirectory:
    assert isinstance(target.backend, SupportsOrderDirectory)  # every target lists them
    return target.backend


async def _every_order(
    directory: SupportsOrderDirectory, since: datetime | None = None, page_size: int = 2
) -> list[OrderSummary]:
    out: list[OrderSummary] = []
    token: str | None = None
    while True:
        page = await directory.list_orders_changed_since(since, token, page_size)
        out.extend(page.items)
        if page.next_token is None:
            return out
        token = page.next_token


async def test_every_order_listed_once_with_its_customer(target: Target) -> None:
    directory = _directory(target)
    anna = await target.harness.register_customer(target.email("anna"), "Anna", "Alt")
    bert = await target.harness.register_customer(target.email("bert"), "Bert", "Brun")
    placed = {
        await target.harness.create_order(anna, [("Tea", Decimal("4.50"), 2)]): anna,
        await target.harness.create_order(bert, [("Cup", Decimal("7"), 1)]): bert,
        await target.harness.create_order(
            anna, [("Pot", Decimal("20"), 1), ("Lid", Decimal("1"), 3)]
        ): anna,
    }

    listed = await _every_order(directory)

    ids = [o.id for o in listed]
    assert len(ids) == len(set(ids)), "an order was listed twice"
    mine = {o.id: o for o in listed if o.id in placed}
    assert set(mine) == set(placed)
    for order_id, customer_id in placed.items():
        order = mine[order_id]
        assert order.customer_id == customer_id
        assert order.updated_at is not None
        assert order.updated_at >= order.created_at
        assert not order.cancelled
    counts = sorted(o.item_count for o in mine.values() if o.item_count is not None)
    assert counts in ([], [1, 2, 4]), counts  # None only where a listing carries no lines


async def test_incremental_listing_brings_back_a_cancelled_order(target: Target) -> None:
    directory = _directory(target)
    if not isinstance(target.harness, CancelsOrders):
        pytest.skip(f"{target.name}'s API has no order cancellation to change an order with")
    customer = await target.harness.register_customer(target.email("carl"), "Carl", "Cole")
    kept = await target.harness.create_order(customer, [("Mug", Decimal("9"), 1)])
    dropped = await target.harness.create_order(customer, [("Jug", Decimal("12"), 1)])
    before = {o.id: o for o in await _every_order(directory, page_size=50)}
    assert {kept, dropped} <= set(before)
    watermark = max(o.updated_at for o in before.values() if o.updated_at is not None)

    await target.harness.cancel_order(dropped)

    changed = {
        o.id: o for o in await _every_order(directory, watermark + timedelta(milliseconds=1))
    }
    assert dropped in changed
    again = changed[dropped]
    assert again.cancelled
    earlier = before[dropped].updated_at
    assert again.updated_at is not None
    assert earlier is not None
    assert again.updated_at > earlier
    if directory.filters_orders_by_updated_at:
        assert kept not in changed  # unchanged since the watermark: filtered at the server
    else:
        assert kept in changed
        assert not changed[kept].cancelled
