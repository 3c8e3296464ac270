"""`CustomerService` carries what a store turned out not to do up to the desk and the CLI:
the Chec demo, strict like Chec's sources, lists no address book."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from app.domain.customer import AddressDraft, Customer
from app.domain.errors import UnsupportedOperationError
from app.domain.limitations import ADDRESS_BOOK_DEFAULTS_ONLY, AddressBook, Feature
from app.domain.patch import AddressPatch
from app.domain.query import CustomerQuery
from app.services.context import Services, StoreContext
from app.services.customers import CustomerService
from app.services.demo import CHEC_LENIENT_ENV

pytestmark = pytest.mark.asyncio
CUSTOMERS = 60


async def _opened(name: str) -> StoreContext:
    return await Services.create().open_store(name, demo_customers=CUSTOMERS)


@pytest_asyncio.fixture
async def strict_chec(
    app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[StoreContext]:
    monkeypatch.delenv(CHEC_LENIENT_ENV, raising=False)
    ctx = await _opened("demo-chec")
    yield ctx
    await ctx.aclose()


async def with_addresses(service: CustomerService) -> Customer:
    """A customer showing at least one address, loaded through the service."""
    page = await service.search(CustomerQuery(page_size=CUSTOMERS))
    for summary in page.items:
        customer = await service.get(summary.id)
        if customer.addresses:
            return customer
    raise AssertionError("no demo customer has an address")


async def test_strict_chec_demo_degrades_the_address_book_and_says_so(
    strict_chec: StoreContext,
) -> None:
    service = strict_chec.customers
    assert (service.address_book, service.limitations) == (AddressBook.UNKNOWN, ())

    customer = await with_addresses(service)

    assert service.address_book is AddressBook.DEFAULTS
    # The 405 that taught it travels along (the doctor reports it).
    found = ADDRESS_BOOK_DEFAULTS_ONLY.model_copy(update={"status": 405})
    assert service.limitations == (found,)
    assert service.limitation(Feature.ADDRESS_BOOK) == found
    # Only the defaults are shown, and the customer still loads.
    assert all(a.is_default_shipping or a.is_default_billing for a in customer.addresses)
    assert await service.addresses(customer.id) == list(customer.addresses)


async def test_known_read_only_addresses_are_refused_not_queued_offline(
    strict_chec: StoreContext,
) -> None:
    service, mirror, demo = strict_chec.customers, strict_chec.mirror, strict_chec.demo
    assert mirror is not None
    assert demo is not None
    await mirror.sync()  # a full mirror: an unreachable store now means queued edits
    customer = await with_addresses(service)
    shown = customer.addresses[0]

    demo.faults.offline = True
    with pytest.raises(UnsupportedOperationError) as edit:
        await service.update_address(customer.id, shown.id, AddressPatch(city="York"))
    with pytest.raises(UnsupportedOperationError) as delete:
        await service.delete_address(customer.id, shown.id)
    assert str(edit.value) == str(delete.value) == ADDRESS_BOOK_DEFAULTS_ONLY.unavailable
    assert mirror.state.pending_edits == 0  # nothing waits to be refused by the store later

    # Adding still goes to the store.
    demo.faults.offline = False
    assert await mirror.probe()
    draft = AddressDraft(address_1="1 Market Street", city="Leeds", country_code="gb")
    added = await service.add_address(customer.id, draft)
    assert (added.address_1, added.city) == ("1 Market Street", "Leeds")


async def test_lenient_chec_demo_lists_the_whole_address_book(
    app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CHEC_LENIENT_ENV, "1")
    ctx = await _opened("demo-chec")
    try:
        await with_addresses(ctx.customers)
        assert (ctx.customers.address_book, ctx.customers.limitations) == (AddressBook.LISTED, ())
    finally:
        await ctx.aclose()


async def test_a_store_that_cannot_fall_short_lists_every_address(app_home: Path) -> None:
    ctx = await _opened("demo")  # the Medusa dialect
    try:
        await with_addresses(ctx.customers)
        assert (ctx.customers.address_book, ctx.customers.limitations) == (AddressBook.LISTED, ())
    finally:
        await ctx.aclose()
