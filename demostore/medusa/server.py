"""``create_demo_app``: the embedded demo store as an ASGI app speaking Medusa 2's admin dialect.

The app is meant to be driven in-process through ``httpx.ASGITransport`` (or
served by uvicorn for manual poking). Route modules hold the endpoints; this
module wires them, the auth errors and Medusa's error bodies together.
"""

from __future__ import annotations

import html

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from demostore.core.errors import MedusaError, UnauthorizedError
from demostore.core.faults import FaultMiddleware, FaultSettings
from demostore.core.ids import UlidFactory
from demostore.core.store import DemoStore
from demostore.medusa import auth_routes, customer_routes, group_routes, misc_routes, order_routes
from demostore.medusa.httpkit import (
    AppContext,
    DemoSettings,
    SecretKeyAsBearerError,
    admin_actor,
    json_response,
    require_publishable_key,
)


async def _medusa_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, MedusaError)
    return json_response(exc.body(), exc.status_code)


async def _unauthorized(request: Request, exc: Exception) -> Response:
    return json_response({"message": "Unauthorized"}, 401)


_EXPRESS_404 = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n'
    "</head>\n<body>\n<pre>Cannot {method} {path}</pre>\n</body>\n</html>\n"
)


async def _no_route(request: Request, exc: Exception) -> Response:
    """Express's 404 page (also for a known path with another method, as Express has no 405).

    /admin and /store paths first pass their auth / publishable-key checks, as in Medusa.
    Errors raised in here bypass the exception handlers, hence the explicit mapping.
    """
    try:
        if request.url.path.startswith("/admin/"):
            await admin_actor(request)
        if request.url.path.startswith("/store/"):
            await require_publishable_key(request)
    except UnauthorizedError as error:
        return await _unauthorized(request, error)
    except SecretKeyAsBearerError as error:
        return await _secret_key_as_bearer(request, error)
    except MedusaError as error:
        return await _medusa_error(request, error)
    method, path = html.escape(request.method), html.escape(request.url.path)
    return HTMLResponse(_EXPRESS_404.format(method=method, path=path), status_code=404)


async def _secret_key_as_bearer(request: Request, exc: Exception) -> Response:
    message = (
        "A secret API key was passed as a Bearer token. Secret API keys must be sent using "
        "HTTP Basic authentication instead (Authorization: Basic <secret-api-key>)."
    )
    return json_response({"message": message}, 401)


def create_demo_app(
    store: DemoStore,
    faults: FaultSettings | None = None,
    *,
    settings: DemoSettings | None = None,
) -> Starlette:
    """Build the demo server for an opened ``store``; ``faults`` may be changed while it runs."""
    settings = settings if settings is not None else DemoSettings()
    faults = faults if faults is not None else FaultSettings()
    app = Starlette(
        routes=[
            *misc_routes.ROUTES,
            *auth_routes.ROUTES,
            *customer_routes.ROUTES,
            *group_routes.ROUTES,
            *order_routes.ROUTES,
            *(misc_routes.TEST_ROUTES + order_routes.TEST_ROUTES if settings.test_routes else []),
        ],
        middleware=[Middleware(FaultMiddleware, faults=faults)],
        exception_handlers={
            MedusaError: _medusa_error,
            UnauthorizedError: _unauthorized,
            SecretKeyAsBearerError: _secret_key_as_bearer,
            404: _no_route,
            405: _no_route,
        },
    )
    secret_key_id = UlidFactory().new("apk", int(settings.clock() * 1000))
    app.state.demo = AppContext(store=store, settings=settings, secret_key_id=secret_key_id)
    app.state.faults = faults
    return app
