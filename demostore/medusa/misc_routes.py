"""/health, /admin/api-keys, /admin/sales-channels and /admin/notifications."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from demostore.core import accounts_repo as repo
from demostore.medusa.customer_routes import split_list_query
from demostore.medusa.httpkit import admin, body_of, context, json_response, query_of, worker_json
from demostore.medusa.validation import (
    Enum,
    Obj,
    Str,
    find_params,
    str_or_list,
    validate,
    with_and_or,
)

LIST_NOTIFICATIONS = find_params(
    with_and_or({"q": Str(), "id": str_or_list(), "channel": str_or_list(), "to": str_or_list()})
)
LIST_API_KEYS = find_params(
    {
        "q": Str(),
        "id": str_or_list(),
        "title": str_or_list(),
        "token": str_or_list(),
        "type": Str(),
        "revoked_at": str_or_list(),
    }
)
LIST_API_KEYS.strict = False
CREATE_API_KEY = Obj(
    shape={
        "title": Str(optional=False),
        "type": Enum(values=("publishable", "secret"), optional=False),
    },
    strict=True,
)
LIST_SALES_CHANNELS = find_params({"q": Str(), "id": str_or_list(), "name": str_or_list()})
LIST_SALES_CHANNELS.strict = False


async def health(request: Request) -> Response:
    return PlainTextResponse("OK")


@admin
async def list_notifications(request: Request, actor: str) -> Response:
    validated = validate(LIST_NOTIFICATIONS, query_of(request))
    validated.pop("q", None)
    filters, _, order, limit, offset = split_list_query(validated, 50, ())
    return await worker_json(request, repo.list_notifications, filters, order, limit, offset)


@admin
async def list_api_keys(request: Request, actor: str) -> Response:
    validated = validate(LIST_API_KEYS, query_of(request))
    _, selection, _, limit, offset = split_list_query(validated, 20, repo.API_KEY_FIELDS)
    key_type = validated.get("type")
    return await worker_json(request, repo.list_api_keys, key_type, selection, limit, offset)


@admin
async def create_api_key(request: Request, actor: str) -> Response:
    data = validate(CREATE_API_KEY, await body_of(request))
    key = await context(request).store.call(repo.create_api_key, data["title"], data["type"], actor)
    return json_response({"api_key": key})


@admin
async def list_sales_channels(request: Request, actor: str) -> Response:
    _, _, _, limit, offset = split_list_query(
        validate(LIST_SALES_CHANNELS, query_of(request)), 20, ()
    )
    return await worker_json(request, repo.list_sales_channels, limit, offset)


ROUTES = [Route("/health", health, methods=["GET"])]
# Only for tests (reading reset emails, keys and channels to seed a store): served when
# `DemoSettings.test_routes` is on, never in the app.
TEST_ROUTES = [
    Route("/admin/notifications", list_notifications, methods=["GET"]),
    Route("/admin/api-keys", list_api_keys, methods=["GET"]),
    Route("/admin/api-keys", create_api_key, methods=["POST"]),
    Route("/admin/sales-channels", list_sales_channels, methods=["GET"]),
]
