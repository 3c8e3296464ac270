"""The routes tests seed and inspect a store with are off unless a test turns them on."""

from __future__ import annotations

import pytest

from demostore.core import DemoStore
from demostore.medusa import DemoSettings, create_demo_app
from tests.unit.demostore.helpers import client_for, login

SEEDING = [
    ("GET", "/admin/notifications"),
    ("GET", "/admin/api-keys"),
    ("POST", "/admin/api-keys"),
    ("GET", "/admin/sales-channels"),
    ("GET", "/admin/regions"),
    ("POST", "/admin/regions"),
    ("POST", "/admin/draft-orders"),
    ("POST", "/admin/draft-orders/dorder_1/convert-to-order"),
]


async def _answers(store: DemoStore, settings: DemoSettings) -> list[tuple[int, bool]]:
    """(status, answered by Express's HTML 404 page, i.e. no such route) per seeding route."""
    async with client_for(create_demo_app(store, settings=settings)) as client:
        client.headers["Authorization"] = f"Bearer {await login(client)}"
        answers = []
        for method, path in SEEDING:
            response = await client.request(method, path, json={} if method == "POST" else None)
            no_route = response.headers["content-type"].startswith("text/html")
            answers.append((response.status_code, no_route))
        return answers


@pytest.mark.asyncio
async def test_the_seeding_routes_are_not_served_by_default(store: DemoStore) -> None:
    # As on a server without them: Express's 404 page.
    assert await _answers(store, DemoSettings()) == [(404, True)] * len(SEEDING)


@pytest.mark.asyncio
async def test_the_test_switch_serves_them(store: DemoStore) -> None:
    answers = await _answers(store, DemoSettings(test_routes=True))
    assert not any(no_route for _, no_route in answers)
    assert [status for status, _ in answers][6:] == [400, 404]  # no items; no such draft
