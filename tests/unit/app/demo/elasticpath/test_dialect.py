"""The emulation's switches beyond the evidence: off by default, each one on by name."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from app.demo import DemoStore, FaultSettings
from app.demo.elasticpath import (
    DEMO_EP_CLIENT_ID,
    DEMO_EP_CLIENT_SECRET,
    LENIENT_ENV,
    EPDemoSettings,
    EPDialect,
    create_ep_app,
    prepare,
)


def test_strict_by_default_and_switches_by_name() -> None:
    assert EPDialect() == EPDialect.from_env({})
    assert not any((EPDialect().null_clears, EPDialect().region_for_county))
    assert EPDialect.parse("null_clears, empty_label") == EPDialect(
        null_clears=True, empty_label=True
    )
    assert EPDialect.parse("all") == EPDialect.lenient()
    with pytest.raises(ValueError, match=LENIENT_ENV):
        EPDialect.parse("anything_goes")


@pytest_asyncio.fixture
async def lenient() -> AsyncIterator[httpx.AsyncClient]:
    async with DemoStore(":memory:") as store:
        await prepare(store)
        settings = EPDemoSettings(dialect=EPDialect.lenient())
        app = create_ep_app(store, FaultSettings(), settings=settings)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://ep"
        ) as c:
            token = await c.post(
                "/oauth/access_token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": DEMO_EP_CLIENT_ID,
                    "client_secret": DEMO_EP_CLIENT_SECRET,
                },
            )
            c.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
            yield c


@pytest.mark.asyncio
async def test_lenient_serves_what_strict_refuses(lenient: httpx.AsyncClient) -> None:
    created = await lenient.post(
        "/v2/customers", json={"data": {"type": "customer", "name": "R", "email": "r@x.io"}}
    )
    cid = created.json()["data"]["id"]
    body = {
        "type": "address",
        "first_name": "R",
        "last_name": "S",
        "line_1": "1 Main St",
        "region": "WA",  # in place of county
        "postcode": "98101",
        "country": "US",
        "line_2": "Unit 1",
    }
    address = await lenient.post(f"/v2/customers/{cid}/addresses", json={"data": body})
    assert address.status_code == 201
    path = f"/v2/customers/{cid}/addresses/{address.json()['data']['id']}"
    put = await lenient.put(path, json={"data": {"type": "address", "line_2": None, "name": ""}})
    assert put.status_code == 200
    assert put.json()["data"]["line_2"] == ""
