"""The Elastic Path emulation speaks the dialect of the reference (raw HTTP, no adapter)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from demostore.core import DemoStore, FaultSettings
from demostore.elasticpath import (
    DEMO_EP_CLIENT_ID,
    DEMO_EP_CLIENT_SECRET,
    EPDemoSettings,
    create_ep_app,
    prepare,
)
from tests.unit.app.backends.elasticpath import recorded

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with DemoStore(":memory:") as store:
        await prepare(store)
        app = create_ep_app(store, FaultSettings(), settings=EPDemoSettings(test_routes=True))
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
            assert token.status_code == 200
            body = token.json()
            assert body["token_type"] == "Bearer"
            assert body["expires_in"] == 3600
            assert body["identifier"] == "client_credentials"
            c.headers["Authorization"] = f"Bearer {body['access_token']}"
            yield c


def customer(name: str, email: str, **extra: Any) -> dict[str, Any]:
    return {"data": {"type": "customer", "name": name, "email": email, **extra}}


async def test_token_needs_a_form_and_valid_credentials(client: httpx.AsyncClient) -> None:
    as_json = await client.post(
        "/oauth/access_token",
        json={"grant_type": "client_credentials", "client_id": DEMO_EP_CLIENT_ID},
    )
    assert as_json.status_code == 400
    wrong = await client.post(
        "/oauth/access_token",
        data={"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"},
    )
    assert wrong.status_code == 401
    unauth = await client.get("/v2/customers", headers={"Authorization": "Bearer nope"})
    assert unauth.status_code == 401
    assert unauth.json()["errors"][0]["detail"] == "Unable to validate access token"


async def test_customer_crud_and_shapes(client: httpx.AsyncClient) -> None:
    created = await client.post("/v2/customers", json=customer("Ron Swanson", "ron@x.io"))
    assert created.status_code == 201
    data = created.json()["data"]
    assert data["type"] == "customer"
    assert data["password"] is False
    assert set(data["meta"]["timestamps"]) == {"created_at", "updated_at"}
    assert data["loyalty_points"] is None  # the demo flow's fields are top-level attributes
    cid = data["id"]
    updated = await client.put(
        f"/v2/customers/{cid}", json={"data": {"type": "customer", "password": "pw-123456"}}
    )
    assert updated.json()["data"]["password"] is True
    assert "pw-123456" not in updated.text
    assert (await client.get(f"/v2/customers/{cid}")).json()["data"]["name"] == "Ron Swanson"
    assert (await client.delete(f"/v2/customers/{cid}")).status_code == 204
    assert (await client.get(f"/v2/customers/{cid}")).status_code == 404
    assert (await client.delete(f"/v2/customers/{cid}")).status_code == 404


async def test_validation_and_duplicates(client: httpx.AsyncClient) -> None:
    missing = await client.post(
        "/v2/customers", json={"data": {"type": "customer", "email": "a@b.co"}}
    )
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["source"] == "data.name"
    bad = await client.post("/v2/customers", json=customer("A", "not-an-email"))
    assert bad.json()["errors"][0]["source"] == "data.email"
    await client.post("/v2/customers", json=customer("A", "a@b.co"))
    dup = await client.post("/v2/customers", json=customer("B", "A@b.co"))
    assert dup.status_code == 409
    assert dup.json()["errors"][0]["title"] == "Conflict"  # inferred shape (see dialect.py)


async def test_filters_sort_and_pages(client: httpx.AsyncClient) -> None:
    for name, email in (
        ("Ron Swanson", "ron+1@x.io"),
        ("Leslie Knope", "leslie@x.io"),
        ("Ann Perkins", "ann@y.io"),
    ):
        await client.post("/v2/customers", json=customer(name, email))

    async def names(params: dict[str, Any]) -> list[str]:
        response = await client.get("/v2/customers", params=params)
        assert response.status_code == 200, response.text
        return [c["name"] for c in response.json()["data"]]

    assert await names({"filter": "like(name,*SWAN*)"}) == ["Ron Swanson"]
    assert await names({"filter": 'eq(email,"ron+1@x.io")'}) == ["Ron Swanson"]
    assert await names({"filter": "like(email,*@x.io):like(name,*e*)", "sort": "name"}) == [
        "Leslie Knope"
    ]
    assert await names({"sort": "email"}) == ["Ann Perkins", "Leslie Knope", "Ron Swanson"]
    page = (await client.get("/v2/customers", params={"page[limit]": 2, "sort": "-email"})).json()
    assert page["meta"]["results"]["total"] == 3
    assert page["meta"]["page"] == {"limit": 2, "offset": 0, "current": 1, "total": 2}
    too_big = await client.get("/v2/customers", params={"page[limit]": 101})
    assert too_big.status_code == 400
    broken = await client.get("/v2/customers", params={"filter": "like(phone,*1*)"})
    assert broken.json()["errors"][0]["detail"] == "Could not parse the supplied filter"


FULL_ADDRESS = {
    "type": "address",
    "name": "Home",
    "first_name": "Ron",
    "last_name": "Swanson",
    "line_1": "1 Sunny Street",
    "county": "Sunnyville",
    "postcode": "SU33 1YY",
    "country": "GB",
}


async def test_addresses(client: httpx.AsyncClient) -> None:
    cid = (await client.post("/v2/customers", json=customer("R", "r@x.io"))).json()["data"]["id"]
    created = await client.post(f"/v2/customers/{cid}/addresses", json={"data": FULL_ADDRESS})
    assert created.status_code == 201  # as recorded (epcc-cli tutorial); the spec says 200
    address = created.json()["data"]
    assert address["country"] == "GB"
    assert address["county"] == "Sunnyville"
    assert address["line_2"] == ""  # never set: "", as the recorded answer shows
    assert address["relationships"]["customer"] == {"id": cid, "type": "customer"}
    path = f"/v2/customers/{cid}/addresses/{address['id']}"
    put = await client.put(path, json={"data": {"type": "address", "city": "Pawnee"}})
    assert put.json()["data"]["line_1"] == "1 Sunny Street"  # partial update
    assert (await client.get(f"/v2/customers/{cid}/addresses")).json()["data"][0][
        "city"
    ] == "Pawnee"
    assert (await client.delete(path)).status_code == 204
    assert (await client.get(path)).status_code == 404
    assert (await client.get("/v2/customers/nope/addresses")).status_code == 404


async def test_an_empty_address_is_refused_as_recorded(client: httpx.AsyncClient) -> None:
    cid = (await client.post("/v2/customers", json=customer("R", "r@x.io"))).json()["data"]["id"]
    refused = await client.post(
        f"/v2/customers/{cid}/addresses", json={"data": {"type": "address"}}
    )
    assert refused.status_code == 400
    assert refused.json() == recorded.EMPTY_ADDRESS_400


async def test_region_does_not_stand_in_for_county_when_strict(client: httpx.AsyncClient) -> None:
    cid = (await client.post("/v2/customers", json=customer("R", "r@x.io"))).json()["data"]["id"]
    body = {k: v for k, v in FULL_ADDRESS.items() if k != "county"} | {"region": "WA"}
    refused = await client.post(f"/v2/customers/{cid}/addresses", json={"data": body})
    assert refused.status_code == 400
    assert [e["detail"] for e in refused.json()["errors"]] == ["county is required"]


async def test_clearing_and_types_when_strict(client: httpx.AsyncClient) -> None:
    cid = (await client.post("/v2/customers", json=customer("R", "r@x.io"))).json()["data"]["id"]
    created = await client.post(f"/v2/customers/{cid}/addresses", json={"data": FULL_ADDRESS})
    path = f"/v2/customers/{cid}/addresses/{created.json()['data']['id']}"

    async def put(**data: Any) -> httpx.Response:
        return await client.put(path, json={"data": {"type": "address", **data}})

    assert (await put(line_2="Unit 1")).json()["data"]["line_2"] == "Unit 1"
    assert (await put(line_2="")).json()["data"]["line_2"] == ""  # "" clears an optional one
    emptied = await put(county="")
    assert emptied.status_code == 400
    assert emptied.json()["errors"][0]["detail"] == "county is required"
    label = await put(name="")
    assert label.status_code == 400
    assert label.json() == recorded.ADDRESS_NAME_MIN_400
    null = await put(line_2=None)  # undocumented: refused unless `null_clears`
    assert null.status_code == 400


async def test_orders_and_flows(client: httpx.AsyncClient) -> None:
    cid = (await client.post("/v2/customers", json=customer("R", "r@x.io"))).json()["data"]["id"]
    seeded = await client.post(
        "/_demo/orders",
        json={
            "data": {
                "customer_id": cid,
                "currency": "EUR",
                "items": [{"name": "Mug", "unit_price": "12.50", "quantity": 2}],
            }
        },
    )
    order = seeded.json()["data"]
    assert order["meta"]["display_price"]["with_tax"]["amount"] == 2500
    listed = await client.get("/v2/orders", params={"filter": f"eq(customer_id,{cid})"})
    assert [o["id"] for o in listed.json()["data"]] == [order["id"]]
    items = (await client.get(f"/v2/orders/{order['id']}/items")).json()["data"]
    assert items[0]["unit_price"]["amount"] == 1250
    assert items[0]["quantity"] == 2
    fields = (await client.get("/v2/flows/customers/fields")).json()["data"]
    assert {f["slug"] for f in fields} == {"source", "loyalty_points", "newsletter"}
    assert (await client.get("/v2/flows/nope/fields")).status_code == 404


async def test_an_order_is_cancelled_until_fulfilled_and_the_offset_is_capped(
    client: httpx.AsyncClient,
) -> None:
    cid = (await client.post("/v2/customers", json=customer("C", "c@x.io"))).json()["data"]["id"]
    seeded = await client.post(
        "/_demo/orders",
        json={
            "data": {
                "customer_id": cid,
                "currency": "EUR",
                "items": [{"name": "Jug", "unit_price": "3", "quantity": 1}],
            }
        },
    )
    order = seeded.json()["data"]
    path = f"/v2/orders/{order['id']}"
    # Unpaid: fulfilling is refused ("You can fulfill a paid order only").
    fulfil = await client.put(path, json={"data": {"type": "order", "shipping": "fulfilled"}})
    assert fulfil.status_code == 400
    cancel = await client.put(path, json={"data": {"type": "order", "status": "cancelled"}})
    assert cancel.status_code == 200
    cancelled = cancel.json()["data"]
    assert cancelled["status"] == "cancelled"
    assert cancelled["meta"]["timestamps"]["updated_at"] > order["meta"]["timestamps"]["updated_at"]
    since = f"ge(updated_at,{cancelled['meta']['timestamps']['updated_at']})"
    changed = (await client.get("/v2/orders", params={"filter": since})).json()["data"]
    assert [o["id"] for o in changed] == [order["id"]]
    unknown = await client.put(path, json={"data": {"type": "order", "colour": "red"}})
    assert unknown.status_code == 422
    assert (await client.get("/v2/orders", params={"page[offset]": "10000"})).status_code == 200
    capped = await client.get("/v2/orders", params={"page[offset]": "10001"})
    assert capped.status_code == 400
