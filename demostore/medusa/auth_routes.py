"""/auth/* (admin and customer e-mail/password) and the store-side /store/customers."""

from __future__ import annotations

import hmac
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from demostore.core import accounts_repo as repo
from demostore.core.customers_repo import get_customer
from demostore.core.errors import ErrorKind, MedusaError, UnauthorizedError
from demostore.core.tokens import encode
from demostore.medusa.customer_routes import CUSTOMER_BODY, selection_of
from demostore.medusa.httpkit import (
    AppContext,
    bearer_payload,
    body_of,
    context,
    json_response,
    require_publishable_key,
)
from demostore.medusa.validation import Obj, Record, Str, validate

RESET_BODY = Obj(shape={"identifier": Str(optional=False), "metadata": Record()}, strict=True)


def _unauthorized(message: str) -> MedusaError:
    return MedusaError(ErrorKind.UNAUTHORIZED, message)


def _credentials(body: Any) -> tuple[str, str]:
    """emailpass's own checks (no zod here): password first, then e-mail."""
    data = body if isinstance(body, dict) else {}
    password, email = data.get("password"), data.get("email")
    if not password or not isinstance(password, str):
        raise _unauthorized("Password should be a string")
    if not email or not isinstance(email, str):
        raise _unauthorized("Email should be a string")
    return email, password


def _session_token(
    ctx: AppContext,
    *,
    actor_id: str,
    actor_type: str,
    identity_id: str,
    app_metadata: dict[str, Any],
) -> str:
    now = int(ctx.settings.clock())
    payload = {
        "actor_id": actor_id,
        "actor_type": actor_type,
        "auth_identity_id": identity_id,
        "auth_provider": "emailpass",
        "mfa_enabled": False,
        "mfa_challenge_completed_at": None,
        "app_metadata": app_metadata,
        "user_metadata": {},
        "iat": now,
        "exp": now + int(ctx.settings.token_ttl),
    }
    return encode(payload, ctx.settings.jwt_secret)


async def admin_login(request: Request) -> Response:
    ctx = context(request)
    email, password = _credentials(await body_of(request))
    ok_email = hmac.compare_digest(email.encode(), ctx.settings.admin_email.encode())
    ok_password = hmac.compare_digest(password.encode(), ctx.settings.admin_password.encode())
    if not (ok_email and ok_password):
        raise _unauthorized("Invalid email or password")
    user_id = await ctx.store.call(lambda db: db.admin_user_id)
    identity_id = await ctx.store.call(lambda db: db.admin_auth_identity_id)
    token = _session_token(
        ctx,
        actor_id=user_id,
        actor_type="user",
        identity_id=identity_id,
        app_metadata={"user_id": user_id},
    )
    return json_response({"token": token})


async def customer_login(request: Request) -> Response:
    ctx = context(request)
    email, password = _credentials(await body_of(request))
    identity = await ctx.store.call(repo.authenticate_identity, email, password)
    metadata = repo.identity_app_metadata(identity)
    token = _session_token(
        ctx,
        actor_id=str(metadata.get("customer_id", "")),
        actor_type="customer",
        identity_id=identity["id"],
        app_metadata=metadata,
    )
    return json_response({"token": token})


async def customer_register(request: Request) -> Response:
    ctx = context(request)
    email, password = _credentials(await body_of(request))
    identity = await ctx.store.call(repo.register_identity, email, password)
    # Actorless token: it may only create the customer (or finish other auth steps).
    token = _session_token(
        ctx, actor_id="", actor_type="customer", identity_id=identity["id"], app_metadata={}
    )
    return json_response({"token": token})


async def reset_password(request: Request) -> Response:
    ctx = context(request)
    identifier = validate(RESET_BODY, await body_of(request))["identifier"]
    if request.path_params["actor_type"] == "customer":

        def make_token(entity_id: str) -> tuple[str, str]:
            now = int(ctx.settings.clock())
            jti = str(uuid.uuid4())
            payload = {
                "entity_id": entity_id,
                "provider": "emailpass",
                "actor_type": "customer",
                "purpose": "reset",
                "iat": now,
                "exp": now + int(ctx.settings.reset_token_ttl),
                "jti": jti,
            }
            return encode(payload, ctx.settings.jwt_secret), jti

        await ctx.store.call(repo.request_password_reset, identifier, make_token)
    # Same answer whether or not the identity exists: no account enumeration.
    return PlainTextResponse("Created", status_code=201)


async def update_password(request: Request) -> Response:
    ctx = context(request)
    payload = bearer_payload(request)
    if not payload or payload.get("purpose") != "reset" or payload.get("actor_type") != "customer":
        raise _unauthorized("Invalid token")
    body = await body_of(request)
    password = body.get("password") if isinstance(body, dict) else None
    if not password or not isinstance(password, str):
        return json_response({"success": True})  # Medusa: nothing to update is a success
    updated = await ctx.store.call(
        repo.update_password, str(payload.get("entity_id")), str(payload.get("jti")), password
    )
    if not updated:
        raise _unauthorized("Invalid token")
    return json_response({"success": True})


def _customer_token(request: Request) -> dict[str, Any]:
    payload = bearer_payload(request)
    if (
        not payload
        or payload.get("actor_type") != "customer"
        or not payload.get("auth_identity_id")
    ):
        raise UnauthorizedError()
    return payload


async def store_create_customer(request: Request) -> Response:
    await require_publishable_key(request)
    payload = _customer_token(request)
    data = validate(CUSTOMER_BODY, await body_of(request))
    data.pop("additional_data", None)
    if payload.get("actor_id"):
        raise MedusaError(ErrorKind.INVALID_DATA, "Request already authenticated as a customer.")
    customer = await context(request).store.call(
        repo.create_customer_account, str(payload["auth_identity_id"]), data
    )
    return json_response({"customer": customer})


async def store_me(request: Request) -> Response:
    await require_publishable_key(request)
    payload = _customer_token(request)
    if not payload.get("actor_id"):
        raise UnauthorizedError()
    selection = selection_of(request, repo.STORE_CUSTOMER_FIELDS)
    customer = await context(request).store.call(get_customer, str(payload["actor_id"]), selection)
    if customer is None:
        raise UnauthorizedError()
    return json_response({"customer": customer})


ROUTES = [
    Route("/auth/user/emailpass", admin_login, methods=["POST"]),
    Route("/auth/customer/emailpass", customer_login, methods=["POST"]),
    Route("/auth/customer/emailpass/register", customer_register, methods=["POST"]),
    Route("/auth/{actor_type:str}/emailpass/reset-password", reset_password, methods=["POST"]),
    Route("/auth/customer/emailpass/update", update_password, methods=["POST"]),
    Route("/store/customers", store_create_customer, methods=["POST"]),
    Route("/store/customers/me", store_me, methods=["GET"]),
]
