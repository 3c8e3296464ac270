"""`--store demo-ep` opens the generated demo shop through the real Elastic Path adapter."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.backends.elasticpath import ElasticPathAdapter
from app.domain.errors import ConfigurationError
from app.domain.query import CustomerQuery
from app.gateway import GatewayOptions
from app.services.paths import AppPaths
from app.services.profiles import DEMO_PROFILES
from app.services.registry import open_demo
from demostore.elasticpath import LENIENT_ENV


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


@pytest.mark.asyncio
async def test_demo_ep_is_strict_unless_the_environment_says_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = AppPaths(tmp_path / "c", tmp_path / "d", tmp_path / "ca", tmp_path / "l")
    paths.data.mkdir(parents=True)
    monkeypatch.setenv(LENIENT_ENV, "anything_goes")
    with pytest.raises(ConfigurationError, match=LENIENT_ENV):
        await open_demo(DEMO_PROFILES["demo-ep"], paths, GatewayOptions(), 20)
    monkeypatch.setenv(LENIENT_ENV, "region_for_county")
    handle = await open_demo(DEMO_PROFILES["demo-ep"], paths, GatewayOptions(), 20)
    try:
        backend = handle.backend
        assert isinstance(backend, ElasticPathAdapter)
        customer = (await backend.list_customers(CustomerQuery(page_size=1))).items[0]
        # The adapter still asks for county (its form); the emulation would take region alone.
        body = {
            "data": {
                "type": "address",
                "first_name": "R",
                "last_name": "S",
                "line_1": "1 Main St",
                "region": "WA",
                "postcode": "98101",
                "country": "US",
            }
        }
        answer = await backend._send(  # the raw request, past the adapter's own check
            "POST", f"/v2/customers/{customer.id}/addresses", json=body, idempotent=False
        )
        assert answer.status == 201
    finally:
        await handle.backend.aclose()
        await handle.aclose()
