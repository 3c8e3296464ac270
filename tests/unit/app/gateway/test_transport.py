"""The real ApiTransport over httpx.MockTransport: retries, errors, re-login, cancellation."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import httpx
import pytest

from app.domain.errors import (
    AuthenticationError,
    BackendTimeoutError,
    BadResponseError,
    ConnectionFailedError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    ValidationFailedError,
)
from app.gateway import ApiTransport, GatewayOptions, LoginAuth, RetryPolicy, StaticHeaderAuth

Handler = Callable[[httpx.Request], httpx.Response]


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def make(handler: Handler, sleeps: Sleeps | None = None, **kw: object) -> ApiTransport:
    options = GatewayOptions(
        transport=httpx.MockTransport(handler),
        sleep=sleeps or Sleeps(),
        jitter=lambda: 0.0,
        clock=lambda: 1_000_000.0,
        retry=RetryPolicy(max_retries=2),
    )
    return ApiTransport("http://shop.test", backend="test", options=options, **kw)  # type: ignore[arg-type]


def sequence(*responses: httpx.Response | Exception) -> tuple[Handler, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    return handler, seen


@pytest.mark.asyncio
async def test_retries_503_then_succeeds_with_backoff() -> None:
    handler, seen = sequence(
        httpx.Response(503), httpx.Response(502), httpx.Response(200, json={"ok": 1})
    )
    sleeps = Sleeps()
    transport = make(handler, sleeps)
    assert (await transport.json("GET", "/x")) == {"ok": 1}
    assert len(seen) == 3
    assert sleeps.calls == [0.5, 1.0]


@pytest.mark.asyncio
async def test_gives_up_after_max_retries() -> None:
    handler, seen = sequence(*(httpx.Response(503) for _ in range(3)))
    with pytest.raises(ServerError) as info:
        await make(handler).request("GET", "/x")
    assert len(seen) == 3
    assert info.value.retryable
    assert info.value.details.status == 503


@pytest.mark.asyncio
async def test_honours_retry_after() -> None:
    handler, _ = sequence(httpx.Response(429, headers={"Retry-After": "4"}), httpx.Response(200))
    sleeps = Sleeps()
    await make(handler, sleeps).request("GET", "/x")
    assert sleeps.calls == [4.0]


@pytest.mark.asyncio
async def test_retry_after_too_long_raises_rate_limited_with_wait() -> None:
    handler, seen = sequence(httpx.Response(429, headers={"Retry-After": "3600"}))
    with pytest.raises(RateLimitedError) as info:
        await make(handler).request("GET", "/x")
    assert len(seen) == 1
    assert info.value.retry_after is not None
    assert info.value.retry_after.total_seconds() == 3600


@pytest.mark.asyncio
async def test_post_is_not_retried_unless_idempotent() -> None:
    handler, seen = sequence(httpx.Response(503))
    with pytest.raises(ServerError):
        await make(handler).request("POST", "/x", json={})
    assert len(seen) == 1
    handler, seen = sequence(httpx.Response(503), httpx.Response(200))
    await make(handler).request("POST", "/x", json={}, idempotent=True)
    assert len(seen) == 2


@pytest.mark.asyncio
async def test_connect_error_is_retried_even_for_post() -> None:
    handler, seen = sequence(httpx.ConnectError("refused"), httpx.Response(200))
    await make(handler).request("POST", "/x", json={})
    assert len(seen) == 2


@pytest.mark.asyncio
async def test_read_error_on_post_is_not_retried() -> None:
    handler, seen = sequence(httpx.ReadError("reset"))
    with pytest.raises(ConnectionFailedError):
        await make(handler).request("POST", "/x", json={})
    assert len(seen) == 1


@pytest.mark.asyncio
async def test_timeout_maps_to_backend_timeout() -> None:
    handler, seen = sequence(*(httpx.ReadTimeout("slow") for _ in range(3)))
    with pytest.raises(BackendTimeoutError) as info:
        await make(handler).request("GET", "/x")
    assert len(seen) == 3
    assert isinstance(info.value, ConnectionFailedError)


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, ValidationFailedError),
        (422, ValidationFailedError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (500, ServerError),
    ],
)
@pytest.mark.asyncio
async def test_status_mapping(status: int, error: type[Exception]) -> None:
    body = {"message": "nope"}
    handler, _ = sequence(httpx.Response(status, json=body, headers={"x-request-id": "req-1"}))
    with pytest.raises(error) as info:
        await make(handler).request("GET", "/thing")
    details = info.value.details  # type: ignore[attr-defined]
    assert details.status == status
    assert details.request_id == "req-1"
    assert details.backend == "test"
    assert "nope" in (details.body_excerpt or "")


@pytest.mark.asyncio
async def test_malformed_json_is_a_bad_response() -> None:
    handler, _ = sequence(httpx.Response(200, content=b"<html>oops"))
    response = await make(handler).request("GET", "/x")
    with pytest.raises(BadResponseError) as info:
        response.json()
    assert "<html>oops" in (info.value.details.body_excerpt or "")


@pytest.mark.asyncio
async def test_relogin_once_on_401() -> None:
    tokens = iter(["t1", "t2", "t3"])
    logins: list[str] = []

    async def login() -> str:
        token = next(tokens)
        logins.append(token)
        return token

    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"])
        ok = seen.count("Bearer t2") == 1 and request.headers["authorization"] == "Bearer t2"
        return httpx.Response(200 if ok else 401, json={"message": "Unauthorized"})

    transport = make(handler, auth=LoginAuth(login))
    await transport.request("GET", "/x")
    assert seen == ["Bearer t1", "Bearer t2"]
    assert logins == ["t1", "t2"]
    # A second 401 after the re-login is final: no loop of logins.
    with pytest.raises(AuthenticationError):
        await transport.request("GET", "/x")
    assert logins == ["t1", "t2", "t3"]
    assert seen[2:] == ["Bearer t2", "Bearer t3"]


@pytest.mark.asyncio
async def test_concurrent_requests_share_one_login() -> None:
    logins = 0

    async def login() -> str:
        nonlocal logins
        logins += 1
        await asyncio.sleep(0)
        return "tok"

    transport = make(lambda r: httpx.Response(200, json={}), auth=LoginAuth(login))
    await asyncio.gather(*(transport.request("GET", "/x") for _ in range(5)))
    assert logins == 1


@pytest.mark.asyncio
async def test_cancellation_propagates_and_is_not_retried() -> None:
    calls = 0

    async def slow_sleep(seconds: float) -> None:
        await asyncio.sleep(10)

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(503)

    options = GatewayOptions(transport=httpx.MockTransport(handler), sleep=slow_sleep)
    transport = ApiTransport("http://shop.test", backend="test", options=options)
    task = asyncio.create_task(transport.request("GET", "/x"))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert calls == 1


@pytest.mark.asyncio
async def test_log_line_redacts_auth_query_and_body(caplog: pytest.LogCaptureFixture) -> None:
    transport = make(
        lambda r: httpx.Response(200, json={"secret": "body"}),
        auth=StaticHeaderAuth({"Authorization": "Basic c2tfc2VjcmV0Og=="}),
    )
    with caplog.at_level(logging.DEBUG, logger="merchant_desk.gateway"):
        await transport.request("GET", "/admin/customers", params={"q": "anna@example.com"})
    text = caplog.text
    assert "GET /admin/customers?q=… -> 200" in text
    for leaked in ("c2tf", "anna@example.com", "secret", "body"):
        assert leaked not in text


@pytest.mark.asyncio
async def test_query_params_encode_plus_and_repeats() -> None:
    handler, seen = sequence(httpx.Response(200, json={}))
    await make(handler).request(
        "GET", "/x", params=[("q", "a+b"), ("groups[]", "g1"), ("groups[]", "g2")]
    )
    query = seen[0].url.query.decode()
    assert "q=a%2Bb" in query
    assert query.count("groups%5B%5D=") == 2


@pytest.mark.asyncio
async def test_form_body_is_sent_form_encoded() -> None:
    handler, seen = sequence(httpx.Response(200, json={"access_token": "t"}))
    await make(handler).request(
        "POST", "/oauth/access_token", form={"grant_type": "client_credentials", "x": "a b"}
    )
    assert seen[0].headers["content-type"] == "application/x-www-form-urlencoded"
    assert seen[0].content == b"grant_type=client_credentials&x=a+b"
