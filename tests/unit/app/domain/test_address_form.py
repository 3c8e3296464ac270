"""Per-store address forms: fields a store lacks, required fields, its own labels."""

from __future__ import annotations

import pytest

from app.domain.address_form import DEFAULT_ADDRESS_FORM, AddressField, AddressForm
from app.domain.customer import AddressDraft
from app.domain.patch import AddressPatch

FORM = AddressForm(
    (
        AddressField("address_1", "Line 1", required=True),
        AddressField("county", "County", required=True),
        AddressField("country_code", "Country"),
    )
)


def test_the_default_form_is_the_desks_old_one_without_county() -> None:
    assert "county" not in DEFAULT_ADDRESS_FORM.names
    assert not any(f.required for f in DEFAULT_ADDRESS_FORM.fields)
    assert DEFAULT_ADDRESS_FORM.draft_problems(AddressDraft(city="Köln")) == []


def test_a_draft_is_checked_against_the_stores_form() -> None:
    problems = FORM.draft_problems(AddressDraft(address_1="  ", city="Köln"))
    assert [(p.field, p.message) for p in problems] == [
        ("city", "This store's addresses have no city."),
        ("address_1", "Line 1 is required by this store."),
        ("county", "County is required by this store."),
    ]
    assert FORM.draft_problems(AddressDraft(address_1="Ring 1", county="Kent")) == []


def test_a_patch_may_leave_required_fields_alone_but_not_clear_them() -> None:
    assert FORM.patch_problems(AddressPatch(country_code="gb")) == []
    assert [p.field for p in FORM.patch_problems(AddressPatch(county=None))] == ["county"]
    assert [p.field for p in FORM.patch_problems(AddressPatch(province="WA"))] == ["province"]


def test_labels_fall_back_to_the_desks_words() -> None:
    assert FORM.label("county") == "County"
    assert FORM.label("province") == "Province / state"
    with pytest.raises(ValueError, match="floor"):
        AddressForm((AddressField("floor", "Floor"),))
