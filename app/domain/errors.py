"""The one error tree. Every error a user can meet is an `AppError`.

Each carries a short `user_message` (no HTTP jargon), `details` for "Details…" and the
logs, and `retryable` (whether trying again can help). The gateway maps transport and
status failures onto this tree in one place (`app.gateway.errors`); the UI presents them
in one place. Cancellation is never an `AppError`.
"""

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class ErrorDetails:
    backend: str | None = None
    method: str | None = None
    url: str | None = None
    status: int | None = None
    request_id: str | None = None
    body_excerpt: str | None = None

    def lines(self) -> list[str]:
        out = []
        for name in ("backend", "method", "url", "status", "request_id", "body_excerpt"):
            value = getattr(self, name)
            if value is not None:
                out.append(f"{name}: {value}")
        return out


class AppError(Exception):
    """Root of every error the app expects. Anything else is a bug."""

    default_message = "Something went wrong."
    retryable = False

    def __init__(
        self,
        user_message: str | None = None,
        *,
        details: ErrorDetails | None = None,
        retryable: bool | None = None,
    ) -> None:
        self.user_message = user_message or self.default_message
        self.details = details or ErrorDetails()
        if retryable is not None:
            self.retryable = retryable
        super().__init__(self.user_message)

    def __str__(self) -> str:
        extra = "; ".join(self.details.lines())
        return f"{self.user_message} ({extra})" if extra else self.user_message


# --- the network and the backend's answers -------------------------------------------


class ConnectionFailedError(AppError):
    default_message = "The store's server could not be reached."
    retryable = True


class BackendTimeoutError(ConnectionFailedError):
    default_message = "The store's server did not answer in time."


class OutcomeUnknownError(ConnectionFailedError):
    """A write was sent but its answer was lost: the store may or may not have applied it.

    Never "could not be reached": retrying blindly could create a second address or send
    a second email. Whoever retries checks the store for the write's effect first.
    """

    default_message = (
        "The connection broke after the change was sent: the store may have made it. "
        "Check the store before trying again."
    )
    retryable = False


class HttpStatusError(AppError):
    """The backend answered with an error status."""

    @property
    def status(self) -> int | None:
        return self.details.status


class AuthenticationError(HttpStatusError):
    default_message = "The store rejected the sign-in. Check the store's credentials."


class PermissionDeniedError(HttpStatusError):
    default_message = "This account is not allowed to do that in the store."


class NotFoundError(HttpStatusError):
    default_message = "It no longer exists in the store."


class ConflictError(HttpStatusError):
    default_message = "Someone else changed this at the same time."


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


class ValidationFailedError(HttpStatusError):
    """Bad input. `field_errors` point at the form fields concerned, where known."""

    default_message = "The store did not accept the data."

    def __init__(
        self,
        user_message: str | None = None,
        *,
        field_errors: tuple[FieldError, ...] = (),
        details: ErrorDetails | None = None,
    ) -> None:
        super().__init__(user_message, details=details, retryable=False)
        self.field_errors = field_errors

    def for_field(self, name: str) -> str | None:
        return next((e.message for e in self.field_errors if e.field == name), None)


class RateLimitedError(HttpStatusError):
    default_message = "The store is busy. Try again in a moment."
    retryable = True

    def __init__(
        self,
        user_message: str | None = None,
        *,
        retry_after: timedelta | None = None,
        details: ErrorDetails | None = None,
    ) -> None:
        super().__init__(user_message, details=details)
        self.retry_after = retry_after


class ServerError(HttpStatusError):
    default_message = "The store's server had a problem. Try again later."
    retryable = True


class BadResponseError(AppError):
    default_message = "The store answered with data Merchant Desk does not understand."


class EndlessPagesError(BadResponseError):
    """A listing that does not advance: a page token, or a row, seen again, or more rows
    than the store said there are (a proxy dropping the cursor, a buggy backend)."""

    default_message = (
        "The store keeps sending pages it already sent, so reading stopped. "
        "A proxy or the store's server is not honouring the page cursor."
    )


# --- the app's own conditions --------------------------------------------------------


class UnsupportedOperationError(AppError):
    """A backend lacks a capability. The UI gates on capabilities, so seeing this is a bug."""

    default_message = "This store does not support that."


class NotEligibleError(AppError):
    """The action exists but not for this record (e.g. a reset for a guest customer)."""


class ConfigurationError(AppError):
    """Missing or broken local configuration: unknown store, no secret, no keyring."""


class SecretStoreUnavailableError(ConfigurationError):
    default_message = (
        "No system keyring is available to keep store credentials. "
        "Set MERCHANT_DESK_SECRET for this run instead."
    )


class CacheUnavailableError(AppError):
    """The offline mirror's database cannot be used (disk full, locked, too new)."""

    default_message = "The local copy of the store cannot be opened."


class CacheBugError(AppError):
    """The mirror's database is damaged or was misused: a bug or a corrupt file."""

    default_message = "The local copy of the store is damaged."


class OrdersNotMirroredError(AppError):
    """A sort or filter by order figures, which only the mirror's copy of every order can
    answer, asked while that copy does not exist (not synced yet, or the store cannot
    list its orders). Never answered by the backend with the order part dropped."""

    default_message = (
        "Sorting or filtering customers by their orders needs the local copy of every "
        "order, which is not available."
    )


class OfflineError(ConnectionFailedError):
    """An action that needs the store's server was asked for while it is unreachable."""

    default_message = "This needs a connection to the store's server, which is unreachable."
    retryable = True
