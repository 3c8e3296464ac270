"""The one place where HTTP statuses and httpx failures become domain errors.

Backends contribute only an `ErrorBodyParser` that reads their error body shape (Medusa
`{type, message}`, Elastic Path `{errors: [...]}`); the status decides the error class.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx

from app.domain.errors import (
    AppError,
    AuthenticationError,
    BackendTimeoutError,
    ConflictError,
    ConnectionFailedError,
    ErrorDetails,
    FieldError,
    HttpStatusError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    ValidationFailedError,
)

EXCERPT_CHARS = 300


@dataclass(frozen=True, slots=True)
class ParsedErrorBody:
    message: str | None = None  # the backend's message, fit to show to staff
    field_errors: tuple[FieldError, ...] = ()


ErrorBodyParser = Callable[[int, Any], ParsedErrorBody]


def generic_error_body(status: int, body: Any) -> ParsedErrorBody:
    """Fallback: a top-level `message` string, if any."""
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return ParsedErrorBody(message=body["message"])
    return ParsedErrorBody()


def excerpt(content: bytes) -> str | None:
    if not content:
        return None
    text = content[: EXCERPT_CHARS * 4].decode("utf-8", errors="replace")
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"


def error_for_status(
    status: int,
    body: Any,
    details: ErrorDetails,
    parser: ErrorBodyParser,
    retry_after: float | None = None,
) -> HttpStatusError:
    parsed = parser(status, body)
    message = parsed.message
    if status in (400, 422):
        return ValidationFailedError(message, field_errors=parsed.field_errors, details=details)
    if status == 401:
        return AuthenticationError(details=details)
    if status == 403:
        return PermissionDeniedError(details=details)
    if status == 404:
        return NotFoundError(message, details=details)
    if status == 409:
        return ConflictError(details=details)
    if status == 429:
        wait = timedelta(seconds=retry_after) if retry_after is not None else None
        text = (
            f"The store is busy. Try again in {round(retry_after)} s."
            if retry_after is not None
            else None
        )
        return RateLimitedError(text, retry_after=wait, details=details)
    if status >= 500:
        return ServerError(details=details)
    return HttpStatusError(message or f"The store refused the request ({status}).", details=details)


def error_for_transport(exc: httpx.HTTPError, details: ErrorDetails) -> AppError:
    if isinstance(exc, httpx.TimeoutException):
        return BackendTimeoutError(details=details)
    cause = _ssl_cause(exc)
    if cause is not None:
        # Not retryable: a certificate does not fix itself in a second.
        return ConnectionFailedError(
            f"The store's server could not be trusted: {cause}. Check the store's URL, "
            "and this computer's date and certificates.",
            details=details,
            retryable=False,
        )
    return ConnectionFailedError(details=details)


def _ssl_cause(exc: BaseException) -> str | None:
    """The TLS failure behind `exc` in words (certificate, host name), if that is the cause."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            reason = seen.verify_message or "certificate verification failed"
            return f"its certificate is not valid ({reason})"
        if isinstance(seen, ssl.SSLError):
            return f"the secure connection failed ({seen.reason or 'TLS error'})"
        seen = seen.__cause__ or seen.__context__
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return "its certificate is not valid"
    return None


def redirect_error(location: str | None, details: ErrorDetails) -> HttpStatusError:
    """A 3xx: redirects are not followed (the credentials would go along), so name it."""
    where = f" to {location.split('?')[0]}" if location else ""
    return HttpStatusError(
        f"The store's address redirects{where}: put the final address in the store's "
        "settings (Merchant Desk does not follow redirects with credentials).",
        details=details,
    )


def request_was_sent(exc: httpx.HTTPError) -> bool:
    """False when the failure happened before any byte reached the server."""
    return not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
