"""`create_ep_app`: the demo store speaking Elastic Path's dialect (Customers v2 and friends).

Routes, from the reference (elasticpath/elasticpath-dev):
- `POST /oauth/access_token` (form: grant_type=client_credentials, client_id, client_secret)
  → `{access_token, token_type, expires_in, expires, identifier}`
  (`openapispecs/authentication/OpenAPISpec.yaml`); every `/v2` route needs the bearer token.
- `/v2/customers[/{id}]` GET, POST (201), PUT (partial), DELETE (204)
  (`docs/customer-management/customer-management-api/*`).
- `/v2/customers/{id}/addresses[/{address_id}]` (`CustomerAddresses.yaml`; create answers 201
  as recorded in epcc-cli `docs/tutorial.md`, required fields and error shapes likewise).
- `POST /v2/customers/tokens` (`customer-tokens.md`).
- `POST /v2/flows`, `POST /v2/fields`, `GET /v2/flows/{slug}/fields` (flows reference).
- `GET /v2/orders`, `/v2/orders/{id}`, `/v2/orders/{id}/items` (cartsorders `OpenAPISpec.yaml`).
Test-only seeding, never used by the adapter: `POST /_demo/orders` (Elastic Path makes orders
by checkout) and `POST /_demo/customers/batch` (many customers at once).
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from demostore.core.clock import Clock, system_clock
from demostore.core.database import Database
from demostore.core.faults import FaultMiddleware, FaultSettings
from demostore.core.store import DemoStore
from demostore.core.tokens import encode
from demostore.elasticpath import repo
from demostore.elasticpath.dialect import EPDialect
from demostore.elasticpath.errors import EPError, unauthorized

P = ParamSpec("P")
DEMO_EP_CLIENT_ID = "demo-ep-client"
DEMO_EP_CLIENT_SECRET = "demo-ep-secret"  # a local demo credential, not a secret
JSON_TYPE = "application/json"


@dataclass
class EPDemoSettings:
    client_id: str = DEMO_EP_CLIENT_ID
    client_secret: str = DEMO_EP_CLIENT_SECRET
    token_ttl: float = 3600.0  # "Authentication tokens ... expire within 1 hour"
    customer_token_ttl: float = 24 * 3600.0  # customer-tokens.md: `expires` a day ahead
    clock: Clock = system_clock
    dialect: EPDialect = field(default_factory=EPDialect)  # strict: only what evidence shows
    jwt_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    # The test-only `/_demo/` routes (seeding orders and customers in bulk).
    test_routes: bool = False
    # pagination.md: "/v2/orders ... a hard offset limit of 10,000 records". Lowered only by
    # tests, to show a pass over more orders than the cap without seeding 10,000 of them.
    order_offset_cap: int = repo.ORDER_OFFSET_CAP


@dataclass
class EPContext:
    store: DemoStore
    settings: EPDemoSettings
    tokens: dict[str, float] = field(default_factory=dict)  # access token -> expiry
    issued: int = 0  # access tokens issued so far (tests watch sign-ins)


def _ctx(request: Request) -> EPContext:
    ctx = request.app.state.ep
    assert isinstance(ctx, EPContext)
    return ctx


def _json(value: Any, status: int = 200) -> Response:
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(body, status_code=status, media_type=JSON_TYPE)


async def _on_worker(
    request: Request,
    fn: Callable[Concatenate[Database, P], Any],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> Any:
    return await _ctx(request).store.call(fn, *args, **kwargs)


async def _body(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise EPError(400, "Bad Request", "The request body is not valid JSON") from None


def _authenticate(request: Request) -> None:
    ctx = _ctx(request)
    kind, _, token = request.headers.get("authorization", "").partition(" ")
    expiry = ctx.tokens.get(token.strip()) if kind.lower() == "bearer" else None
    if expiry is None or ctx.settings.clock() >= expiry:
        raise unauthorized()


Handler = Callable[[Request], Awaitable[Response]]


def authed(handler: Handler) -> Handler:
    async def endpoint(request: Request) -> Response:
        _authenticate(request)
        return await handler(request)

    endpoint.__name__ = handler.__name__
    return endpoint


def _query(request: Request) -> dict[str, str]:
    return dict(request.query_params)


# --- auth ------------------------------------------------------------------------------


async def access_token(request: Request) -> Response:
    ctx = _ctx(request)
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "application/x-www-form-urlencoded":
        raise EPError(400, "Bad Request", "The body must be application/x-www-form-urlencoded")
    form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
    if form.get("grant_type") != "client_credentials":
        raise EPError(422, "Unprocessable Entity", "Unsupported grant_type", source="grant_type")
    ok_id = secrets.compare_digest(form.get("client_id", ""), ctx.settings.client_id)
    ok_secret = secrets.compare_digest(form.get("client_secret", ""), ctx.settings.client_secret)
    if not (ok_id and ok_secret):
        # The reference gives no example for refused credentials (unverified): 401.
        raise EPError(401, "Unauthorized", "Invalid client credentials")
    now = ctx.settings.clock()
    ttl = ctx.settings.token_ttl
    token = secrets.token_hex(20)
    ctx.tokens = {t: e for t, e in ctx.tokens.items() if e > now}
    ctx.tokens[token] = now + ttl
    ctx.issued += 1
    return _json(
        {
            "expires": int(now + ttl),
            "identifier": "client_credentials",
            "expires_in": int(ttl),
            "access_token": token,
            "token_type": "Bearer",
        }
    )


# --- customers -------------------------------------------------------------------------


@authed
async def customers(request: Request) -> Response:
    if request.method == "POST":
        dialect = _ctx(request).settings.dialect
        created = await _on_worker(request, repo.create_customer, await _body(request), dialect)
        return _json(created, 201)
    return _json(await _on_worker(request, repo.list_customers, _query(request)))


@authed
async def customer(request: Request) -> Response:
    customer_id = request.path_params["customer_id"]
    if request.method == "PUT":
        body = await _body(request)
        dialect = _ctx(request).settings.dialect
        return _json(await _on_worker(request, repo.update_customer, customer_id, body, dialect))
    if request.method == "DELETE":
        await _on_worker(request, repo.delete_customer, customer_id)
        return Response(status_code=204)
    return _json(await _on_worker(request, repo.get_customer, customer_id))


@authed
async def customer_tokens(request: Request) -> Response:
    ctx = _ctx(request)
    now = ctx.settings.clock()
    expires = int(now + ctx.settings.customer_token_ttl)
    customer_id = await _on_worker(request, repo.authenticate_customer, await _body(request))
    payload = {"sub": customer_id, "exp": expires, "jti": str(uuid.uuid4())}
    token = encode(payload, ctx.settings.jwt_secret)
    return _json(
        {
            "data": {
                "type": "token",
                "id": str(uuid.uuid4()),
                "customer_id": customer_id,
                "token": token,
                "expires": expires,
            }
        }
    )


@authed
async def addresses(request: Request) -> Response:
    customer_id = request.path_params["customer_id"]
    if request.method == "POST":
        body = await _body(request)
        dialect = _ctx(request).settings.dialect
        # 201 as the service answered in epcc-cli's recorded session (the spec says 200).
        created = await _on_worker(request, repo.create_address, customer_id, body, dialect)
        return _json(created, 201)
    return _json(await _on_worker(request, repo.list_addresses, customer_id))


@authed
async def address(request: Request) -> Response:
    customer_id = request.path_params["customer_id"]
    address_id = request.path_params["address_id"]
    if request.method == "PUT":
        body = await _body(request)
        dialect = _ctx(request).settings.dialect
        return _json(
            await _on_worker(request, repo.update_address, customer_id, address_id, body, dialect)
        )
    if request.method == "DELETE":
        await _on_worker(request, repo.delete_address, customer_id, address_id)
        return Response(status_code=204)
    return _json(await _on_worker(request, repo.get_address, customer_id, address_id))


# --- flows -----------------------------------------------------------------------------


def _data(body: Any) -> Any:
    return body.get("data") if isinstance(body, dict) else None


@authed
async def flows(request: Request) -> Response:
    body = _data(await _body(request))
    return _json(await _on_worker(request, repo.create_flow, body or {}), 201)


@authed
async def fields(request: Request) -> Response:
    body = _data(await _body(request))
    return _json(await _on_worker(request, repo.create_field, body or {}), 201)


@authed
async def flow_fields(request: Request) -> Response:
    return _json(await _on_worker(request, repo.list_fields, request.path_params["slug"]))


# --- orders ----------------------------------------------------------------------------


@authed
async def orders(request: Request) -> Response:
    cap = _ctx(request).settings.order_offset_cap
    return _json(await _on_worker(request, repo.list_orders, _query(request), cap))


@authed
async def order(request: Request) -> Response:
    order_id = request.path_params["order_id"]
    if request.method == "PUT":
        return _json(await _on_worker(request, repo.update_order, order_id, await _body(request)))
    return _json(await _on_worker(request, repo.get_order, order_id))


@authed
async def order_items(request: Request) -> Response:
    return _json(await _on_worker(request, repo.order_items, request.path_params["order_id"]))


# --- test-only seeding -----------------------------------------------------------------


@authed
async def seed_order(request: Request) -> Response:
    return _json(await _on_worker(request, repo.seed_order, await _body(request)), 201)


@authed
async def seed_customers(request: Request) -> Response:
    return _json(await _on_worker(request, repo.bulk_customers, await _body(request)), 201)


# --- app -------------------------------------------------------------------------------


async def _ep_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EPError)
    return _json(exc.body(), exc.status)


async def _no_route(request: Request, exc: Exception) -> Response:
    if request.url.path.startswith("/v2/"):
        try:
            _authenticate(request)
        except EPError as error:
            return _json(error.body(), error.status)
    return _json(EPError(404, "Not Found", "The resource could not be found").body(), 404)


ROUTES = [
    Route("/oauth/access_token", access_token, methods=["POST"]),
    Route("/v2/customers", customers, methods=["GET", "POST"]),
    Route("/v2/customers/tokens", customer_tokens, methods=["POST"]),
    Route("/v2/customers/{customer_id}", customer, methods=["GET", "PUT", "DELETE"]),
    Route("/v2/customers/{customer_id}/addresses", addresses, methods=["GET", "POST"]),
    Route(
        "/v2/customers/{customer_id}/addresses/{address_id}",
        address,
        methods=["GET", "PUT", "DELETE"],
    ),
    Route("/v2/flows", flows, methods=["POST"]),
    Route("/v2/fields", fields, methods=["POST"]),
    Route("/v2/flows/{slug}/fields", flow_fields, methods=["GET"]),
    Route("/v2/orders", orders, methods=["GET"]),
    Route("/v2/orders/{order_id}", order, methods=["GET", "PUT"]),
    Route("/v2/orders/{order_id}/items", order_items, methods=["GET"]),
]
# Served only when `EPDemoSettings.test_routes` is on (the tests; never the app).
TEST_ROUTES = [
    Route("/_demo/orders", seed_order, methods=["POST"]),
    Route("/_demo/customers/batch", seed_customers, methods=["POST"]),
]


def create_ep_app(
    store: DemoStore,
    faults: FaultSettings | None = None,
    *,
    settings: EPDemoSettings | None = None,
) -> Starlette:
    """The Elastic Path dialect over an opened demo `store` (call `prepare` once first)."""
    settings = settings or EPDemoSettings()
    app = Starlette(
        routes=ROUTES + (TEST_ROUTES if settings.test_routes else []),
        middleware=[Middleware(FaultMiddleware, faults=faults or FaultSettings())],
        exception_handlers={EPError: _ep_error, 404: _no_route, 405: _no_route},
    )
    app.state.ep = EPContext(store=store, settings=settings)
    app.state.faults = faults
    return app


DEMO_FIELDS = (
    ("source", "Source", "string"),
    ("loyalty_points", "Loyalty points", "integer"),
    ("newsletter", "Newsletter", "boolean"),
)


async def prepare(store: DemoStore, *, demo_fields: bool = True) -> None:
    """Create the dialect's own tables and (for the demo shop) its `customers` flow, whose
    fields match the generated customers' metadata keys."""
    await store.call(repo.ensure_schema)
    if demo_fields:
        await store.call(repo.ensure_demo_flow, DEMO_FIELDS)
