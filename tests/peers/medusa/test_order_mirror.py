"""The order mirror against a real Medusa 2.21.2: the figures equal a count over Medusa's
own order listing, after a full pass and after a refresh that meets a cancelled order."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from app.backends.medusa import MedusaAdapter
from app.domain.order import OrderSummary
from app.domain.query import CustomerQuery, Sort, SortField
from app.mirror.repository import MirrorRepository
from app.mirror.store import MirrorStore
from app.mirror.sync import SyncEngine
from tests.contract.medusa_harness import MedusaDialectHarness
from tests.unit.app.mirror.orders import expected_figures, same_figures

pytestmark = [pytest.mark.peer, pytest.mark.asyncio]


async def _listing(adapter: MedusaAdapter) -> list[OrderSummary]:
    out: list[OrderSummary] = []
    token: str | None = None
    while True:
        page = await adapter.list_orders_changed_since(None, token, 100)
        out.extend(page.items)
        token = page.next_token
        if token is None:
            return out


async def test_figures_equal_a_count_over_medusas_listing(
    harness: MedusaDialectHarness, adapter: MedusaAdapter, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    buyers = [
        await harness.register_customer(f"{name}.{tag}@example.com", name.title(), "Figures")
        for name in ("ida", "jon", "kim")
    ]
    placed: list[tuple[str, str]] = []  # (order, customer)
    for i in range(7):
        buyer = buyers[i % 2]  # kim never orders
        items = [("Tea", Decimal("4.35"), i + 1), ("Cup", Decimal("0.10"), 3)]
        placed.append((await harness.create_order(buyer, items), buyer))
    await harness.admin_request("POST", f"/admin/orders/{placed[0][0]}/cancel")

    store = MirrorStore(tmp_path / "m.sqlite3")
    await store.open()
    try:
        engine = SyncEngine(adapter, store, order_page_size=3)  # several keyset pages
        await engine.full()
        await engine.full_orders()
        listing = await _listing(adapter)
        for cid in buyers:
            figures = await store.call(MirrorRepository.figures, cid)
            assert same_figures(figures, expected_figures(listing, cid)), cid
        ida = await store.call(MirrorRepository.figures, buyers[0])
        assert (ida.order_count, ida.cancelled_count) == (3, 1)  # orders 2, 4, 6 count
        eur = ida.currencies[0]
        assert eur.spent.amount == sum(Decimal("4.35") * q + Decimal("0.30") for q in (3, 5, 7))
        kim = await store.call(MirrorRepository.figures, buyers[2])
        assert kim.order_count == 0

        # The mirror's list, by spent, shows them in that order with their figures.
        page = await store.call(
            MirrorRepository.search,
            CustomerQuery(text=tag, sort=Sort(field=SortField.SPENT, descending=True)),
        )
        assert [c.id for c in page.items] == buyers  # 66.15, 53.10, nothing
        assert [c.orders.order_count for c in page.items if c.orders] == [3, 3, 0]

        # A first refresh starts from the customers' mark (a server time read before the
        # full pass); from then on, from the newest order change mirrored.
        await engine.refresh_orders()
        # A cancel at the store: the refresh (updated_at since the last change) sees it.
        await harness.admin_request("POST", f"/admin/orders/{placed[1][0]}/cancel")
        fetched = await engine.refresh_orders()
        assert 0 < fetched <= 2  # the cancel, and the order last changed at the mark
        jon = await store.call(MirrorRepository.figures, buyers[1])
        assert (jon.order_count, jon.cancelled_count) == (2, 1)
        assert same_figures(jon, expected_figures(await _listing(adapter), buyers[1]))
    finally:
        await store.aclose()
