"""A server that serves the same page forever (issue 13 point 3), on every backend.

Before the fix `customers list --limit 0` printed 318,001 lines for 1,200 customers and
`sync --full` never ended. Each server below ignores the cursor and counts 1,200 rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from app.backends.chec import ChecAdapter
from app.backends.elasticpath import ElasticPathAdapter, ElasticPathCredentials
from app.backends.medusa import MedusaAdapter, MedusaCredentials
from app.domain.errors import EndlessPagesError
from app.domain.query import CustomerQuery, Sort, SortField
from app.gateway import GatewayOptions, RetryPolicy
from app.mirror.store import MirrorStore
from app.mirror.sync import SyncEngine
from app.services.customers import CustomerService

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


def medusa(options: GatewayOptions) -> Any:
    return MedusaAdapter("http://shop.test", MedusaCredentials(api_key=SecretStr("sk")), options)


def chec(options: GatewayOptions) -> Any:
    return ChecAdapter("http://shop.test", SecretStr("sk"), options)


def elasticpath(options: GatewayOptions) -> Any:
    creds = ElasticPathCredentials(client_id="id", client_secret=SecretStr("s"))
    return ElasticPathAdapter("http://shop.test", creds, options)


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
