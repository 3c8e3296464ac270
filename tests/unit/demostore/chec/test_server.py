"""The demo store's Chec dialect: routes, shapes, errors and state, over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from demostore.chec.repo import stored_id
from demostore.core import DemoStore, orders_repo, tokens

pytestmark = pytest.mark.asyncio


async def make(chec: httpx.AsyncClient, email: str, **fields: Any) -> dict[str, Any]:
    response = await chec.post("/v1/customers", json={"email": email, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_keys_are_required_and_scoped(anon: httpx.AsyncClient, chec_store: DemoStore) -> None:
    missing = await anon.get("/v1/customers")
    assert missing.status_code == 401
    assert missing.json()["error"]["type"] == "authentication_error"
    wrong = await anon.get("/v1/customers", headers={"X-Authorization": "sk_nope"})
    assert wrong.status_code == 401
    public = await chec_store.publishable_key()
    scoped = await anon.get("/v1/customers", headers={"X-Authorization": public})
    assert scoped.status_code == 403


async def test_customer_lifecycle_and_shape(chec: httpx.AsyncClient) -> None:
    created = await make(
        chec,
        "leslie@example.com",
        firstname="Leslie",
        lastname="Lawless",
        external_id="CRM-1",
        meta={"tier": "gold"},
    )
    assert created["id"].startswith("cstmr_")
    assert set(created) == {
        "id",
        "external_id",
        "firstname",
        "lastname",
        "email",
        "phone",
        "meta",
        "created",
        "updated",
        "default_shipping",
        "default_billing",
    }
    assert isinstance(created["created"], int)
    assert (created["external_id"], created["meta"]) == ("CRM-1", {"tier": "gold"})
    got = (await chec.get(f"/v1/customers/{created['id']}")).json()
    assert got == created
    put = await chec.put(
        f"/v1/customers/{created['id']}", json={"phone": "+1 555", "meta": {"new": 1}}
    )
    assert put.status_code == 200
    assert put.json()["meta"] == {"new": 1}  # replaced whole
    assert put.json()["phone"] == "+1 555"
    cleared = (await chec.put(f"/v1/customers/{created['id']}", json={"phone": None})).json()
    assert cleared["phone"] is None
    deleted = await chec.delete(f"/v1/customers/{created['id']}")
    assert deleted.status_code == 200
    gone = await chec.get(f"/v1/customers/{created['id']}")
    assert gone.status_code == 404
    assert gone.json() == {
        "status_code": 404,
        "error": {"type": "not_found", "message": "Customer not found"},
    }
    assert (await chec.delete(f"/v1/customers/{created['id']}")).status_code == 404


async def test_validation_errors(chec: httpx.AsyncClient) -> None:
    await make(chec, "taken@example.com")
    duplicate = await chec.post("/v1/customers", json={"email": "TAKEN@example.com"})
    assert duplicate.status_code == 422
    assert duplicate.json()["error"]["errors"] == {"email": ["The email has already been taken."]}
    bad = await chec.post("/v1/customers", json={"email": "not-an-email"})
    assert bad.json()["error"]["errors"]["email"] == ["The email must be a valid email address."]
    assert (await chec.post("/v1/customers", json={"firstname": "X"})).status_code == 422
    body = await chec.post(
        "/v1/customers", content=b"{", headers={"content-type": "application/json"}
    )
    assert body.status_code == 400


async def test_list_pages_sorts_and_searches(
    chec: httpx.AsyncClient, chec_lenient: httpx.AsyncClient
) -> None:
    for local, last in (("carla", "Berg"), ("alma", "Zeller"), ("bert", "Adler")):
        await make(chec, f"{local}@example.com", firstname=local.title(), lastname=last)
    page = await chec_lenient.get(
        "/v1/customers",
        params={"limit": 2, "page": 2, "sortBy": "lastname", "sortDirection": "asc"},
    )
    body = page.json()
    assert [c["lastname"] for c in body["data"]] == ["Zeller"]
    pagination = body["meta"]["pagination"]
    assert {k: pagination[k] for k in ("total", "count", "per_page", "current_page")} == {
        "total": 3,
        "count": 1,
        "per_page": 2,
        "current_page": 2,
    }
    assert pagination["total_pages"] == 2
    newest_first = (await chec.get("/v1/customers")).json()["data"]
    assert newest_first[0]["email"] == "bert@example.com"  # created desc
    found = (await chec.get("/v1/customers", params={"query": "ALMA zell"})).json()
    assert [c["email"] for c in found["data"]] == ["alma@example.com"]
    assert (await chec_lenient.get("/v1/customers", params={"sortBy": "phone"})).status_code == 422


async def test_strict_customer_list_refuses_an_undocumented_sort(chec: httpx.AsyncClient) -> None:
    """No source documents `sortBy` for customers: strict refuses it, whatever its value."""
    for params in ({"sortBy": "created"}, {"sortBy": "lastname"}, {"sortDirection": "asc"}):
        refused = await chec.get("/v1/customers", params=params)
        assert refused.status_code == 422
        assert refused.json()["error"]["type"] == "validation"
    assert (await chec.get("/v1/customers", params={"limit": 5, "page": 1})).status_code == 200


async def test_addresses_and_defaults(chec_lenient: httpx.AsyncClient) -> None:
    chec = chec_lenient
    customer = await make(chec, "addr@example.com")
    base = f"/v1/customers/{customer['id']}/addresses"
    home = await chec.post(
        base,
        json={
            "name": "Johnny Doe",
            "street": "123 Fake St",
            "town_city": "San Francisco",
            "county_state": "CA",
            "postal_zip_code": "94103",
            "country": "US",
            "default_billing": True,
            "default_shipping": True,
            "meta": {"door": "blue"},
        },
    )
    assert home.status_code == 201
    first = home.json()
    assert first["id"].startswith("addr_")
    assert (first["name"], first["country"], first["meta"]) == (
        "Johnny Doe",
        "US",
        {"door": "blue"},
    )
    second = (await chec.post(base, json={"street": "Ring 1", "default_shipping": True})).json()
    owner = (await chec.get(f"/v1/customers/{customer['id']}")).json()
    assert owner["default_shipping"]["id"] == second["id"]
    assert owner["default_billing"]["id"] == first["id"]
    listed = (await chec.get(base)).json()
    assert [a["id"] for a in listed["data"]] == [first["id"], second["id"]]
    updated = await chec.put(f"{base}/{first['id']}", json={"town_city": "Oakland"})
    assert updated.json()["town_city"] == "Oakland"
    assert updated.json()["street"] == "123 Fake St"
    assert (await chec.put(f"{base}/addr_unknown", json={})).status_code == 404
    assert (await chec.delete(f"{base}/{second['id']}")).status_code == 200
    owner = (await chec.get(f"/v1/customers/{customer['id']}")).json()
    assert owner["default_shipping"] is None
    assert (await chec.get("/v1/customers/cstmr_nobody/addresses")).status_code == 404


async def test_strict_serves_only_the_documented_address_route(chec: httpx.AsyncClient) -> None:
    """POST …/addresses is documented [T]; listing, updating and deleting are not, and the
    create answer's shape is unknown: strict answers the customer, not the address."""
    customer = await make(chec, "strict@example.com")
    base = f"/v1/customers/{customer['id']}/addresses"
    created = await chec.post(
        base, json={"name": "Jo Doe", "street": "1 Fake St", "default_shipping": True}
    )
    assert created.status_code == 201
    body = created.json()
    assert body["id"] == customer["id"]
    assert body["default_shipping"]["street"] == "1 Fake St"
    address_id = body["default_shipping"]["id"]
    assert (await chec.get(base)).status_code == 405
    assert (await chec.put(f"{base}/{address_id}", json={"town_city": "X"})).status_code == 404
    assert (await chec.delete(f"{base}/{address_id}")).status_code == 404
    owner = (await chec.get(f"/v1/customers/{customer['id']}")).json()
    assert owner["default_shipping"]["town_city"] is None  # nothing was changed


async def test_orders_of_a_customer(chec: httpx.AsyncClient) -> None:
    customer = await make(chec, "buyer@example.com")
    other = await make(chec, "other@example.com")
    seeded = await chec.post(
        "/_demo/chec/orders",
        json={
            "customer_id": customer["id"],
            "currency": "EUR",
            "line_items": [{"product_name": "Pot", "price": "0.10", "quantity": 3}],
            "shipping": {"name": "Bea Buyer", "street": "Via Roma 1", "country": "IT"},
        },
    )
    assert seeded.status_code == 201
    order = seeded.json()
    assert order["id"].startswith("ord_")
    assert order["order_value"]["raw"] == 0.3
    assert order["order_value"]["formatted_with_code"] == "0.30 EUR"
    assert order["customer"]["id"] == customer["id"]
    assert order["shipping"]["town_city"] is None
    assert order["shipping"]["street"] == "Via Roma 1"
    listed = (await chec.get(f"/v1/customers/{customer['id']}/orders")).json()
    assert [o["id"] for o in listed["data"]] == [order["id"]]
    # What the vendor's SDK sends since 1fe26ff; its old `created` "causes error" [S].
    orders = f"/v1/customers/{customer['id']}/orders"
    sdk = await chec.get(orders, params={"sortBy": "created_at", "sortDirection": "desc"})
    assert [o["id"] for o in sdk.json()["data"]] == [order["id"]]
    stale = await chec.get(orders, params={"sortBy": "created", "sortDirection": "desc"})
    assert stale.status_code == 422
    assert listed["pagination"]["total"] == 1  # beside `data`, as the SDK's type has it
    assert (await chec.get(f"/v1/customers/{customer['id']}/orders/{order['id']}")).json() == order
    assert (await chec.get(f"/v1/orders/{order['id']}")).json() == order
    foreign = await chec.get(f"/v1/customers/{other['id']}/orders/{order['id']}")
    assert foreign.status_code == 404


async def test_the_merchant_lists_every_order_without_a_sort(chec: httpx.AsyncClient) -> None:
    ids = []
    for email in ("a@example.com", "b@example.com", "c@example.com"):
        customer = await make(chec, email)
        seeded = await chec.post(
            "/_demo/chec/orders",
            json={
                "customer_id": customer["id"],
                "currency": "EUR",
                "line_items": [{"product_name": "Tea", "price": "2", "quantity": 1}],
            },
        )
        ids.append(seeded.json()["id"])
    first = (await chec.get("/v1/orders", params={"limit": 2, "page": 1})).json()
    second = (await chec.get("/v1/orders", params={"limit": 2, "page": 2})).json()
    assert first["pagination"]["total"] == 3
    assert sorted(o["id"] for o in first["data"] + second["data"]) == sorted(ids)
    assert all(o["transactions"] == [] for o in first["data"])  # unpaid: no charge yet
    found = (await chec.get("/v1/orders", params={"query": "b@example"})).json()["data"]
    assert [o["customer"]["email"] for o in found] == ["b@example.com"]
    # No sort is documented for this list: the strict dialect refuses one.
    sorted_ = await chec.get("/v1/orders", params={"sortBy": "created_at"})
    assert sorted_.status_code == 422
    assert "sortBy" in sorted_.json()["error"]["errors"]


async def test_login_tokens(chec: httpx.AsyncClient, anon: httpx.AsyncClient) -> None:
    customer = await make(chec, "login@example.com")
    sent = await chec.post(
        "/v1/customers/email-token",
        json={"email": "login@example.com", "base_url": "https://shop.example/login/{token}"},
    )
    assert sent.status_code == 200
    emails = (await chec.get("/_demo/chec/emails", params={"to": "login@example.com"})).json()
    token = emails["data"][0]["data"]["token"]
    assert emails["data"][0]["data"]["link"] == f"https://shop.example/login/{token}"
    exchanged = (await chec.post("/v1/customers/exchange-token", json={"token": token})).json()
    assert exchanged["customer_id"] == customer["id"]
    again = await chec.post("/v1/customers/exchange-token", json={"token": token})
    assert again.status_code == 422  # one use only
    issued = (await chec.post(f"/v1/customers/{customer['id']}/issue-token")).json()
    assert issued["customer_id"] == customer["id"]
    assert issued["jwt"].count(".") == 2
    returned = await chec.post(
        "/v1/customers/issue-token", json={"email": "login@example.com", "base_url": "x"}
    )
    assert set(returned.json()) == {"customer_id", "token"}
    no_key = await anon.post(f"/v1/customers/{customer['id']}/issue-token")
    assert no_key.status_code == 401


async def test_jwt_is_valid_for_24_hours(chec: httpx.AsyncClient, chec_app: Any) -> None:
    customer = await make(chec, "jwt@example.com")
    jwt = (await chec.post(f"/v1/customers/{customer['id']}/issue-token")).json()["jwt"]
    settings = chec_app.state.chec.settings
    payload = tokens.decode(jwt, settings.jwt_secret, settings.clock())
    assert payload is not None
    assert payload["exp"] - payload["iat"] == 24 * 3600


async def test_unknown_route_answers_in_chec_shape(chec: httpx.AsyncClient) -> None:
    response = await chec.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["type"] == "not_found"


async def test_generated_shop_reads_as_chec(tmp_path: Any) -> None:
    from decimal import Decimal

    from demostore.chec import create_chec_app, open_chec_demo
    from demostore.core import FaultSettings

    store, key = await open_chec_demo(tmp_path / "shop.sqlite3", customers=60)
    try:
        again = await open_chec_demo(tmp_path / "shop.sqlite3", customers=60)
        assert again[1] == key  # the demo key is made once
        await again[0].aclose()
        app = create_chec_app(store, FaultSettings())
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://chec.test",
            headers={"X-Authorization": key},
        ) as client:
            customers = (await client.get("/v1/customers", params={"limit": 200})).json()
            assert customers["pagination"]["total"] >= 60
            checked = 0
            for customer in customers["data"]:
                orders = await client.get(f"/v1/customers/{customer['id']}/orders")
                for order in orders.json()["data"]:
                    totals = order["order"]
                    parts = (
                        Decimal(str(totals["subtotal"]["raw"]))
                        - Decimal(
                            str(
                                (totals["discount"] or {"amount_saved": {"raw": 0}})[
                                    "amount_saved"
                                ]["raw"]
                            )
                        )
                        + Decimal(str(totals["shipping"]["price"]["raw"]))
                        + Decimal(str(order["tax"]["amount"]["raw"]))
                    )
                    assert parts == Decimal(str(order["order_value"]["raw"]))
                    checked += 1
            assert checked > 0
    finally:
        await store.aclose()


async def test_a_cancelled_order_shows_a_charge_cancelled_for_that_reason(
    chec: httpx.AsyncClient, chec_store: DemoStore
) -> None:
    customer = await make(chec, "gone@example.com")
    seeded = await chec.post(
        "/_demo/chec/orders",
        json={
            "customer_id": customer["id"],
            "currency": "EUR",
            "line_items": [{"product_name": "Jug", "price": "12", "quantity": 1}],
        },
    )
    order_id = seeded.json()["id"]
    stored = stored_id(order_id, "ord")
    assert stored is not None
    # Chec documents no cancel route: the store's own (Medusa-dialect) cancel stands in.
    await chec_store.call(orders_repo.cancel_order, stored)
    order = (await chec.get(f"/v1/orders/{order_id}")).json()
    [charge] = order["transactions"]
    assert (charge["type"], charge["status"]) == ("charge", "cancelled")
    assert charge["status_reason"] == "order_cancelled"
    assert charge["updated"] >= order["created"]
