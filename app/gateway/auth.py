"""How a transport authenticates: fixed headers, or a login that is redone on expiry."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable


class Auth(ABC):
    @abstractmethod
    async def headers(self) -> dict[str, str]:
        """Headers to add to an authenticated request (may log in first)."""

    async def refresh(self, stale: dict[str, str]) -> bool:
        """Called after a 401 sent with `stale`. True if new credentials are worth a retry."""
        return False


class StaticHeaderAuth(Auth):
    """A secret API key in a header (Medusa `Basic sk_…`, Chec `X-Authorization`)."""

    def __init__(self, headers: dict[str, str]) -> None:
        self._headers = dict(headers)

    async def headers(self) -> dict[str, str]:
        return dict(self._headers)


class LoginAuth(Auth):
    """Logs in lazily with `login()` (which returns a bearer token) and again on expiry.

    Concurrent requests share one login: the lock makes the second caller reuse the first
    caller's fresh token instead of logging in twice.
    """

    def __init__(self, login: Callable[[], Awaitable[str]], scheme: str = "Bearer") -> None:
        self._login = login
        self._scheme = scheme
        self._token: str | None = None
        self._lock = asyncio.Lock()

    def _as_headers(self, token: str) -> dict[str, str]:
        return {"Authorization": f"{self._scheme} {token}"}

    async def headers(self) -> dict[str, str]:
        if self._token is None:
            async with self._lock:
                if self._token is None:
                    self._token = await self._login()
        return self._as_headers(self._token)

    async def refresh(self, stale: dict[str, str]) -> bool:
        async with self._lock:
            if self._token is not None and self._as_headers(self._token) != stale:
                return True  # someone else already logged in again
            self._token = await self._login()
            return True

    def forget(self) -> None:
        self._token = None
