"""`--store demo-ep` opens the generated demo shop through the real Elastic Path adapter."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.backends.elasticpath import ElasticPathAdapter
from app.domain.query import CustomerQuery
from app.gateway import GatewayOptions
from app.services.paths import AppPaths
from app.services.profiles import DEMO_PROFILES
from app.services.registry import open_demo


@pytest.mark.asyncio
async def test_demo_ep_opens_a_generated_shop(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "c", tmp_path / "d", tmp_path / "ca", tmp_path / "l")
    paths.data.mkdir(parents=True)
    handle = await open_demo(DEMO_PROFILES["demo-ep"], paths, GatewayOptions(), 60)
    try:
        backend = handle.backend
        assert isinstance(backend, ElasticPathAdapter)
        page = await backend.list_customers(CustomerQuery(page_size=150))
        assert page.total is not None
        assert page.total > 40  # some generated customers are soft-deleted
        assert len(page.items) == min(150, page.total)  # pages of 100 joined up
        assert await backend.field_slugs() == {"source", "loyalty_points", "newsletter"}
        with_meta = [c for c in page.items if c.has_account]
        assert with_meta  # generated accounts show as `password: true`
        detail = await backend.get_customer(page.items[0].id)
        assert detail.first_name
        orders = await backend.list_orders(detail.id)
        assert orders.total is not None
        assert (tmp_path / "d" / "demo-ep-store.sqlite3").exists()
    finally:
        await handle.backend.aclose()
        await handle.aclose()
