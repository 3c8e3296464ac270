"""Traversal ids on every backend (issue 13 point 6): no request leaves for another route.

Before the fix `customers update '../users/me'` sent `POST /admin/users/me` with the
admin token. Each adapter runs over a recording transport that answers 404 to all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from app.domain.errors import NotFoundError, ValidationFailedError
from app.domain.patch import CustomerPatch
from app.gateway import GatewayOptions, RetryPolicy
from tests.unit.app.backends.adapters import chec, elasticpath, medusa

pytestmark = pytest.mark.asyncio

TRAVERSALS = ["../users/me", "x/../../orders", "..", "cus_1?limit=1000", "cus_1#frag", "a%2F.."]


def recording() -> tuple[GatewayOptions, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/oauth/access_token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
        return httpx.Response(404, json={"message": "not found"})

    async def no_sleep(_: float) -> None:
        return None

    options = GatewayOptions(
        transport=httpx.MockTransport(handler), retry=RetryPolicy(max_retries=0), sleep=no_sleep
    )
    return options, seen


BACKENDS = [medusa, chec, elasticpath]
# Requests an adapter makes whatever the id: sign-in, Elastic Path's field definitions.
SETUP = {"/oauth/access_token", "/v2/flows/customers/fields"}
Call = Callable[[Any, str], Awaitable[object]]
CALLS: list[Call] = [
    lambda a, i: a.get_customer(i),
    lambda a, i: a.update_customer(i, CustomerPatch(first_name="X")),
    lambda a, i: a.delete_customer(i),
    lambda a, i: a.list_addresses(i),
    lambda a, i: a.delete_address("cus_1", i),
    lambda a, i: a.get_order(i),
]


@pytest.mark.parametrize("bad_id", TRAVERSALS)
@pytest.mark.parametrize("build", BACKENDS)
async def test_traversal_ids_are_refused_before_any_request(
    build: Callable[[GatewayOptions], Any], bad_id: str
) -> None:
    options, seen = recording()
    adapter = build(options)
    try:
        for call in CALLS:
            with pytest.raises(ValidationFailedError):
                await call(adapter, bad_id)
    finally:
        await adapter.aclose()
    assert [r for r in seen if r.url.path not in SETUP] == []


@pytest.mark.parametrize("build", BACKENDS)
async def test_odd_but_possible_ids_stay_one_escaped_segment(
    build: Callable[[GatewayOptions], Any],
) -> None:
    options, seen = recording()
    adapter = build(options)
    try:
        with pytest.raises(NotFoundError):
            await adapter.get_customer("cus_ü:1")
    finally:
        await adapter.aclose()
    paths = [r.url.raw_path.decode().split("?")[0] for r in seen if r.url.path not in SETUP]
    # The id is one segment (its own, or followed by a sub-resource such as /addresses).
    assert paths
    assert all("/cus_%C3%BC%3A1" in p for p in paths)
    assert all(p.count("/") == paths[0].count("/") or p.endswith("/addresses") for p in paths)
