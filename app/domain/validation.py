"""Checks staff input before it goes anywhere, so forms can flag fields as you type."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from app.domain.controls import has_control
from app.domain.countries import is_country_code
from app.domain.customer import ADDRESS_TEXT_FIELDS, AddressDraft, CustomerDraft
from app.domain.errors import FieldError, ValidationFailedError
from app.domain.note import is_reserved_metadata_key
from app.domain.patch import UNSET, AddressPatch, CustomerPatch

# Deliberately loose (one @, a dot in the domain, no spaces): the backend has the last word.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()./-]{3,32}$")
COUNTRY = re.compile(r"^[A-Za-z]{2}$")


CUSTOMER_TEXT = ("email", "first_name", "last_name", "phone", "company")


def text_problem(value: str | None) -> str | None:
    """Control characters (escape, line breaks, bidi overrides) have no place in a name
    or an address line, and would reach every terminal and list that shows it."""
    if has_control(value):
        return "Remove the control characters (such as escape, tab or line breaks)."
    return None


def _text_errors(source: Any, names: tuple[str, ...]) -> list[FieldError]:
    errors = []
    for name in names:
        value = getattr(source, name, None)
        if isinstance(value, str) and (problem := text_problem(value)):
            errors.append(FieldError(name, problem))
    return errors


def email_problem(value: str | None) -> str | None:
    if problem := text_problem(value):
        return problem
    if value and not EMAIL.match(value):
        return "This is not a valid email address."
    return None


def phone_problem(value: str | None) -> str | None:
    if problem := text_problem(value):
        return problem
    if value and not PHONE.match(value):
        return "Use digits, spaces and + ( ) - . / only."
    return None


def raise_field_errors(errors: Sequence[FieldError]) -> None:
    if errors:
        raise ValidationFailedError(
            "; ".join(f"{e.field}: {e.message}" for e in errors), field_errors=tuple(errors)
        )


def _customer_fields(source: CustomerDraft | CustomerPatch) -> list[FieldError]:
    errors = [e for e in _text_errors(source, CUSTOMER_TEXT) if e.field not in ("email", "phone")]
    email, phone = source.email or None, source.phone or None
    if problem := email_problem(email):
        errors.append(FieldError("email", problem))
    if problem := phone_problem(phone):
        errors.append(FieldError("phone", problem))
    return errors


def _reserved_metadata(keys: Iterable[str]) -> list[FieldError]:
    """Keys the desk keeps for itself (staff notes): not edited as plain metadata."""
    return [
        FieldError(f"metadata.{key}", "This key holds staff notes; use the Notes tab.")
        for key in sorted(keys)
        if is_reserved_metadata_key(key)
    ]


def check_customer_draft(draft: CustomerDraft) -> None:
    errors = _customer_fields(draft) + _reserved_metadata(draft.metadata)
    if not (draft.email or draft.first_name or draft.last_name or draft.company):
        errors.append(FieldError("email", "Give at least an email, a name or a company."))
    raise_field_errors(errors)


def check_customer_patch(patch: CustomerPatch) -> None:
    meta = patch.metadata
    raise_field_errors(_customer_fields(patch) + _reserved_metadata([*meta.set, *meta.remove]))


def country_problem(country_code: str | None) -> str | None:
    if country_code and not COUNTRY.match(country_code):
        return "Choose a country (two-letter code)."
    if country_code and not is_country_code(country_code):
        return f"{country_code!r} is no ISO 3166 country code (like DE, GB, US)."
    return None


def check_address_country(country_code: str | None) -> None:
    if problem := country_problem(country_code):
        raise_field_errors([FieldError("country_code", problem)])


def check_address_patch(patch: AddressPatch) -> None:
    errors = _text_errors(patch, ADDRESS_TEXT_FIELDS)
    if patch.country_code is not UNSET and not errors:
        check_address_country(patch.country_code)
    raise_field_errors(errors)


def check_address_draft(draft: AddressDraft) -> None:
    errors = [e for e in _text_errors(draft, ADDRESS_TEXT_FIELDS) if e.field != "phone"]
    if problem := phone_problem(draft.phone):
        errors.append(FieldError("phone", problem))
    if problem := country_problem(draft.country_code):
        errors.append(FieldError("country_code", problem))
    raise_field_errors(errors)
