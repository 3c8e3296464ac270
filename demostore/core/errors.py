"""Medusa's error model: an error kind plus message, mapped to HTTP like Medusa's error handler."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorKind(StrEnum):
    INVALID_DATA = "invalid_data"
    NOT_FOUND = "not_found"
    NOT_ALLOWED = "not_allowed"
    UNAUTHORIZED = "unauthorized"
    DUPLICATE_ERROR = "duplicate_error"
    INVALID_ARGUMENT = "invalid_argument"
    UNKNOWN = "unknown_error"


_STATUS = {
    ErrorKind.INVALID_DATA: 400,
    ErrorKind.NOT_ALLOWED: 400,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.UNAUTHORIZED: 401,
    ErrorKind.DUPLICATE_ERROR: 422,
    ErrorKind.INVALID_ARGUMENT: 500,
    ErrorKind.UNKNOWN: 500,
}


class MedusaError(Exception):
    """An error answered with Medusa's status code and ``{type, message}`` body."""

    def __init__(self, kind: ErrorKind, message: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

    @property
    def status_code(self) -> int:
        return _STATUS[self.kind]

    def body(self) -> dict[str, Any]:
        if self.kind is ErrorKind.UNKNOWN:
            return {
                "code": "unknown_error",
                "type": "unknown_error",
                "message": "An unknown error occurred.",
            }
        if self.kind is ErrorKind.DUPLICATE_ERROR:
            return {
                "code": "invalid_request_error",
                "type": self.kind.value,
                "message": self.message,
            }
        return {"type": self.kind.value, "message": self.message}


class BodyParseError(MedusaError):
    """Malformed JSON: Express's body parser words it, with ``message`` before ``type``."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorKind.INVALID_DATA, message)

    def body(self) -> dict[str, Any]:
        return {"message": self.message, "type": self.kind.value}


class UnauthorizedError(Exception):
    """The auth middleware's bare 401 ``{"message": "Unauthorized"}`` (no ``type``)."""


def invalid_data(message: str) -> MedusaError:
    return MedusaError(ErrorKind.INVALID_DATA, message)


def not_found(message: str) -> MedusaError:
    return MedusaError(ErrorKind.NOT_FOUND, message)


def not_allowed(message: str) -> MedusaError:
    return MedusaError(ErrorKind.NOT_ALLOWED, message)


def unknown_error() -> MedusaError:
    return MedusaError(ErrorKind.UNKNOWN)
