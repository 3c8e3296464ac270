"""The emulation's switches beyond the evidence: off by default, each one on by name."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr

from app.backends.elasticpath import ElasticPathAdapter, ElasticPathCredentials
from app.domain.customer import CustomerDraft
from app.domain.errors import ValidationFailedError
from app.domain.patch import CustomerPatch
from app.gateway.inprocess import asgi_options
from demostore.core import DemoStore, FaultSettings
from demostore.elasticpath import (
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


@pytest.mark.asyncio
@pytest.mark.parametrize("as_422", [False, True])
async def test_a_duplicate_email_lands_on_the_email_in_either_shape(as_422: bool) -> None:
    """Undocumented: the emulation answers in two plausible shapes; the adapter reads both."""
    async with DemoStore(":memory:") as store:
        await prepare(store)
        settings = EPDemoSettings(dialect=EPDialect(duplicate_email_422=as_422))
        app = create_ep_app(store, FaultSettings(), settings=settings)
        creds = ElasticPathCredentials(DEMO_EP_CLIENT_ID, SecretStr(DEMO_EP_CLIENT_SECRET))
        ep = ElasticPathAdapter("http://ep.test", creds, asgi_options(app))
        try:
            await ep.create_customer(CustomerDraft(email="dup@x.io", first_name="A"))
            other = await ep.create_customer(CustomerDraft(email="other@x.io", first_name="B"))
            with pytest.raises(ValidationFailedError) as created:
                await ep.create_customer(CustomerDraft(email="dup@x.io", first_name="C"))
            with pytest.raises(ValidationFailedError) as updated:
                await ep.update_customer(other.id, CustomerPatch(email="DUP@x.io"))
        finally:
            await ep.aclose()
    for caught in (created, updated):
        assert [e.field for e in caught.value.field_errors] == ["email"]
        assert caught.value.status == (422 if as_422 else 409)
