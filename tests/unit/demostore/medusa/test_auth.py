"""Admin auth (JWT, expiry, secret keys), customer registration and password reset."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from demostore.core import DemoStore
from demostore.medusa import DemoSettings, create_demo_app
from tests.unit.demostore.helpers import FakeClock, client_for, create_customer, login

UNAUTHORIZED = {"message": "Unauthorized"}


@pytest.mark.asyncio
async def test_admin_login_and_unauthorized_bodies(anon: httpx.AsyncClient) -> None:
    wrong = await anon.post(
        "/auth/user/emailpass", json={"email": "x@example.com", "password": "no"}
    )
    assert (wrong.status_code, wrong.json()) == (
        401,
        {"type": "unauthorized", "message": "Invalid email or password"},
    )
    no_password = await anon.post("/auth/user/emailpass", json={"email": "x@example.com"})
    assert no_password.json()["message"] == "Password should be a string"
    for headers in ({}, {"Authorization": "Bearer garbage"}):
        response = await anon.get("/admin/customers", headers=headers)
        assert (response.status_code, response.json()) == (401, UNAUTHORIZED)
    token = await login(anon)
    _header, payload, _ = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    assert claims["actor_type"] == "user"
    assert claims["actor_id"].startswith("user_")
    assert claims["exp"] - claims["iat"] == 86_400
    ok = await anon.get("/admin/customers", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    health = await anon.get("/health")
    assert (health.status_code, health.text) == (200, "OK")


@pytest.mark.asyncio
async def test_tokens_expire(store: DemoStore) -> None:
    clock = FakeClock()
    app = create_demo_app(store, settings=DemoSettings(token_ttl=60, clock=clock, test_routes=True))
    async with client_for(app) as client:
        client.headers["Authorization"] = f"Bearer {await login(client)}"
        assert (await client.get("/admin/customers")).status_code == 200
        clock.now += 61
        assert (await client.get("/admin/customers")).json() == UNAUTHORIZED
        client.headers["Authorization"] = f"Bearer {await login(client)}"  # re-login works
        assert (await client.get("/admin/customers")).status_code == 200


@pytest.mark.asyncio
async def test_secret_api_keys(admin: httpx.AsyncClient, anon: httpx.AsyncClient) -> None:
    configured = "Basic " + base64.b64encode(b"sk_demo_merchant_desk:").decode()
    assert (
        await anon.get("/admin/customers", headers={"Authorization": configured})
    ).status_code == 200
    created = (
        await admin.post("/admin/api-keys", json={"title": "desk", "type": "secret"})
    ).json()["api_key"]
    key = created["token"]
    assert key.startswith("sk_")
    assert created["redacted"] == f"{key[:6]}***{key[-3:]}"
    customer = await anon.post(
        "/admin/customers",
        json={"email": "k@example.com"},
        headers={"Authorization": f"Basic {key}"},
    )
    assert customer.json()["customer"]["created_by"] == created["id"]
    listed = (await admin.get("/admin/api-keys", params={"type": "secret"})).json()["api_keys"]
    assert [k["token"] for k in listed] == [""]  # never shown again
    wrong = await anon.get("/admin/customers", headers={"Authorization": "Basic sk_" + "0" * 64})
    assert wrong.json() == UNAUTHORIZED
    as_bearer = await anon.get("/admin/customers", headers={"Authorization": f"Bearer {key}"})
    assert as_bearer.status_code == 401
    assert "Basic" in as_bearer.json()["message"]
    bad_type = await admin.post("/admin/api-keys", json={"title": "x", "type": "bogus"})
    assert bad_type.json()["message"] == (
        "Invalid request: Expected: 'publishable, secret' for field 'type', but got: 'bogus'"
    )


async def _register(anon: httpx.AsyncClient, admin: httpx.AsyncClient, email: str) -> str:
    token = (
        await anon.post(
            "/auth/customer/emailpass/register", json={"email": email, "password": "pw"}
        )
    ).json()["token"]
    key = (await admin.get("/admin/api-keys", params={"type": "publishable"})).json()["api_keys"][
        0
    ]["token"]
    headers = {"Authorization": f"Bearer {token}", "x-publishable-api-key": key}
    created = await anon.post(
        "/store/customers", json={"email": email, "first_name": "Reg"}, headers=headers
    )
    assert created.status_code == 200, created.text
    assert created.json()["customer"]["has_account"] is True
    return str(created.json()["customer"]["id"])


@pytest.mark.asyncio
async def test_registration_flow_and_its_errors(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    await create_customer(admin, email="shared@example.com")  # a guest may share the email
    customer_id = await _register(anon, admin, "shared@example.com")
    assert customer_id.startswith("cus_")
    again = await anon.post(
        "/auth/customer/emailpass/register",
        json={"email": "shared@example.com", "password": "other"},
    )
    assert again.json() == {"type": "unauthorized", "message": "Identity with email already exists"}
    no_key = await anon.post("/store/customers", json={"email": "n@example.com"})
    assert no_key.json()["type"] == "not_allowed"
    bad_key = await anon.post(
        "/store/customers", json={}, headers={"x-publishable-api-key": "pk_bad"}
    )
    assert (
        bad_key.json()["message"]
        == "A valid publishable key is required to proceed with the request"
    )
    login = await anon.post(
        "/auth/customer/emailpass", json={"email": "shared@example.com", "password": "pw"}
    )
    customer_token = login.json()["token"]
    assert (
        await anon.get("/admin/customers", headers={"Authorization": f"Bearer {customer_token}"})
    ).json() == UNAUTHORIZED


@pytest.mark.asyncio
async def test_password_reset_records_a_notification_only_for_identities(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    customer_id = await _register(anon, admin, "reset@example.com")
    await create_customer(admin, email="guest@example.com")
    for identifier in (
        "reset@example.com",
        "reset@example.com",
        "guest@example.com",
        "nobody@example.com",
    ):
        response = await anon.post(
            "/auth/customer/emailpass/reset-password", json={"identifier": identifier}
        )
        assert (response.status_code, response.text) == (201, "Created")
        assert response.headers["content-type"].startswith("text/plain")
    missing = await anon.post("/auth/customer/emailpass/reset-password", json={})
    assert missing.json()["message"] == "Invalid request: Field 'identifier' is required"

    async def notes(to: str) -> list[dict[str, object]]:
        body = (
            await admin.get("/admin/notifications", params={"channel": "email", "to": to})
        ).json()
        return list(body["notifications"])

    sent = await notes("reset@example.com")
    assert len(sent) == 2
    assert str(sent[0]["created_at"]) >= str(sent[1]["created_at"])
    assert sent[0]["template"] == "password-reset"
    data = sent[0]["data"]
    assert isinstance(data, dict)
    assert data["actor_type"] == "customer"
    assert await notes("guest@example.com") == []
    assert await notes("nobody@example.com") == []

    # Only the newest token works, once.
    newest, older = (str(n["data"]["token"]) for n in sent)  # type: ignore[index]
    update = "/auth/customer/emailpass/update"
    stale = await anon.post(
        update, json={"password": "new"}, headers={"Authorization": f"Bearer {older}"}
    )
    assert stale.json() == {"type": "unauthorized", "message": "Invalid token"}
    fresh = await anon.post(
        update, json={"password": "new"}, headers={"Authorization": f"Bearer {newest}"}
    )
    assert fresh.json() == {"success": True}
    relogin = await anon.post(
        "/auth/customer/emailpass", json={"email": "reset@example.com", "password": "new"}
    )
    assert relogin.status_code == 200

    # Deleting an account customer removes its identity: no more reset mails.
    await admin.delete(f"/admin/customers/{customer_id}")
    await anon.post(
        "/auth/customer/emailpass/reset-password", json={"identifier": "reset@example.com"}
    )
    assert len(await notes("reset@example.com")) == 2
