"""Amounts as Medusa prints them: JSON numbers in major units plus ``raw_*`` BigNumber objects."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from demostore.core.jsvalues import js_number

ZERO = Decimal(0)


def decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def number(value: Decimal) -> int | float:
    """A JSON number the way JavaScript prints the BigNumber's numeric value."""
    return js_number(float(value)) if value != value.to_integral_value() else int(value)


def raw(value: Decimal) -> dict[str, Any]:
    return {"value": decimal_text(value), "precision": 20}
