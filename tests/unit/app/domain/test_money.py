"""ISO 4217 minor units: most currencies have two decimals, some none or three."""

from __future__ import annotations

from app.domain.money import minor_unit_exponent


def test_minor_unit_exponents() -> None:
    assert minor_unit_exponent("EUR") == 2
    assert minor_unit_exponent("jpy") == 0
    assert minor_unit_exponent("KWD") == 3
    assert minor_unit_exponent("XXZ") == 2  # unknown: the usual two
