"""A server that serves the same page forever (issue 13 point 3), on every backend.

Before the fix `customers list --limit 0` printed 318,001 lines for 1,200 customers and
`sync --full` never ended. Each server below ignores the cursor and counts 1,200 rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from app.domain.errors import EndlessPagesError
from app.domain.query import CustomerQuery, Sort, SortField
from app.gateway import GatewayOptions, RetryPolicy
from app.mirror.store import MirrorStore
from app.mirror.sync import SyncEngine
from app.services.customers import CustomerService
from tests.unit.app.backends.adapters import chec, elasticpath, medusa

pytestmark = pytest.mark.asyncio
STAMP = "2026-01-01T00:00:00Z"


def medusa_page(limit: int) -> dict[str, Any]:
    rows = [{"id": f"cus_{i:04d}", "created_at": STAMP, "updated_at": STAMP} for i in range(limit)]
    return {"customers": rows, "count": 1200, "groups": []}


def chec_page(limit: int) -> dict[str, Any]:
    rows = [{"id": f"cstmr_{i:04d}", "created": 1, "updated": 1} for i in range(limit)]
    pages = {"total": 1200, "total_pages": 1200 // max(limit, 1), "per_page": limit}
    return {"data": rows, "meta": {"pagination": pages}}


def ep_page(limit: int) -> dict[str, Any]:
    stamps = {"timestamps": {"created_at": STAMP, "updated_at": STAMP}}
    rows = [{"id": f"{i:08d}-0000-0000-0000-000000000000", "meta": stamps} for i in range(limit)]
    return {"data": rows, "meta": {"results": {"total": 1200}}}


def server(page: Callable[[int], dict[str, Any]]) -> tuple[GatewayOptions, list[int]]:
    calls = [0]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/access_token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
        if request.url.path.endswith("/fields") or "groups" in request.url.path:
            return httpx.Response(200, json={"data": [], "customer_groups": [], "count": 0})
        calls[0] += 1
        params = request.url.params
        limit = int(params.get("limit") or params.get("page[limit]") or 10)
        return httpx.Response(200, json=page(min(limit, 100)))

    options = GatewayOptions(transport=httpx.MockTransport(handler), retry=RetryPolicy(0))
    return options, calls


CASES = [(medusa, medusa_page), (chec, chec_page), (elasticpath, ep_page)]
SORTS = [Sort(field=SortField.ID), Sort(field=SortField.CREATED_AT, descending=True)]


@pytest.mark.parametrize("sort", SORTS, ids=["id", "created"])
@pytest.mark.parametrize(("build", "page"), CASES, ids=["medusa", "chec", "elasticpath"])
async def test_listing_everything_stops_with_a_clear_error(
    build: Callable[[GatewayOptions], Any], page: Callable[[int], dict[str, Any]], sort: Sort
) -> None:
    options, calls = server(page)
    adapter = build(options)
    rows: list[str] = []

    async def read_all() -> None:
        async for row in CustomerService(adapter).iterate(CustomerQuery(sort=sort, page_size=50)):
            rows.append(row.id)

    try:
        with pytest.raises(EndlessPagesError) as caught:
            await read_all()
    finally:
        await adapter.aclose()
    assert "already sent" in caught.value.user_message
    assert len(rows) <= 1200
    assert calls[0] <= 30


@pytest.mark.parametrize(("build", "page"), CASES, ids=["medusa", "chec", "elasticpath"])
async def test_full_sync_stops_with_a_clear_error(
    build: Callable[[GatewayOptions], Any], page: Callable[[int], dict[str, Any]], tmp_path: Any
) -> None:
    options, calls = server(page)
    adapter = build(options)
    store = MirrorStore(tmp_path / "m.sqlite")
    await store.open()
    try:
        with pytest.raises(EndlessPagesError):
            await SyncEngine(adapter, store, page_size=50).full()
    finally:
        await store.aclose()
        await adapter.aclose()
    assert calls[0] <= 30


def medusa_rows(honours_offset: bool) -> tuple[GatewayOptions, list[int]]:
    """A Medusa server with five groups and five addresses, two a page; one that ignores the
    offset answers the first two forever."""
    offsets: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset") or 0) if honours_offset else 0
        offsets.append(offset)
        rows = [{"id": f"x_{i}", "name": f"N{i}"} for i in range(offset, min(offset + 2, 5))]
        return httpx.Response(200, json={"customer_groups": rows, "addresses": rows, "count": 5})

    options = GatewayOptions(transport=httpx.MockTransport(handler), retry=RetryPolicy(0))
    return options, offsets


LISTS: list[Callable[[Any], Any]] = [
    lambda adapter: adapter.list_groups(),
    lambda adapter: adapter.list_addresses("cus_1"),
]


@pytest.mark.parametrize("listing", LISTS, ids=["groups", "addresses"])
async def test_medusa_offset_lists_read_every_row_once(listing: Callable[[Any], Any]) -> None:
    options, offsets = medusa_rows(honours_offset=True)
    adapter = medusa(options)
    try:
        found = await listing(adapter)
    finally:
        await adapter.aclose()
    assert sorted(row.id for row in found) == [f"x_{i}" for i in range(5)]
    assert offsets == [0, 2, 4]


@pytest.mark.parametrize("listing", LISTS, ids=["groups", "addresses"])
async def test_medusa_offset_lists_stop_when_the_offset_is_ignored(
    listing: Callable[[Any], Any],
) -> None:
    options, offsets = medusa_rows(honours_offset=False)
    adapter = medusa(options)
    try:
        with pytest.raises(EndlessPagesError):
            await listing(adapter)
    finally:
        await adapter.aclose()
    assert offsets == [0, 0]
