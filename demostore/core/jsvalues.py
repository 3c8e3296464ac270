"""JavaScript/PostgreSQL value semantics that leak into Medusa's JSON.

- Request bodies go through ``JSON.parse``: every number is a double.
- ``metadata`` columns are ``jsonb``: object keys come back ordered by
  (byte length, bytes) and duplicate keys collapse.
- Validation messages print values with JavaScript's ``String(value)``.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

JsonValue = Any
"""A decoded JSON value (dict, list, str, int, float, bool or None)."""


def js_number(value: int | float) -> int | float:
    """The number JavaScript would print after parsing ``value`` as a double."""
    as_float = float(value)
    if math.isfinite(as_float) and as_float == math.floor(as_float) and abs(as_float) < 1e21:
        if isinstance(value, int) and abs(value) <= 2**53:
            return value
        # Shortest round-trip repr, the way V8 prints large doubles.
        return int(Decimal(repr(as_float)))
    return as_float


def jsonb(value: JsonValue) -> JsonValue:
    """Normalise a JSON value the way a PostgreSQL ``jsonb`` round trip does."""
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda kv: (len(kv[0].encode()), kv[0].encode()))
        return {key: jsonb(item) for key, item in items}
    if isinstance(value, list):
        return [jsonb(item) for item in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return js_number(value)
    return value


def js_string(value: JsonValue) -> str:
    """JavaScript ``String(value)``, as used in Medusa's validation messages."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        number = js_number(value)
        if isinstance(number, float):
            text = repr(number)
            return text[:-2] if text.endswith(".0") else text
        return str(number)
    if isinstance(value, list):
        return ",".join("" if item is None else js_string(item) for item in value)
    return "[object Object]"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"Unexpected token '{name[0]}'")


def parse_json_body(raw: bytes) -> JsonValue:
    """Parse a request body like Express's JSON parser; ValueError carries a V8-like message."""
    text = raw.decode("utf-8", errors="replace")
    if not text.strip():
        return {}
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            raise ValueError(
                f"Unexpected non-whitespace character after JSON at position {exc.pos}"
            ) from exc
        if exc.pos >= len(text.rstrip()):
            raise ValueError("Unexpected end of JSON input") from exc
        token = text[exc.pos]
        snippet = text if len(text) <= 30 else text[:30] + "..."
        raise ValueError(f"Unexpected token '{token}', \"{snippet}\" is not valid JSON") from exc


def dumps_compact(value: JsonValue) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
