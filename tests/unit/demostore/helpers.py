"""Small helpers shared by the demo store tests."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette

from demostore.medusa import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD


class FakeClock:
    """A settable clock (seconds since the epoch) for token expiry and timestamps."""

    def __init__(self, now: float = 1_790_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def client_for(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://demo")


async def login(client: httpx.AsyncClient) -> str:
    response = await client.post(
        "/auth/user/emailpass", json={"email": DEMO_ADMIN_EMAIL, "password": DEMO_ADMIN_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


async def create_customer(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    response = await client.post("/admin/customers", json=fields)
    assert response.status_code == 200, response.text
    customer: dict[str, Any] = response.json()["customer"]
    return customer


async def list_ids(client: httpx.AsyncClient, **params: Any) -> list[str]:
    response = await client.get(
        "/admin/customers", params={"fields": "id", "limit": 1000, **params}
    )
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["customers"]]
