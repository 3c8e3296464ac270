"""Addresses as each store's own form has them: every field it declares round-trips, what it
requires is refused when missing (naming the field), and what it lacks degrades to a clear
refusal, not a silent loss. Elastic Path runs against the strict emulation."""

from __future__ import annotations

import pytest

from app.backends.protocols import DeclaresAddressForm
from app.domain.address_form import AddressForm
from app.domain.capabilities import Capability
from app.domain.customer import AddressDraft, CustomerDraft
from app.domain.errors import ValidationFailedError
from app.domain.patch import AddressPatch
from tests.contract.conftest import Target, need

pytestmark = pytest.mark.asyncio

VALUES = {
    "address_name": "Home",
    "first_name": "Zoë",
    "last_name": "Müller",
    "company": "Müller & Co",
    "address_1": "Hauptstraße 5",
    "address_2": "Hinterhaus",
    "city": "Köln",
    "county": "Rhein-Erft",
    "province": "NRW",
    "postal_code": "50667",
    "country_code": "de",
    "phone": "+49 221 555",
}


def declared_form(target: Target) -> AddressForm:
    need(target, Capability.ADDRESSES)
    if not isinstance(target.backend, DeclaresAddressForm):
        pytest.skip(f"{target.name} declares no address form of its own")
    return target.backend.address_form


def full_draft(form: AddressForm) -> AddressDraft:
    return AddressDraft.model_validate({name: VALUES[name] for name in form.names})


async def test_every_declared_field_round_trips(target: Target) -> None:
    form = declared_form(target)
    customer = await target.backend.create_customer(CustomerDraft(email=target.email("form")))
    created = await target.backend.create_address(customer.id, full_draft(form))
    (listed,) = await target.backend.list_addresses(customer.id)
    for name in form.names:
        assert getattr(created, name) == VALUES[name], name
        assert getattr(listed, name) == VALUES[name], name


async def test_a_missing_required_field_is_refused_by_name(target: Target) -> None:
    form = declared_form(target)
    required = [f.name for f in form.fields if f.required]
    if not required:
        pytest.skip(f"{target.name} requires no address field")
    customer = await target.backend.create_customer(CustomerDraft(email=target.email("req")))
    for name in required:
        draft = full_draft(form).model_copy(update={name: None})
        with pytest.raises(ValidationFailedError) as caught:
            await target.backend.create_address(customer.id, draft)
        assert name in {e.field for e in caught.value.field_errors}, name
    assert await target.backend.list_addresses(customer.id) == []


async def test_clearing_optional_fields_and_what_may_not_be_cleared(target: Target) -> None:
    form = declared_form(target)
    customer = await target.backend.create_customer(CustomerDraft(email=target.email("clr")))
    address = await target.backend.create_address(customer.id, full_draft(form))
    optional = [f.name for f in form.fields if not f.required and f.name != "address_name"]
    cleared = await target.backend.update_address(
        customer.id, address.id, AddressPatch.model_validate(dict.fromkeys(optional))
    )
    for name in optional:
        assert getattr(cleared, name) is None, name
    for f in form.fields:
        if f.required:  # degrades to a refusal naming the field; the address stays whole
            with pytest.raises(ValidationFailedError) as caught:
                await target.backend.update_address(
                    customer.id, address.id, AddressPatch.model_validate({f.name: None})
                )
            assert f.name in {e.field for e in caught.value.field_errors}
    (kept,) = await target.backend.list_addresses(customer.id)
    assert all(getattr(kept, f.name) == VALUES[f.name] for f in form.fields if f.required)


async def test_stores_without_default_addresses_refuse_the_flags(target: Target) -> None:
    need(target, Capability.ADDRESSES)
    if Capability.DEFAULT_ADDRESSES in target.backend.capabilities:
        pytest.skip(f"{target.name} keeps default addresses")
    form = declared_form(target)
    customer = await target.backend.create_customer(CustomerDraft(email=target.email("dflt")))
    draft = full_draft(form).model_copy(update={"is_default_shipping": True})
    with pytest.raises(ValidationFailedError):
        await target.backend.create_address(customer.id, draft)
    assert await target.backend.list_addresses(customer.id) == []
