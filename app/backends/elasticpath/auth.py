"""Client-credentials sign-in for Elastic Path: a bearer token renewed BEFORE it expires.

`ExpiringTokenAuth` is `LoginAuth` plus the token's lifetime: a request made in the last
stretch of the token's life (a fifth of it, at most a minute) signs in again first, so
requests never ride on a token about to lapse; a 401 still signs in again once (the server
may revoke tokens early). Concurrent requests share one sign-in.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from app.gateway import Auth

MAX_MARGIN_S = 60.0


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    expires_at: float | None  # epoch seconds on our clock; None: unknown (renew on 401 only)
    issued_at: float

    def renew_at(self) -> float | None:
        if self.expires_at is None:
            return None
        lifetime = max(0.0, self.expires_at - self.issued_at)
        return self.expires_at - min(MAX_MARGIN_S, lifetime / 5)


class ExpiringTokenAuth(Auth):
    def __init__(
        self,
        login: Callable[[], Awaitable[IssuedToken]],
        clock: Callable[[], float] = time.time,
        scheme: str = "Bearer",
    ) -> None:
        self._login = login
        self._clock = clock
        self._scheme = scheme
        self._token: IssuedToken | None = None
        self._lock = asyncio.Lock()
        self.logins = 0  # how many times we signed in (for tests and diagnostics)

    def _as_headers(self, token: IssuedToken) -> dict[str, str]:
        return {"Authorization": f"{self._scheme} {token.token}"}

    def _fresh(self, token: IssuedToken | None) -> bool:
        if token is None:
            return False
        renew_at = token.renew_at()
        return renew_at is None or self._clock() < renew_at

    async def _sign_in(self) -> IssuedToken:
        token = await self._login()
        self.logins += 1
        self._token = token
        return token

    async def headers(self) -> dict[str, str]:
        token = self._token
        if not self._fresh(token):
            async with self._lock:
                token = self._token
                if not self._fresh(token):
                    token = await self._sign_in()
        assert token is not None
        return self._as_headers(token)

    async def refresh(self, stale: dict[str, str]) -> bool:
        async with self._lock:
            if self._token is not None and self._as_headers(self._token) != stale:
                return True  # someone else already signed in again
            await self._sign_in()
            return True

    def forget(self) -> None:
        self._token = None
