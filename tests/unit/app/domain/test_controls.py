"""Control characters made visible, and refused in what staff type."""

from __future__ import annotations

import pytest

from app.domain.controls import has_control, visible
from app.domain.customer import AddressDraft
from app.domain.errors import ValidationFailedError
from app.domain.patch import AddressPatch, CustomerPatch
from app.domain.validation import check_address_draft, check_address_patch, check_customer_patch


def test_visible_replaces_every_kind_of_control_character() -> None:
    assert visible("a\x1b[2Jb\x07\t\n\x7f\x9b\u202e") == "a␛[2Jb␇␉␊␡<U+009B><U+202E>"
    assert visible("Zoë Ünal 山田 +49 (30)") == "Zoë Ünal 山田 +49 (30)"
    assert not has_control("Zoë")
    assert not has_control(None)
    assert has_control("\x9b")


@pytest.mark.parametrize(
    "check",
    [
        lambda: check_customer_patch(CustomerPatch(first_name="\x1b]0;x\x07")),
        lambda: check_customer_patch(CustomerPatch(company="A\nB")),
        lambda: check_address_patch(AddressPatch(address_1="Main St\u202e")),
        lambda: check_address_draft(AddressDraft(city="Köln\x1b[31m")),
    ],
)
def test_control_characters_are_refused_in_names_and_addresses(check: object) -> None:
    with pytest.raises(ValidationFailedError, match="control characters"):
        check()  # type: ignore[operator]


def test_clean_values_pass() -> None:
    check_customer_patch(CustomerPatch(first_name="Zoë", company=None))
    check_address_patch(AddressPatch(city="Köln", country_code="de"))


# Every text field of an address, read off the model so a field added later is covered too.
ADDRESS_TEXT_FIELDS = [
    name for name, info in AddressDraft.model_fields.items() if info.annotation == str | None
]


@pytest.mark.parametrize("field", ADDRESS_TEXT_FIELDS)
def test_every_address_field_refuses_control_characters(field: str) -> None:
    value = {field: "Kent\x1b[2J"}
    with pytest.raises(ValidationFailedError, match="control characters") as drafted:
        check_address_draft(AddressDraft.model_validate(value))
    with pytest.raises(ValidationFailedError, match="control characters") as patched:
        check_address_patch(AddressPatch.model_validate(value))
    assert field in [e.field for e in drafted.value.field_errors]
    assert field in [e.field for e in patched.value.field_errors]
