"""Phone numbers as staff read and type them (libphonenumber's rules, via `phonenumbers`).

A store keeps whatever text it has ("+496905108941", "0690 5108941"); the desk shows it
grouped for reading back over the phone, and reads a national number typed with its
trunk zero in the store's default country (`region`: an ISO 3166 alpha-2 code).
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat


def is_known_region(code: str) -> bool:
    """Whether `code` is a country libphonenumber knows the numbers of ("DE", "GB")."""
    return code.upper() in phonenumbers.SUPPORTED_REGIONS


def _parse(text: str, region: str | None) -> PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region.upper() if region else None)
    except NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def format_phone(value: str | None, region: str | None = None) -> str:
    """`value` grouped for reading: "+496905108941" → "+49 69 05108941"; a national
    number of the default `region` stays national ("030 5550202"). Text that is no
    possible phone number comes back as it is: display only, the store keeps its text."""
    if not value:
        return ""
    number = _parse(value, region)
    if number is None:
        return value
    style = PhoneNumberFormat.INTERNATIONAL
    typed_nationally = not value.lstrip().startswith(("+", "00"))
    if (
        typed_nationally
        and region
        and phonenumbers.region_code_for_number(number) == region.upper()
    ):
        style = PhoneNumberFormat.NATIONAL
    return phonenumbers.format_number(number, style)


def international_digits(text: str, region: str | None) -> str | None:
    """The digits of `text` in international form ("0690 5108941" in DE →
    "496905108941"), when it is a national number of `region`; None otherwise (no
    region, already international, or not a possible number there)."""
    stripped = text.strip()
    if region is None or stripped.startswith(("+", "00")) or not stripped.startswith("0"):
        return None
    number = _parse(stripped, region)
    if number is None:
        return None
    return f"{number.country_code}{phonenumbers.national_significant_number(number)}"
