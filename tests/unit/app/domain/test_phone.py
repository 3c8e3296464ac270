"""Phone numbers grouped for reading, and national forms read in the store's country."""

from __future__ import annotations

import pytest

from app.domain.phone import format_phone, international_digits, is_known_region


@pytest.mark.parametrize(
    ("stored", "region", "shown"),
    [
        ("+496905108941", None, "+49 69 05108941"),
        ("+496905108941", "DE", "+49 69 05108941"),  # written internationally: stays so
        ("0690 5108941", "DE", "069 05108941"),  # national, of the store's country
        ("0690 5108941", None, "0690 5108941"),  # national, country unknown: as stored
        ("0049 30 5550202", "de", "+49 30 5550202"),
        ("+44 20 7946 0958", "DE", "+44 20 7946 0958"),
        ("+1 (212) 555-0100", None, "+1 212-555-0100"),
        ("call me", "DE", "call me"),  # no number: shown as the store has it
        ("12", "DE", "12"),
        (None, "DE", ""),
    ],
)
def test_numbers_are_grouped_for_reading(
    stored: str | None, region: str | None, shown: str
) -> None:
    assert format_phone(stored, region) == shown


def test_national_forms_have_international_digits() -> None:
    assert international_digits("0690 5108941", "DE") == "496905108941"
    assert international_digits("030 555-0202", "de") == "49305550202"
    assert international_digits("06 6982 1234", "IT") == "390669821234"  # Italy keeps its 0
    assert international_digits("0690 5108941", None) is None  # no country to read it in
    assert international_digits("+49 690 5108941", "DE") is None  # already international
    assert international_digits("5108941", "DE") is None  # no trunk prefix: local digits


def test_known_regions() -> None:
    assert is_known_region("de")
    assert is_known_region("GB")
    assert not is_known_region("ZZ")
