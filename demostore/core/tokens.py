"""HS256 JSON Web Tokens, shaped like the ones Medusa issues (stdlib only)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

_HEADER = {"alg": "HS256", "typ": "JWT"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(payload: dict[str, Any], secret: bytes) -> str:
    header = _b64(json.dumps(_HEADER, separators=(",", ":")).encode())
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    signing_input = f"{header}.{body}".encode("ascii")
    signature = _b64(hmac.new(secret, signing_input, hashlib.sha256).digest())
    return f"{header}.{body}.{signature}"


def decode(token: str, secret: bytes, now: float) -> dict[str, Any] | None:
    """Payload of a correctly signed, unexpired token, else None."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    header, body, signature = parts
    expected = _b64(hmac.new(secret, f"{header}.{body}".encode("ascii"), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, signature):
        return None
    try:
        payload = json.loads(_unb64(body))
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    exp = payload.get("exp")
    if isinstance(exp, int | float) and now >= exp:
        return None
    return payload
