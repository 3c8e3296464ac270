"""Addresses: CRUD and the default shipping/billing flags moving between addresses."""

from __future__ import annotations

import pytest

from app.domain.capabilities import Capability
from app.domain.customer import AddressDraft, CustomerDraft
from app.domain.errors import NotFoundError, UnsupportedOperationError
from app.domain.patch import AddressPatch, CustomerPatch, MetadataPatch
from tests.contract.conftest import Target, need, need_address_book

pytestmark = pytest.mark.asyncio


def home(**kw: object) -> AddressDraft:
    base: dict[str, object] = {
        "address_name": "Home",
        "first_name": "Zoë",
        "last_name": "Müller",
        "address_1": "Hauptstraße 5",
        "city": "Köln",
        "postal_code": "50667",
        "country_code": "de",
        "phone": "+49 221 555",
    }
    base.update(kw)
    return AddressDraft.model_validate(base)


async def test_address_lifecycle_and_default_moves(target: Target) -> None:
    need(target, Capability.ADDRESSES)
    need(target, Capability.DEFAULT_ADDRESSES)
    need_address_book(target)
    customer = await target.backend.create_customer(CustomerDraft(email=target.email("addr")))
    first = await target.backend.create_address(
        customer.id,
        home(is_default_shipping=True, is_default_billing=True, metadata={"door": "blue"}),
    )
    assert first.city == "Köln"
    assert first.country_code == "de"
    assert (first.is_default_shipping, first.is_default_billing) == (True, True)
    assert first.metadata == {"door": "blue"}

    second = await target.backend.create_address(
        customer.id, home(address_name="Office", address_1="Ring 1", is_default_shipping=True)
    )
    assert second.id != first.id
    book = {a.id: a for a in await target.backend.list_addresses(customer.id)}
    assert set(book) == {first.id, second.id}
    # Shipping default moved to the new address; billing stayed on the first.
    assert book[second.id].is_default_shipping
    assert not book[first.id].is_default_shipping
    assert book[first.id].is_default_billing
    assert not book[second.id].is_default_billing

    moved = await target.backend.update_address(
        customer.id, second.id, AddressPatch(is_default_billing=True, city="Bonn", address_2=None)
    )
    assert moved.city == "Bonn"
    assert moved.is_default_billing
    assert moved.address_1 == "Ring 1"  # untouched fields stay
    book = {a.id: a for a in await target.backend.list_addresses(customer.id)}
    assert not book[first.id].is_default_billing

    patched = await target.backend.update_address(
        customer.id, first.id, AddressPatch(metadata=MetadataPatch(set={"floor": 2}))
    )
    assert patched.metadata == {"door": "blue", "floor": 2}

    detail = await target.backend.get_customer(customer.id)
    assert {a.id for a in detail.addresses} == {first.id, second.id}
    assert next(a for a in detail.addresses if a.id == second.id).is_default_shipping

    await target.backend.delete_address(customer.id, first.id)
    assert [a.id for a in await target.backend.list_addresses(customer.id)] == [second.id]


async def test_unknown_address_is_not_found(target: Target) -> None:
    need(target, Capability.ADDRESSES)
    need_address_book(target)
    customer = await target.backend.create_customer(CustomerDraft(email=target.email("noaddr")))
    with pytest.raises(NotFoundError):
        await target.backend.update_address(
            customer.id, "cuaddr_01HZZZZZZZZZZZZZZZZZZZZZZZ", AddressPatch(city="X")
        )


async def test_addresses_of_unknown_customer_is_not_found(target: Target) -> None:
    need(target, Capability.ADDRESSES)
    with pytest.raises(NotFoundError):
        await target.backend.list_addresses("cus_01HZZZZZZZZZZZZZZZZZZZZZZZ")


async def test_without_an_address_book_the_defaults_show_and_writes_stay_successes(
    target: Target,
) -> None:
    """Where the backend documents no address list/edit/delete (strict Chec), the desk
    degrades visibly instead of failing the customer: the defaults the customer record
    carries are shown, adding works, editing is refused as unsupported (nothing changed)."""
    need(target, Capability.ADDRESSES)
    need(target, Capability.DEFAULT_ADDRESSES)
    if target.opened.address_book:
        pytest.skip(f"{target.name} lists every address")
    customer = await target.backend.create_customer(CustomerDraft(email=target.email("nobook")))
    first = await target.backend.create_address(
        customer.id, home(is_default_shipping=True, is_default_billing=True)
    )
    assert first.city == "Köln"
    assert (first.is_default_shipping, first.is_default_billing) == (True, True)
    office = await target.backend.create_address(customer.id, home(address_1="Ring 1"))
    assert office.address_1 == "Ring 1"  # accepted, though no read can show it

    detail = await target.backend.get_customer(customer.id)
    assert [a.id for a in detail.addresses] == [first.id]  # only the defaults: degraded
    updated = await target.backend.update_customer(customer.id, CustomerPatch(first_name="Zoë"))
    assert updated.first_name == "Zoë"
    assert [a.id for a in updated.addresses] == [first.id]
    assert getattr(target.backend, "limitations", ())  # the desk can say why

    with pytest.raises(UnsupportedOperationError):
        await target.backend.update_address(customer.id, first.id, AddressPatch(city="Bonn"))
    with pytest.raises(UnsupportedOperationError):
        await target.backend.delete_address(customer.id, first.id)
    assert [a.city for a in await target.backend.list_addresses(customer.id)] == ["Köln"]
