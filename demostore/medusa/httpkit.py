"""Request/response plumbing shared by the demo routes: auth, parsing, JSON on the worker."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec

from starlette.requests import Request
from starlette.responses import Response

from demostore.core.accounts_repo import publishable_key_is_valid, secret_key_id
from demostore.core.clock import Clock, system_clock
from demostore.core.database import Database
from demostore.core.errors import BodyParseError, ErrorKind, MedusaError, UnauthorizedError
from demostore.core.jsvalues import parse_json_body
from demostore.core.store import DemoStore
from demostore.core.tokens import decode
from demostore.medusa.querystring import normalize_query, parse_query

P = ParamSpec("P")
DEMO_ADMIN_EMAIL = "admin@demo.merchant-desk"
DEMO_ADMIN_PASSWORD = "demo"  # a local demo credential, not a secret
JSON_TYPE = "application/json; charset=utf-8"


@dataclass
class DemoSettings:
    """Credentials and token lifetimes of the demo server (all local, demo-only values)."""

    admin_email: str = DEMO_ADMIN_EMAIL
    admin_password: str = DEMO_ADMIN_PASSWORD
    # Accepted on /admin as ``Authorization: Basic base64("<key>:")``; None disables it.
    secret_api_key: str | None = "sk_demo_merchant_desk"
    token_ttl: float = 24 * 3600  # Medusa's default jwtExpiresIn
    reset_token_ttl: float = 15 * 60
    clock: Clock = system_clock
    # Random per app instance: tokens do not survive a restart, like a rotated jwtSecret.
    jwt_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    # The routes tests seed and inspect a store with (draft orders, regions, sales channels,
    # API keys, notifications); off in the app, which never calls them.
    test_routes: bool = False


@dataclass
class AppContext:
    store: DemoStore
    settings: DemoSettings
    secret_key_id: str


def context(request: Request) -> AppContext:
    ctx = request.app.state.demo
    assert isinstance(ctx, AppContext)
    return ctx


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(value: Any, status_code: int = 200) -> Response:
    return Response(_dumps(value), status_code=status_code, media_type=JSON_TYPE)


async def worker_json(
    request: Request,
    fn: Callable[Concatenate[Database, P], Any],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> Response:
    """Run ``fn`` on the store thread and encode the JSON there too, off the GUI thread."""

    def job(db: Database) -> bytes:
        return _dumps(fn(db, *args, **kwargs))

    body = await context(request).store.call(job)
    return Response(body, media_type=JSON_TYPE)


def query_of(request: Request) -> dict[str, Any]:
    return normalize_query(parse_query(request.url.query))


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


async def body_of(request: Request) -> Any:
    """The JSON body, or None when the request is not JSON (Express leaves it undefined)."""
    raw = await request.body()
    if not _is_json(request.headers.get("content-type", "")):
        return None
    try:
        return parse_json_body(raw)
    except ValueError as exc:
        raise BodyParseError(str(exc)) from exc


def bearer_payload(request: Request) -> dict[str, Any] | None:
    """Payload of a valid ``Authorization: Bearer <jwt>``, else None."""
    header = request.headers.get("authorization", "")
    kind, _, token = header.strip().partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        return None
    settings = context(request).settings
    return decode(token.strip(), settings.jwt_secret, settings.clock())


def _basic_secret_key(request: Request) -> str | None:
    """The ``sk_`` token of ``Authorization: Basic`` (raw, or base64 of ``key:``) like Medusa."""
    kind, _, token = request.headers.get("authorization", "").partition(" ")
    if kind.lower() != "basic" or not token:
        return None
    if not token.startswith("sk_"):
        try:
            token = base64.b64decode(token, validate=False).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
    token = token.removesuffix(":")
    return token if token.startswith("sk_") else None


class SecretKeyAsBearerError(Exception):
    """Medusa's hint for a secret API key sent as a Bearer token."""


async def admin_actor(request: Request) -> str:
    """Actor id of an authenticated admin (user JWT or secret API key), else raise 401."""
    secret = _basic_secret_key(request)
    if secret is not None:
        ctx = context(request)
        configured = ctx.settings.secret_api_key
        if configured and secrets.compare_digest(secret, configured):
            return ctx.secret_key_id
        key_id = await ctx.store.call(secret_key_id, secret)
        if key_id is not None:
            return key_id
    payload = bearer_payload(request)
    if payload and payload.get("actor_type") == "user" and payload.get("actor_id"):
        return str(payload["actor_id"])
    kind, _, token = request.headers.get("authorization", "").partition(" ")
    if kind.lower() == "bearer" and token.startswith("sk_"):
        raise SecretKeyAsBearerError()
    raise UnauthorizedError()


AdminHandler = Callable[[Request, str], Awaitable[Response]]


def admin(handler: AdminHandler) -> Callable[[Request], Awaitable[Response]]:
    """Wrap an /admin handler: authenticate first, exactly like Medusa's middleware order."""

    async def endpoint(request: Request) -> Response:
        return await handler(request, await admin_actor(request))

    endpoint.__name__ = handler.__name__
    return endpoint


async def require_publishable_key(request: Request) -> None:
    key = request.headers.get("x-publishable-api-key", "").strip()
    if not key:
        raise MedusaError(
            ErrorKind.NOT_ALLOWED,
            "Publishable API key required in the request header: x-publishable-api-key. "
            "You can manage your keys in settings in the dashboard.",
        )
    if not await context(request).store.call(publishable_key_is_valid, key):
        raise MedusaError(
            ErrorKind.NOT_ALLOWED, "A valid publishable key is required to proceed with the request"
        )
