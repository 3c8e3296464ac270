from __future__ import annotations

import pytest

from app.domain import validation
from app.domain.customer import AddressDraft, CustomerDraft
from app.domain.errors import ValidationFailedError
from app.domain.patch import AddressPatch, CustomerPatch, MetadataPatch
from app.domain.validation import check_customer_draft, check_customer_patch, email_problem


@pytest.mark.parametrize("email", ["a@b.co", "zoë+vip@exämple.de", "x.y-z@sub.domain.org"])
def test_good_emails(email: str) -> None:
    assert email_problem(email) is None


@pytest.mark.parametrize("email", ["plain", "a@b", "a b@c.de", "a@@b.de"])
def test_bad_emails(email: str) -> None:
    assert email_problem(email)


def test_draft_needs_something_to_identify_the_customer() -> None:
    with pytest.raises(ValidationFailedError) as info:
        check_customer_draft(CustomerDraft())
    assert info.value.for_field("email")
    check_customer_draft(CustomerDraft(company="Acme"))


def test_patch_flags_bad_phone() -> None:
    with pytest.raises(ValidationFailedError) as info:
        check_customer_patch(CustomerPatch(phone="call me"))
    assert info.value.for_field("phone")
    check_customer_patch(CustomerPatch(phone=None))


def test_metadata_patch_rejects_set_and_remove_of_one_key() -> None:
    with pytest.raises(ValueError, match="both set and removed"):
        MetadataPatch(set={"a": 1}, remove=frozenset({"a"}))
    assert MetadataPatch(set={"b": 2}, remove=frozenset({"a"})).apply({"a": 1, "c": 3}) == {
        "b": 2,
        "c": 3,
    }


def test_addresses_carry_iso_country_codes_only() -> None:
    validation.check_address_draft(AddressDraft(country_code="DE"))
    validation.check_address_patch(AddressPatch(country_code="at"))
    for bad in ("xx", "zz"):
        with pytest.raises(ValidationFailedError, match="no ISO 3166 country code"):
            validation.check_address_draft(AddressDraft(country_code=bad))
        with pytest.raises(ValidationFailedError, match="no ISO 3166 country code"):
            validation.check_address_patch(AddressPatch(country_code=bad))
    with pytest.raises(ValidationFailedError, match="two-letter"):
        validation.check_address_draft(AddressDraft(country_code="deu"))
