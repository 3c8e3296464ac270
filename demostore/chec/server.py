"""``create_chec_app``: the demo store speaking Chec / Commerce.js REST API v1.

Written from the vendor's published material (see the evidence tags in
``app.backends.chec.wire``'s docstring, which cites the same sources), over the same
``DemoStore`` as the Medusa dialect. Where the reference is silent the emulation makes the
plain REST choice and says so ([I] below):

- Auth: ``X-Authorization`` with a secret key (``sk_…``) for everything; a public key
  (``pk_…``) only for the login-token routes [D: Concepts "Scope"]. No key or an unknown
  one: 401; a public key on a secret route: 403 [I].
- Lists: ``limit`` (default 20, at most 200 [I]), ``page``, ``query`` (customers: every
  word must appear in the first name, last name or email, case-insensitively [I]).
  Customer orders: ``sortBy=created_at`` only and ``sortDirection`` (default
  ``created_at desc``) [S: chec/commerce.js src/features/customer.js at 7f4c57f]; the
  ``created`` the SDK sent before 1fe26ff (Apr 2021) "causes error" [S: commit message],
  so it is refused with 422 [I: the status]. The merchant's "List orders"
  (``GET /v1/orders``) takes ``limit``, ``page`` and ``query`` [T]; no sort or date filter
  is documented, so strict refuses ``sortBy``/``sortDirection`` there too (lenient takes
  the customer orders' one). Orders show their charge/refund ``transactions`` [S:
  Order/Transaction.ts]; a cancelled order's charge is ``cancelled`` with
  ``status_reason: order_cancelled``. Chec has no documented cancel route: none is served.
- Strict by default (``ChecSettings.lenient = False``): what no vendor source documents is
  not served, so an adapter relying on it fails here as it would against Chec. That is
  ``sortBy``/``sortDirection`` on the customer list (422), listing a customer's addresses
  (``GET …/addresses``: 405, the path only takes POST) and updating or deleting one
  (``PUT|DELETE …/addresses/{id}``: 404). Nor is the address-create answer documented:
  strict answers 201 with the customer (its ``default_shipping``/``default_billing``),
  the shape an adapter cannot assume to be an address [I, deliberately inconvenient].
  ``lenient=True`` serves all of it as the plain REST guess (customers sortable by
  created, updated, email, firstname, lastname; addresses listed, updated, deleted; the
  address itself answering its creation).
  Answer ``{data, pagination: {total, count, per_page, current_page, total_pages,
  links}}`` [S: PaginatedResponse.ts, branch 3.0 at 6cd0359]; lenient puts
  ``pagination`` under ``meta`` [I: the Laravel/Fractal way, unverified for Chec].
- Single resources answer unwrapped; creation answers 201 [T]; deletion answers 200
  ``{id, deleted: true}`` [I]. ``meta`` is replaced whole on update [I].
- Errors: ``{status_code, error: {type, message, errors?}}`` [S, T]; 422 ``validation``
  with Laravel-style ``errors`` per field [T/I]; 404 ``not_found`` [I].
- Customer-scoped calls with a customer JWT (``Authorization: Bearer``) are not emulated:
  the desk works with the secret key only.

Test-only routes, never used by the adapter, live under ``/_demo/chec/``: seeding an order
(``POST /_demo/chec/orders``), reading the login emails sent (``GET /_demo/chec/emails``)
and minting another secret key (``POST /_demo/chec/secret-keys``); served only with
``ChecSettings(test_routes=True)``.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from demostore.chec import repo
from demostore.chec.repo import ChecError, ListQuery
from demostore.core import tokens
from demostore.core.faults import FaultMiddleware, FaultSettings
from demostore.core.store import DemoStore

JSON_TYPE = "application/json"
DEFAULT_LIMIT = 20
MAX_LIMIT = 200
JWT_TTL = 24 * 3600  # "valid for 24 hours" [D: Get access token]


@dataclass
class ChecSettings:
    clock: Callable[[], float] = time.time
    # Serve what no vendor source documents (see the module docstring); default strict.
    lenient: bool = False
    # Random per app instance, like a rotated signing key: JWTs do not survive a restart.
    jwt_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    # The test-only `/_demo/chec/` routes (seeding orders, reading emails, minting keys).
    test_routes: bool = False


@dataclass
class ChecContext:
    store: DemoStore
    settings: ChecSettings


def _ctx(request: Request) -> ChecContext:
    ctx = request.app.state.chec
    assert isinstance(ctx, ChecContext)
    return ctx


def _json(value: Any, status: int = 200) -> Response:
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(body, status_code=status, media_type=JSON_TYPE)


async def _key_scope(request: Request) -> str:
    token = request.headers.get("x-authorization", "").strip()
    scope = await _ctx(request).store.call(repo.key_scope, token) if token else None
    if scope is None:
        raise ChecError(
            401,
            "authentication_error",
            "You did not provide a valid API key in the X-Authorization header.",
        )
    return scope


async def _secret(request: Request) -> None:
    if await _key_scope(request) != "secret":
        raise ChecError(403, "authorization_error", "This request requires a secret API key.")


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        raise ChecError(400, "bad_request", "The request body is not valid JSON.") from None
    if not isinstance(value, dict):
        raise ChecError(400, "bad_request", "The request body must be a JSON object.")
    return value


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    text = request.query_params.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise repo.invalid({name: [f"The {name} must be an integer."]}) from None
    if value < low:
        raise repo.invalid({name: [f"The {name} must be at least {low}."]})
    return min(value, high)


def _list_query(request: Request, sorts: dict[str, str], default: str) -> ListQuery:
    sort_by = request.query_params.get("sortBy") or default
    if sort_by not in sorts:
        raise repo.invalid({"sortBy": [f"The selected sortBy is invalid ({', '.join(sorts)})."]})
    direction = (request.query_params.get("sortDirection") or "desc").lower()
    if direction not in ("asc", "desc"):
        raise repo.invalid({"sortDirection": ["The selected sortDirection is invalid."]})
    return ListQuery(
        limit=_int(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        page=_int(request, "page", 1, 1, 1_000_000),
        sort_by=sort_by,
        descending=direction == "desc",
        text=" ".join((request.query_params.get("query") or "").split()),
    )


Handler = Callable[[Request], Awaitable[Response]]


def secret_route(path: str, handler: Handler, methods: list[str]) -> Route:
    async def endpoint(request: Request) -> Response:
        await _secret(request)
        return await handler(request)

    endpoint.__name__ = handler.__name__
    return Route(path, endpoint, methods=methods)


# --- customers -----------------------------------------------------------------------


def _lenient(request: Request) -> bool:
    return _ctx(request).settings.lenient


def _page(request: Request, body: dict[str, Any]) -> Response:
    """A list answer: strict puts `pagination` beside `data`, as the SDK's type has it
    [S: PaginatedResponse.ts]; lenient under `meta` [I: the Laravel way]."""
    if _lenient(request):
        return _json(body)
    return _json({"data": body["data"], "pagination": body["meta"]["pagination"]})


def _undocumented(what: str) -> ChecError:
    return repo.invalid({what: [f"The {what} parameter is not accepted here."]})


async def list_customers(request: Request) -> Response:
    if not _lenient(request):
        for name in ("sortBy", "sortDirection"):
            if name in request.query_params:
                raise _undocumented(name)
    query = _list_query(request, repo.CUSTOMER_SORT, "created")
    store = _ctx(request).store
    return _page(request, await store.call(repo.list_customers, query, request.url.path))


async def create_customer(request: Request) -> Response:
    body = await _body(request)
    return _json(await _ctx(request).store.call(repo.create_customer, body), 201)


async def customer(request: Request) -> Response:
    store = _ctx(request).store
    cid = request.path_params["customer_id"]
    if request.method == "GET":
        return _json(await store.call(repo.get_customer, cid))
    if request.method == "PUT":
        return _json(await store.call(repo.update_customer, cid, await _body(request)))
    return _json(await store.call(repo.delete_customer, cid))


async def addresses(request: Request) -> Response:
    store = _ctx(request).store
    cid = request.path_params["customer_id"]
    if request.method == "POST":
        created = await store.call(repo.create_address, cid, await _body(request))
        if not _lenient(request):
            return _json(await store.call(repo.get_customer, cid), 201)
        return _json(created, 201)
    if not _lenient(request):
        raise ChecError(405, "method_not_allowed", "Method not allowed.")
    limit = _int(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    page = _int(request, "page", 1, 1, 1_000_000)
    return _page(request, await store.call(repo.list_addresses, cid, limit, page, request.url.path))


async def address(request: Request) -> Response:
    store = _ctx(request).store
    cid, aid = request.path_params["customer_id"], request.path_params["address_id"]
    if not _lenient(request):
        raise repo.not_found("Resource")
    if request.method == "PUT":
        return _json(await store.call(repo.update_address, cid, aid, await _body(request)))
    return _json(await store.call(repo.delete_address, cid, aid))


# --- orders --------------------------------------------------------------------------


async def customer_orders(request: Request) -> Response:
    query = _list_query(request, repo.ORDER_SORT, "created_at")
    cid = request.path_params["customer_id"]
    store = _ctx(request).store
    return _page(request, await store.call(repo.list_customer_orders, cid, query, request.url.path))


async def all_orders(request: Request) -> Response:
    if not _lenient(request):
        for name in ("sortBy", "sortDirection"):
            if name in request.query_params:
                raise _undocumented(name)
    # No sortBy ("") is Chec's own order; lenient also takes the customer orders' sort.
    sorts = {"": "", **(repo.ORDER_SORT if _lenient(request) else {})}
    query = _list_query(request, sorts, "")
    store = _ctx(request).store
    return _page(request, await store.call(repo.list_orders, query, request.url.path))


async def customer_order(request: Request) -> Response:
    cid, oid = request.path_params["customer_id"], request.path_params["order_id"]
    return _json(await _ctx(request).store.call(repo.get_order, oid, cid))


async def order(request: Request) -> Response:
    return _json(await _ctx(request).store.call(repo.get_order, request.path_params["order_id"]))


# --- login tokens --------------------------------------------------------------------


def _login_fields(body: dict[str, Any]) -> tuple[str, str]:
    email, base_url = body.get("email"), body.get("base_url")
    errors: dict[str, list[str]] = {}
    if not isinstance(email, str) or not email:
        errors["email"] = ["The email field is required."]
    if not isinstance(base_url, str) or not base_url:
        errors["base_url"] = ["The base url field is required."]
    if errors:
        raise repo.invalid(errors)
    assert isinstance(email, str)
    assert isinstance(base_url, str)
    return email, base_url


async def email_token(request: Request) -> Response:
    """Issue and send login token [D]: public or secret key."""
    await _key_scope(request)
    email, base_url = _login_fields(await _body(request))
    await _ctx(request).store.call(repo.issue_login_token, email, base_url, send=True)
    return _json({"success": True})


async def issue_login_token(request: Request) -> Response:
    """Issue and return login token [T]: secret key, the token comes back instead of mail."""
    email, base_url = _login_fields(await _body(request))
    issued = await _ctx(request).store.call(repo.issue_login_token, email, base_url, send=False)
    return _json({"customer_id": issued["customer_id"], "token": issued["token"]})


def _jwt(request: Request, customer_id: str) -> str:
    settings = _ctx(request).settings
    now = int(settings.clock())
    payload = {"sub": customer_id, "cid": customer_id, "iat": now, "exp": now + JWT_TTL}
    return tokens.encode(payload, settings.jwt_secret)


async def exchange_token(request: Request) -> Response:
    """Exchange login token for JWT [D, S]: ``{customer_id, jwt}``."""
    await _key_scope(request)
    token = (await _body(request)).get("token")
    if not isinstance(token, str) or not token:
        raise repo.invalid({"token": ["The token field is required."]})
    customer_id = await _ctx(request).store.call(repo.redeem_login_token, token)
    return _json({"customer_id": customer_id, "jwt": _jwt(request, customer_id)})


async def issue_jwt(request: Request) -> Response:
    """Issue JWT for customer [T]: secret key, no body, ``{customer_id, jwt}``."""
    cid = request.path_params["customer_id"]
    found = await _ctx(request).store.call(repo.get_customer, cid)
    return _json({"customer_id": found["id"], "jwt": _jwt(request, found["id"])})


# --- test-only routes ----------------------------------------------------------------


async def seed_order(request: Request) -> Response:
    return _json(await _ctx(request).store.call(repo.create_test_order, await _body(request)), 201)


async def emails(request: Request) -> Response:
    to = request.query_params.get("to", "")
    return _json({"data": await _ctx(request).store.call(repo.sent_emails, to)})


async def secret_keys(request: Request) -> Response:
    title = str((await _body(request)).get("title") or "demo")
    return _json({"key": await _ctx(request).store.call(repo.new_secret_key, title)}, 201)


# --- the app -------------------------------------------------------------------------


async def _chec_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ChecError)
    return _json(exc.body(), exc.status)


async def _no_route(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 404)
    if status == 405:
        return _json(ChecError(405, "method_not_allowed", "Method not allowed.").body(), 405)
    return _json(repo.not_found("Resource").body(), 404)


ROUTES = [
    Route("/v1/customers/email-token", email_token, methods=["POST"]),
    Route("/v1/customers/exchange-token", exchange_token, methods=["POST"]),
    secret_route("/v1/customers/issue-token", issue_login_token, ["POST"]),
    secret_route("/v1/customers", list_customers, ["GET"]),
    secret_route("/v1/customers", create_customer, ["POST"]),
    secret_route("/v1/customers/{customer_id}", customer, ["GET", "PUT", "DELETE"]),
    secret_route("/v1/customers/{customer_id}/issue-token", issue_jwt, ["POST"]),
    secret_route("/v1/customers/{customer_id}/addresses", addresses, ["GET", "POST"]),
    secret_route("/v1/customers/{customer_id}/addresses/{address_id}", address, ["PUT", "DELETE"]),
    secret_route("/v1/customers/{customer_id}/orders", customer_orders, ["GET"]),
    secret_route("/v1/customers/{customer_id}/orders/{order_id}", customer_order, ["GET"]),
    secret_route("/v1/orders", all_orders, ["GET"]),
    secret_route("/v1/orders/{order_id}", order, ["GET"]),
]
# Served only when `ChecSettings.test_routes` is on (the tests; never the app).
TEST_ROUTES = [
    secret_route("/_demo/chec/orders", seed_order, ["POST"]),
    secret_route("/_demo/chec/emails", emails, ["GET"]),
    secret_route("/_demo/chec/secret-keys", secret_keys, ["POST"]),
]


def create_chec_app(
    store: DemoStore,
    faults: FaultSettings | None = None,
    *,
    settings: ChecSettings | None = None,
) -> Starlette:
    """The Chec dialect over an opened ``store`` (call ``prepare_store`` once before)."""
    faults = faults if faults is not None else FaultSettings()
    settings = settings or ChecSettings()
    app = Starlette(
        routes=ROUTES + (TEST_ROUTES if settings.test_routes else []),
        middleware=[Middleware(FaultMiddleware, faults=faults)],
        exception_handlers={ChecError: _chec_error, 404: _no_route, 405: _no_route},
    )
    app.state.chec = ChecContext(store=store, settings=settings)
    app.state.faults = faults
    return app


async def prepare_store(store: DemoStore) -> str:
    """Add the Chec side tables to an opened store; returns the demo shop's secret key."""
    return await store.call(repo.demo_secret_key)
