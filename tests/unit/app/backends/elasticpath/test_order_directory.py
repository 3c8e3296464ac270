"""Every order of an Elastic Path store past the hard offset cap of /v2/orders: the adapter
moves a created_at window (pagination.md's way) instead of the offset, so a store with more
orders than the cap lists each once. The emulation enforces the cap, lowered here to 30 so
75 orders (20 of them created in one millisecond) are more than it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

import pytest
import pytest_asyncio
from pydantic import SecretStr

from app.backends.elasticpath import ElasticPathAdapter, ElasticPathCredentials
from app.domain.customer import CustomerDraft
from app.domain.order import OrderSummary
from app.gateway import GatewayOptions
from app.gateway.inprocess import asgi_options
from demostore.core import DemoStore, FaultSettings
from demostore.core.database import Database
from demostore.core.orders_repo import insert_order
from demostore.elasticpath import (
    DEMO_EP_CLIENT_ID,
    DEMO_EP_CLIENT_SECRET,
    EPDemoSettings,
    create_ep_app,
    prepare,
)
from demostore.elasticpath import repo as ep_repo
from demostore.elasticpath.errors import EPError

pytestmark = pytest.mark.asyncio

CAP = 30
ORDERS = 75
TIED = 20  # orders sharing one created_at, more than a page


@dataclass
class Shop:
    adapter: ElasticPathAdapter
    store: DemoStore
    placed: dict[str, str]  # order id -> customer id


def _seed(db: Database, customers: list[str]) -> dict[str, str]:
    placed: dict[str, str] = {}
    with db.transaction():
        for i in range(ORDERS):
            owner = customers[i % len(customers)]
            order_id = insert_order(
                db,
                region_id=None,
                currency_code="eur",
                customer_id=owner,
                email=None,
                sales_channel_id=None,
                items=[{"title": "Tea", "unit_price": "2", "quantity": 1 + i % 3}],
                is_draft=False,
            )
            placed[order_id] = owner
        # One order a second, except TIED of them in one instant (ids sort by creation).
        ordered = sorted(placed)
        stamps = [f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}.000000Z" for i in range(ORDERS)]
        for i in range(10, 10 + TIED):
            stamps[i] = stamps[10]
        db.conn.executemany(
            'UPDATE "order" SET created_at = ?, updated_at = ? WHERE id = ?',
            [(stamp, stamp, order_id) for stamp, order_id in zip(stamps, ordered, strict=True)],
        )
    return placed


@pytest_asyncio.fixture
async def shop() -> AsyncIterator[Shop]:
    async with DemoStore(":memory:") as store:
        await prepare(store)
        settings = EPDemoSettings(order_offset_cap=CAP)
        app = create_ep_app(store, FaultSettings(), settings=settings)
        creds = ElasticPathCredentials(DEMO_EP_CLIENT_ID, SecretStr(DEMO_EP_CLIENT_SECRET))
        adapter = ElasticPathAdapter("http://ep.test", creds, asgi_options(app, GatewayOptions()))
        try:
            customers = [
                (await adapter.create_customer(CustomerDraft(email=f"c{n}@example.com"))).id
                for n in range(3)
            ]
            placed = await store.call(_seed, customers)
            yield Shop(adapter, store, placed)
        finally:
            await adapter.aclose()


async def _pass(shop: Shop, size: int, since: datetime | None = None) -> list[OrderSummary]:
    out: list[OrderSummary] = []
    token: str | None = None
    for _ in range(1000):
        page = await shop.adapter.list_orders_changed_since(since, token, size)
        out.extend(page.items)
        if page.next_token is None:
            return out
        token = page.next_token
    raise AssertionError("the pass never ended")


async def test_the_emulation_refuses_an_offset_past_the_cap(shop: Shop) -> None:
    await shop.store.call(ep_repo.list_orders, {"page[offset]": str(CAP)}, CAP)  # at the cap
    with pytest.raises(EPError) as refused:
        await shop.store.call(ep_repo.list_orders, {"page[offset]": str(CAP + 1)}, CAP)
    assert refused.value.status == 400


@pytest.mark.parametrize("size", [7, 100, 500])
async def test_every_order_is_listed_once_past_the_offset_cap(shop: Shop, size: int) -> None:
    listed = await _pass(shop, size)
    ids = [o.id for o in listed]
    assert len(ids) == len(set(ids)) == ORDERS
    assert {o.id: o.customer_id for o in listed} == shop.placed
    moments = [o.created_at for o in listed]
    assert moments == sorted(moments)  # one created_at pass, oldest first


async def test_an_incremental_pass_brings_only_what_changed(shop: Shop) -> None:
    everything = await _pass(shop, 50)
    watermark = max(o.updated_at for o in everything if o.updated_at is not None)
    victim = everything[-1].id
    cancelled = await shop.store.call(
        ep_repo.update_order, victim, {"data": {"type": "order", "status": "cancelled"}}
    )
    assert cancelled["data"]["status"] == "cancelled"
    later = {o.id: o for o in await _pass(shop, 50, watermark)}
    assert victim in later
    assert later[victim].cancelled
    stamped = {o.id: o.updated_at for o in everything}
    assert all(stamped[i] == watermark for i in later if i != victim)
