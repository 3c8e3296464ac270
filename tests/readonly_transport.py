"""An httpx transport that fails the test on any request that could change the store.

Wraps the real transport (a live server's, or the demo store's ASGI app); lets through
GETs and the adapter's own sign-in POST only, and records every request it saw.
"""

from __future__ import annotations

import httpx
import pytest


class ReadOnlyTransport(httpx.AsyncBaseTransport):
    def __init__(
        self, inner: httpx.AsyncBaseTransport, sign_in: frozenset[tuple[str, str]] = frozenset()
    ) -> None:
        self.inner = inner
        self.sign_in = sign_in
        self.seen: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        method, path = request.method, request.url.path
        self.seen.append((method, path))
        if method != "GET" and (method, path) not in self.sign_in:
            pytest.fail(f"a read-only check sent {method} {path}")
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()
