"""Checks staff input before it goes anywhere, so forms can flag fields as you type."""

from __future__ import annotations

import re

from app.domain.customer import AddressDraft, CustomerDraft
from app.domain.errors import FieldError, ValidationFailedError
from app.domain.patch import UNSET, CustomerPatch

# Deliberately loose (one @, a dot in the domain, no spaces): the backend has the last word.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()./-]{3,32}$")
COUNTRY = re.compile(r"^[A-Za-z]{2}$")


def email_problem(value: str | None) -> str | None:
    if value and not EMAIL.match(value):
        return "This is not a valid email address."
    return None


def phone_problem(value: str | None) -> str | None:
    if value and not PHONE.match(value):
        return "Use digits, spaces and + ( ) - . / only."
    return None


def raise_field_errors(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailedError(
            "; ".join(f"{e.field}: {e.message}" for e in errors), field_errors=tuple(errors)
        )


def _customer_fields(email: str | None, phone: str | None) -> list[FieldError]:
    errors = []
    if problem := email_problem(email):
        errors.append(FieldError("email", problem))
    if problem := phone_problem(phone):
        errors.append(FieldError("phone", problem))
    return errors


def check_customer_draft(draft: CustomerDraft) -> None:
    errors = _customer_fields(draft.email, draft.phone)
    if not (draft.email or draft.first_name or draft.last_name or draft.company):
        errors.append(FieldError("email", "Give at least an email, a name or a company."))
    raise_field_errors(errors)


def check_customer_patch(patch: CustomerPatch) -> None:
    email = patch.email if patch.email is not UNSET else None
    phone = patch.phone if patch.phone is not UNSET else None
    raise_field_errors(_customer_fields(email, phone))


def check_address_country(country_code: str | None) -> None:
    if country_code and not COUNTRY.match(country_code):
        raise_field_errors([FieldError("country_code", "Choose a country (two-letter code).")])


def check_address_draft(draft: AddressDraft) -> None:
    errors = []
    if problem := phone_problem(draft.phone):
        errors.append(FieldError("phone", problem))
    if draft.country_code and not COUNTRY.match(draft.country_code):
        errors.append(FieldError("country_code", "Choose a country (two-letter code)."))
    raise_field_errors(errors)
