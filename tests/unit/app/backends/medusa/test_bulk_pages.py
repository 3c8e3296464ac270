"""The bulk listings the mirror reads map their pages a slice at a time, the event loop
(the Qt thread's, in the desk) served between slices: a page of full customers is tens of
ms of CPU."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr

from app.backends.medusa import MedusaAdapter, MedusaCredentials, mapping
from app.domain.errors import BadResponseError
from app.gateway import GatewayOptions
from app.gateway.slices import SLICE
from demostore.core import FaultSettings, open_demo
from demostore.medusa import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, create_demo_app

CREDS = MedusaCredentials(email=DEMO_ADMIN_EMAIL, password=SecretStr(DEMO_ADMIN_PASSWORD))


@pytest_asyncio.fixture
async def adapter(tmp_path: Path) -> AsyncIterator[MedusaAdapter]:
    store = await open_demo(str(tmp_path / "bulk.sqlite3"), customers=2 * SLICE + 5)
    transport = httpx.ASGITransport(app=create_demo_app(store, FaultSettings()))
    shop = MedusaAdapter("http://demo.test", CREDS, GatewayOptions(transport=transport))
    try:
        yield shop
    finally:
        await shop.aclose()
        await store.aclose()


class Ticks:
    """A task counting its turns on the loop, and the count each mapped row saw."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
        self.now = 0
        self.seen: list[int] = []
        real: Callable[[Any], Any] = getattr(mapping, name)

        def recorded(row: Any) -> Any:
            self.seen.append(self.now)
            return real(row)

        monkeypatch.setattr(mapping, name, recorded)

    async def run(self) -> None:
        while True:
            self.now += 1
            await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_a_customer_page_is_mapped_in_slices_and_paging_reaches_everyone(
    adapter: MedusaAdapter, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticks = Ticks(monkeypatch, "customer")
    beat = asyncio.ensure_future(ticks.run())
    try:
        first = await adapter.list_changed_since(None, None, 2 * SLICE)
        assert len(set(ticks.seen)) == 2  # two slices, the loop served between them
        rest = await adapter.list_changed_since(None, first.next_token, 2 * SLICE)
    finally:
        beat.cancel()
    ids = [c.id for c in (*first.items, *rest.items)]
    assert len(ids) == len(set(ids)) == 2 * SLICE + 5
    assert ids == sorted(ids)
    assert rest.next_token is None


@pytest.mark.asyncio
async def test_an_order_page_is_mapped_in_slices(
    adapter: MedusaAdapter, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticks = Ticks(monkeypatch, "order_summary")
    beat = asyncio.ensure_future(ticks.run())
    try:
        page = await adapter.list_orders_changed_since(None, None, SLICE + 3)
    finally:
        beat.cancel()
    assert len(page.items) == SLICE + 3
    assert len(set(ticks.seen)) == 2


@pytest.mark.asyncio
async def test_a_malformed_page_is_still_a_bad_response(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(row: Any) -> Any:
        raise AssertionError("a row of a malformed page was mapped")

    monkeypatch.setattr(mapping, "customer", broken)
    body = b'{"customers": [{"id": 5}], "count": 1, "offset": 0, "limit": 5}'
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    key = MedusaCredentials(api_key=SecretStr("sk_test"))  # no sign-in request
    shop = MedusaAdapter("http://demo.test", key, GatewayOptions(transport=transport))
    try:
        with pytest.raises(BadResponseError):
            await shop.list_changed_since(None, None, 5)
    finally:
        await shop.aclose()
