"""Generic async HTTP for every backend: one client per store, retries, auth, error mapping.

httpx is imported only inside this package (import-linter), so a later swap touches one place.
"""

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
