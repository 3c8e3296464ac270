"""What every adapter's route test checks: each request it sent is a declared route (its
query parameters too, each with its own evidence), and each declared route was sent."""

from __future__ import annotations

import httpx

from app.backends.routes import Route, find_route


class RouteRecorder(httpx.AsyncBaseTransport):
    """Passes every request on to `inner`, noting its method, path and parameter names."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.seen: list[tuple[str, str, frozenset[str]]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        params = frozenset(request.url.params.keys())
        self.seen.append((request.method, request.url.path, params))
        return await self.inner.handle_async_request(request)


def assert_routes_declared_and_used(
    seen: list[tuple[str, str, frozenset[str]]], routes: tuple[Route, ...]
) -> None:
    used: set[Route] = set()
    for method, path, params in seen:
        route = find_route(routes, method, path)
        assert route is not None, f"{method} {path} is not a declared route"
        assert params <= route.param_names, f"{method} {path}: {params - route.param_names}"
        used.add(route)
    stale = sorted(f"{r.method} {r.path}" for r in set(routes) - used)
    assert not stale, f"declared but never sent: {stale}"
