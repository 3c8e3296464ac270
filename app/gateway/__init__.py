"""Generic async HTTP for every backend: one client per store, retries, auth, error mapping.

httpx is imported only inside this package (import-linter), so a later swap touches one place.
"""

import sys

if "httpx" not in sys.modules:
    # httpx imports its command-line client (`httpx._main`: click, rich, pygments, ~25 ms
    # of CPU at start-up) whenever those are installed; the desk never runs it. httpx
    # expects that import to fail and then offers a stub `httpx.main` instead.
    sys.modules["httpx._main"] = None  # type: ignore[assignment]

from app.gateway.auth import Auth, LoginAuth, StaticHeaderAuth
from app.gateway.errors import ErrorBodyParser, ParsedErrorBody
from app.gateway.retry import RetryPolicy
from app.gateway.transport import ApiResponse, ApiTransport, GatewayOptions, Timeouts

__all__ = [
    "ApiResponse",
    "ApiTransport",
    "Auth",
    "ErrorBodyParser",
    "GatewayOptions",
    "LoginAuth",
    "ParsedErrorBody",
    "RetryPolicy",
    "StaticHeaderAuth",
    "Timeouts",
]
