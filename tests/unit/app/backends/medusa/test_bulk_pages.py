"""The bulk listings the mirror reads parse and map their pages off the event loop (the Qt
thread's loop in the desk): a page of full customers is tens of ms of CPU."""

from __future__ import annotations

import threading
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
from demostore.core import FaultSettings, open_demo
from demostore.medusa import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, create_demo_app

CREDS = MedusaCredentials(email=DEMO_ADMIN_EMAIL, password=SecretStr(DEMO_ADMIN_PASSWORD))


@pytest_asyncio.fixture
async def adapter(tmp_path: Path) -> AsyncIterator[MedusaAdapter]:
    store = await open_demo(str(tmp_path / "bulk.sqlite3"), customers=30)
    transport = httpx.ASGITransport(app=create_demo_app(store, FaultSettings()))
    shop = MedusaAdapter("http://demo.test", CREDS, GatewayOptions(transport=transport))
    try:
        yield shop
    finally:
        await shop.aclose()
        await store.aclose()


def spy(monkeypatch: pytest.MonkeyPatch, name: str) -> set[int]:
    """The threads `mapping.<name>` ran on."""
    threads: set[int] = set()
    real: Callable[[Any], Any] = getattr(mapping, name)

    def recorded(row: Any) -> Any:
        threads.add(threading.get_ident())
        return real(row)

    monkeypatch.setattr(mapping, name, recorded)
    return threads


@pytest.mark.asyncio
async def test_customer_pages_are_mapped_off_the_loop_and_page_through_everyone(
    adapter: MedusaAdapter, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads = spy(monkeypatch, "customer")
    seen: list[str] = []
    token: str | None = None
    while True:
        page = await adapter.list_changed_since(None, token, 7)
        seen += [c.id for c in page.items]
        if page.next_token is None:
            break
        token = page.next_token
    assert len(seen) == len(set(seen)) == 30
    assert seen == sorted(seen)
    assert threads
    assert threading.get_ident() not in threads


@pytest.mark.asyncio
async def test_order_pages_are_mapped_off_the_loop(
    adapter: MedusaAdapter, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads = spy(monkeypatch, "order_summary")
    page = await adapter.list_orders_changed_since(None, None, 5)
    assert page.items
    assert page.total is not None
    assert page.next_token is not None
    assert threads
    assert threading.get_ident() not in threads


@pytest.mark.asyncio
async def test_a_malformed_page_is_still_a_bad_response(
    adapter: MedusaAdapter, monkeypatch: pytest.MonkeyPatch
) -> None:
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
