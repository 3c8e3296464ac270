"""`ApiTransport`: one `httpx.AsyncClient` per store, with auth, retries and error mapping."""

from __future__ import annotations

import asyncio
import json as jsonlib
import logging
import random
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import certifi
import httpx
from pydantic import BaseModel, ValidationError

from app.domain.errors import (
    AppError,
    BackendTimeoutError,
    BadResponseError,
    ErrorDetails,
    OutcomeUnknownError,
    ValidationFailedError,
)
from app.gateway.auth import Auth
from app.gateway.errors import (
    ErrorBodyParser,
    error_for_status,
    error_for_transport,
    excerpt,
    generic_error_body,
    redirect_error,
    request_was_sent,
)
from app.gateway.observe import current_observer
from app.gateway.retry import RetryPolicy, parse_retry_after

log = logging.getLogger("merchant_desk.gateway")
M = TypeVar("M", bound=BaseModel)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
Scalar = str | int | float | bool | None
Params = Mapping[str, Scalar] | list[tuple[str, Scalar]]


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# httpx logs every full URL at INFO (search text, emails in query strings): never ours.
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("httpcore").setLevel(logging.WARNING)


@dataclass(frozen=True, slots=True)
class Timeouts:
    connect: float = 5.0
    read: float = 10.0  # between two bytes: restarts with every byte, so not enough alone
    # Whole request, retries and sign-in included: a trickled body or a silent server
    # cannot hold a write (or a sync page) longer than this.
    total: float = 60.0
    # Reads someone waits for: the desk learns within this that the store is not answering.
    interactive: float = 15.0

    def as_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.read, pool=self.read)

    def budget(self, method: str) -> float:
        return self.interactive if method in READ_METHODS else self.total


@dataclass(frozen=True, slots=True)
class ApiResponse:
    status: int
    headers: Mapping[str, str]
    content: bytes
    details: ErrorDetails

    def json(self) -> Any:
        """The body as JSON; a body that is not JSON is the backend's fault, not ours."""
        try:
            return jsonlib.loads(self.content)
        except ValueError as exc:
            raise BadResponseError(
                details=ErrorDetails(
                    **{**_as_kwargs(self.details), "body_excerpt": excerpt(self.content)}
                )
            ) from exc

    def parse(self, model: type[M], body: Any = None) -> M:
        """`body` (default: the response's JSON) validated as the wire `model`; a body of
        another shape is the backend's fault: `BadResponseError`, with this request's details."""
        try:
            return model.model_validate(self.json() if body is None else body)
        except ValidationError as exc:
            raise BadResponseError(details=self.details) from exc

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


def _redacted_query(params: Params | None) -> str:
    """`?name=…` for each parameter: which filters ran, not what was searched."""
    if not params:
        return ""
    names = [name for name, _ in (params.items() if isinstance(params, Mapping) else params)]
    return "?" + "&".join(f"{name}=…" for name in names)


def _as_kwargs(details: ErrorDetails) -> dict[str, Any]:
    return {name: getattr(details, name) for name in details.__slots__}


def _ssl_context() -> ssl.SSLContext:
    # An explicit context: httpx would otherwise read SSL_CERT_FILE at client creation,
    # which fails outright where that variable names a missing file (seen on CI machines).
    return ssl.create_default_context(cafile=certifi.where())


@dataclass(frozen=True, slots=True)
class GatewayOptions:
    """How a store's transport behaves; tests inject the transport, sleep, jitter and clock."""

    timeouts: Timeouts = Timeouts()
    retry: RetryPolicy = RetryPolicy()
    # httpx.MockTransport for fault injection, httpx.ASGITransport for the demo store.
    transport: httpx.AsyncBaseTransport | None = None
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    jitter: Callable[[], float] = random.random
    clock: Callable[[], float] = time.time


class ApiTransport:
    def __init__(
        self,
        base_url: str,
        *,
        backend: str,
        auth: Auth | None = None,
        error_parser: ErrorBodyParser = generic_error_body,
        options: GatewayOptions = GatewayOptions(),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.backend = backend
        self.auth = auth
        self._parser = error_parser
        self._retry = options.retry
        self._sleep = options.sleep
        self._jitter = options.jitter
        self._clock = options.clock
        self._timeouts = options.timeouts
        transport = options.transport
        self._client = httpx.AsyncClient(
            base_url=base_url,
            transport=transport,
            timeout=options.timeouts.as_httpx(),
            headers={"Accept": "application/json", **(headers or {})},
            verify=_ssl_context() if transport is None and base_url.startswith("https") else True,
            follow_redirects=False,
        )

    @property
    def base_url(self) -> str:
        return str(self._client.base_url)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: Any = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        authenticate: bool = True,
    ) -> ApiResponse:
        """Send a request; raise an `AppError` for any failure, return the response on 2xx.

        The body is `json`, or `form` (application/x-www-form-urlencoded, e.g. OAuth token
        endpoints). `idempotent` defaults from the method; pass True for a POST that is safe
        to repeat. Only `Exception` is caught, so cancellation always propagates.
        """
        method = method.upper()
        safe = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        # A write whose answer is lost may have been applied: say so, never "unreachable".
        # (Sign-in posts are unauthenticated and idempotent: those stay plain failures.)
        consequential = method not in READ_METHODS and (authenticate or not safe)
        loop = asyncio.get_running_loop()
        budget = self._timeouts.budget(method)
        deadline = loop.time() + budget
        relogged = False
        attempt = 0
        shown = path + _redacted_query(params)
        while True:
            extra = dict(headers or {})
            details = ErrorDetails(backend=self.backend, method=method, url=path)
            observer = current_observer()
            if observer is not None:
                observer.sending(method, path)
            started = time.perf_counter()
            auth_headers: dict[str, str] = {}
            try:
                async with asyncio.timeout_at(deadline):
                    if authenticate and self.auth:
                        auth_headers = await self.auth.headers()
                    extra.update(auth_headers)
                    response = await self._client.request(
                        method, path, params=params, json=json, data=form, headers=extra
                    )
                    content = await response.aread()
            except TimeoutError as exc:  # the whole deadline, not one read: give up now
                self._log(method, shown, None, attempt, started, "deadline")
                if consequential:
                    raise OutcomeUnknownError(details=details) from exc
                raise BackendTimeoutError(
                    f"The store's server did not answer within {budget:g} s.", details=details
                ) from exc
            except httpx.InvalidURL as exc:  # e.g. a 64 KB search in the query string
                raise ValidationFailedError(
                    "The request is too long to send to the store; shorten the search.",
                    details=details,
                ) from exc
            except httpx.HTTPError as exc:
                self._log(method, shown, None, attempt, started, type(exc).__name__)
                if observer is not None:
                    observer.answered(method, path, None)
                error = error_for_transport(exc, details)
                sent = request_was_sent(exc)
                if self._retry.should_retry_connection(attempt, idempotent=safe, request_sent=sent):
                    wait = self._retry.backoff(attempt, self._jitter())
                    if loop.time() + wait < deadline:
                        await self._sleep(wait)
                        attempt += 1
                        continue
                if sent and consequential:
                    raise OutcomeUnknownError(details=details) from exc
                raise error from exc

            status = response.status_code
            self._log(method, shown, status, attempt, started)
            if observer is not None:
                observer.answered(method, path, status)
            request_id = response.headers.get("x-request-id")
            details = ErrorDetails(
                backend=self.backend,
                method=method,
                url=path,
                status=status,
                request_id=request_id,
                body_excerpt=excerpt(content) if status >= 400 else None,
            )
            if 300 <= status < 400:
                raise redirect_error(response.headers.get("location"), details)
            if status < 400:
                return ApiResponse(status, response.headers, content, details)

            if status == 401 and authenticate and self.auth and not relogged:
                relogged = True
                if await self.auth.refresh(auth_headers):
                    continue

            retry_after = parse_retry_after(response.headers, self._clock())
            if self._retry.should_retry_status(status, attempt, idempotent=safe):
                pause = self._retry.delay(attempt, self._jitter(), retry_after)
                if pause is not None and loop.time() + pause < deadline:
                    await self._sleep(pause)
                    attempt += 1
                    continue
            raise self._status_error(status, content, details, retry_after)

    async def json(
        self,
        method: str,
        path: str,
        **kwargs: Any,
    ) -> Any:
        return (await self.request(method, path, **kwargs)).json()

    def _status_error(
        self, status: int, content: bytes, details: ErrorDetails, retry_after: float | None
    ) -> AppError:
        try:
            body: Any = jsonlib.loads(content) if content else None
        except ValueError:
            body = None
        return error_for_status(status, body, details, self._parser, retry_after)

    def _log(
        self,
        method: str,
        path: str,
        status: int | None,
        attempt: int,
        started: float,
        failure: str | None = None,
    ) -> None:
        # Query values are redacted: they carry search text and emails (personal data);
        # bodies and Authorization are never logged.
        if log.isEnabledFor(logging.DEBUG):
            ms = (time.perf_counter() - started) * 1000
            outcome = failure or str(status)
            log.debug(
                "%s %s %s -> %s attempt=%d %.0fms",
                self.backend,
                method,
                path,
                outcome,
                attempt + 1,
                ms,
            )
