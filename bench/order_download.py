"""What any script would do to copy every order, and a way to change some of them.

The baseline of the Customer 360 bench (`bench.customer360`): log in, then GET
`/admin/orders` keyset pages (`order=id&id[$gt]=<last id>`) with the fields the Medusa
adapter asks for its order directory, until a short page. The same code talks to the
real Medusa peer (a URL) and to the demo store (in-process, an ASGI transport).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from app.backends.medusa.mapping import ORDER_SUMMARY_FIELDS

ClientFactory = Callable[[], httpx.AsyncClient]


@dataclass
class Download:
    seconds: float
    orders: int
    pages: int
    # Orders still open (pending, not cancelled): what the bench may cancel afterwards.
    open_ids: list[str] = field(default_factory=list)


async def admin_headers(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    login = await client.post("/auth/user/emailpass", json={"email": email, "password": password})
    login.raise_for_status()
    return {"Authorization": f"Bearer {login.json()['token']}"}


async def bare_orders(
    client_factory: ClientFactory, email: str, password: str, page: int
) -> Download:
    """Every order, page by page, timed from the login to the last page."""
    open_ids: list[str] = []
    started = time.perf_counter()
    async with client_factory() as client:
        headers = await admin_headers(client, email, password)
        rows, pages, last = 0, 0, None
        while True:
            params: dict[str, str | int] = {
                "limit": page,
                "offset": 0,
                "order": "id",
                "fields": ORDER_SUMMARY_FIELDS,
            }
            if last:
                params["id[$gt]"] = last
            response = await client.get("/admin/orders", params=params, headers=headers)
            response.raise_for_status()
            orders = response.json()["orders"]
            rows += len(orders)
            pages += 1
            open_ids.extend(o["id"] for o in orders if o.get("status") == "pending")
            if len(orders) < page:
                return Download(time.perf_counter() - started, rows, pages, open_ids)
            last = orders[-1]["id"]


async def cancel_orders(
    client_factory: ClientFactory, email: str, password: str, ids: list[str]
) -> None:
    """Cancel these orders through the admin API (POST /admin/orders/:id/cancel: Medusa
    and the demo store); their updated_at moves. A few at a time: each is a workflow."""
    async with client_factory() as client:
        headers = await admin_headers(client, email, password)
        gate = asyncio.Semaphore(8)

        async def cancel(order_id: str) -> None:
            async with gate:
                response = await client.post(f"/admin/orders/{order_id}/cancel", headers=headers)
                response.raise_for_status()

        await asyncio.gather(*(cancel(i) for i in ids))
