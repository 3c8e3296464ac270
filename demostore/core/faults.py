"""Fault injection for the demo server: latency, error answers, dropped connections, offline.

``FaultSettings`` can be changed while the app runs (e.g. from a debug menu);
``FaultMiddleware`` consults it once per request. Decisions come from an
injectable ``random.Random`` so tests are deterministic.

``lost_response_rate`` runs the request and then loses the answer, the case that
makes retrying a non-idempotent POST dangerous.

Transport failures are raised as ``httpx`` exceptions from inside the ASGI app:
``httpx.ASGITransport`` (with its default ``raise_app_exceptions=True``)
re-raises them to the caller, which therefore sees exactly what a real network
failure looks like. Behind uvicorn they surface as a 500 plus a server log line.
"""

from __future__ import annotations

import asyncio
import random
import threading
from dataclasses import dataclass
from typing import Literal

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ErrorStatus = Literal[429, 500, 502, 503]


@dataclass(frozen=True)
class FaultDecision:
    delay: float = 0.0
    status: ErrorStatus | None = None
    drop: bool = False  # connection lost before the request is handled
    lose_response: bool = False  # request handled (a write happened!), then the answer is lost
    offline: bool = False


class FaultSettings:
    """Thread-safe, mutable fault knobs; all off by default."""

    def __init__(
        self,
        *,
        latency: float = 0.0,
        error_rate: float = 0.0,
        error_statuses: tuple[ErrorStatus, ...] = (500, 502, 503, 429),
        retry_after: int = 1,
        drop_rate: float = 0.0,
        lost_response_rate: float = 0.0,
        offline: bool = False,
        rng: random.Random | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._rng = rng if rng is not None else random.Random()
        self.latency = latency
        self.error_rate = error_rate
        self.error_statuses = error_statuses
        self.retry_after = retry_after
        self.drop_rate = drop_rate
        self.lost_response_rate = lost_response_rate
        self.offline = offline

    def reset(self) -> None:
        with self._lock:
            self.latency = 0.0
            self.error_rate = 0.0
            self.drop_rate = 0.0
            self.lost_response_rate = 0.0
            self.offline = False

    def decide(self) -> FaultDecision:
        """One request's fate. Draws are made in a fixed order so a seeded rng replays exactly."""
        with self._lock:
            if self.offline:
                return FaultDecision(offline=True)
            drop = self.drop_rate > 0 and self._rng.random() < self.drop_rate
            status: ErrorStatus | None = None
            if not drop and self.error_rate > 0 and self._rng.random() < self.error_rate:
                status = self._rng.choice(self.error_statuses)
            lose = (
                not drop
                and status is None
                and self.lost_response_rate > 0
                and self._rng.random() < self.lost_response_rate
            )
            return FaultDecision(
                delay=max(self.latency, 0.0), status=status, drop=drop, lose_response=lose
            )


_ERROR_BODIES: dict[int, tuple[bytes, bytes]] = {
    # 500 comes from Medusa itself; the others from a proxy or rate limiter in front of it.
    500: (
        b"application/json; charset=utf-8",
        b'{"code":"unknown_error","type":"unknown_error","message":"An unknown error occurred."}',
    ),
    502: (b"text/plain; charset=utf-8", b"Bad Gateway"),
    503: (b"text/plain; charset=utf-8", b"Service Unavailable"),
    429: (b"text/plain; charset=utf-8", b"Too Many Requests"),
}


class FaultMiddleware:
    """ASGI middleware applying ``FaultSettings`` before the request reaches the routes."""

    def __init__(self, app: ASGIApp, faults: FaultSettings) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        decision = self.faults.decide()
        if decision.offline:
            raise httpx.ConnectError("demo store is offline (fault injection)")
        if decision.delay:
            await asyncio.sleep(decision.delay)
        if decision.drop:
            raise httpx.RemoteProtocolError("demo store dropped the connection (fault injection)")
        if decision.status is not None:
            content_type, body = _ERROR_BODIES[decision.status]
            headers = [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
            ]
            if decision.status == 429:
                headers.append((b"retry-after", str(self.faults.retry_after).encode()))
            await send(
                {"type": "http.response.start", "status": decision.status, "headers": headers}
            )
            await send({"type": "http.response.body", "body": body})
            return
        if decision.lose_response:

            async def discard(message: Message) -> None:
                return None

            await self.app(scope, receive, discard)
            raise httpx.ReadError("demo store lost the response (fault injection)")
        await self.app(scope, receive, send)
