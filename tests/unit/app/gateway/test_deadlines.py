"""Total deadlines, lost answers, redirects, certificates and what -v logs (issue 13, 4/8/9/11)."""

from __future__ import annotations

import asyncio
import logging
import ssl
import time

import httpx
import pytest

from app.domain.errors import (
    BackendTimeoutError,
    ConnectionFailedError,
    HttpStatusError,
    OutcomeUnknownError,
)
from app.gateway import ApiTransport, GatewayOptions, RetryPolicy, StaticHeaderAuth, Timeouts

pytestmark = pytest.mark.asyncio


async def start(handler_body: bytes | None, interval: float) -> tuple[asyncio.Server, str]:
    """A server on 127.0.0.1 that answers headers, then `handler_body` one byte per
    `interval` s (None: never answers at all)."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            if handler_body is not None:
                head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(handler_body)}\r\n\r\n"
                writer.write(head.encode())
                for byte in handler_body:
                    await writer.drain()
                    await asyncio.sleep(interval)
                    writer.write(bytes([byte]))
            else:
                await asyncio.sleep(5)
        except (OSError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


def quick(total: float, **kw: object) -> GatewayOptions:
    return GatewayOptions(
        timeouts=Timeouts(connect=1, read=1, total=total, interactive=total),
        retry=RetryPolicy(max_retries=2, initial_delay=0.01),
        **kw,  # type: ignore[arg-type]
    )


async def test_a_trickled_body_times_out_at_the_total_deadline() -> None:
    # One byte every 0.1 s restarts the 1 s read timeout forever; the total stops it.
    server, url = await start(b'{"customers": []}' * 20, 0.1)
    transport = ApiTransport(url, backend="test", options=quick(0.6))
    started = time.monotonic()
    try:
        with pytest.raises(BackendTimeoutError) as caught:
            await transport.request("GET", "/admin/customers")
    finally:
        await transport.aclose()
        server.close()
        await server.wait_closed()
    assert time.monotonic() - started < 2.0
    assert "0.6 s" in caught.value.user_message


async def test_a_silent_server_costs_one_deadline_not_every_retry() -> None:
    server, url = await start(None, 0)
    transport = ApiTransport(url, backend="test", options=quick(0.5))
    started = time.monotonic()
    try:
        with pytest.raises(BackendTimeoutError):
            await transport.request("GET", "/admin/customers")
    finally:
        await transport.aclose()
        server.close()
        await server.wait_closed()
    assert time.monotonic() - started < 1.5


async def test_a_person_at_the_desk_waits_15_s_at_most_for_a_read() -> None:
    timeouts = Timeouts()
    assert timeouts.budget("GET") <= 15
    assert timeouts.budget("POST") <= 60
    assert timeouts.read < timeouts.budget("GET")


def mock(handler: object) -> GatewayOptions:
    async def no_sleep(_: float) -> None:
        return None

    return GatewayOptions(
        transport=httpx.MockTransport(handler),  # type: ignore[arg-type]
        retry=RetryPolicy(max_retries=2),
        sleep=no_sleep,
    )


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
async def test_a_lost_answer_to_a_write_is_outcome_unknown(method: str) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        raise httpx.RemoteProtocolError("peer closed connection", request=request)

    transport = ApiTransport(
        "http://shop.test",
        backend="test",
        auth=StaticHeaderAuth({"Authorization": "Basic x"}),
        options=mock(handler),
    )
    with pytest.raises(OutcomeUnknownError) as caught:
        await transport.request(method, "/admin/customers/cus_1/addresses", json={})
    assert "may have" in caught.value.user_message
    if method == "POST":  # not idempotent: sent exactly once, never retried blindly
        assert len(sent) == 1


async def test_a_write_that_never_left_is_a_plain_connection_failure() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    transport = ApiTransport("http://shop.test", backend="test", options=mock(handler))
    with pytest.raises(ConnectionFailedError) as caught:
        await transport.request("POST", "/admin/customers", json={})
    assert not isinstance(caught.value, OutcomeUnknownError)


async def test_a_redirect_names_where_it_goes() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": "https://shop.example/admin?x=1"})

    transport = ApiTransport("http://shop.test", backend="test", options=mock(handler))
    with pytest.raises(HttpStatusError) as caught:
        await transport.request("GET", "/admin/customers")
    assert "redirects to https://shop.example/admin" in caught.value.user_message
    assert "x=1" not in caught.value.user_message


async def test_a_bad_certificate_names_its_cause() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        cause = ssl.SSLCertVerificationError(1, "certificate verify failed")
        cause.verify_message = "self-signed certificate"
        raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED]", request=request) from cause

    transport = ApiTransport("https://shop.test", backend="test", options=mock(handler))
    with pytest.raises(ConnectionFailedError) as caught:
        await transport.request("GET", "/admin/customers")
    assert "self-signed certificate" in caught.value.user_message
    assert caught.value.retryable is False


async def test_verbose_logging_never_shows_search_text(caplog: pytest.LogCaptureFixture) -> None:
    transport = ApiTransport(
        "http://shop.test",
        backend="test",
        options=mock(lambda r: httpx.Response(200, json={})),
    )
    with caplog.at_level(logging.DEBUG):  # what `-v` turns on: every logger
        await transport.request(
            "GET", "/admin/customers", params={"q": "anna.secret", "email": "anna@example.com"}
        )
    assert "/admin/customers?q=…&email=…" in caplog.text
    assert "anna" not in caplog.text
