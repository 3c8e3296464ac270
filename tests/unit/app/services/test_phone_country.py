"""The store's phone country: set in the profile, else guessed from the mirror."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from pydantic import ValidationError

from app.backends.protocols import SupportsCustomerWrite
from app.domain.customer import CustomerDraft
from app.domain.query import CustomerQuery
from app.services.context import Services, StoreContext
from app.services.customers import CustomerService
from app.services.profiles import BackendKind, StoreProfile
from tests.unit.app.mirror.helpers import backend_customers


@pytest_asyncio.fixture
async def ctx(app_home: Path) -> AsyncIterator[StoreContext]:
    context = await Services.create().open_store("demo", demo_customers=150)
    assert context.mirror is not None
    assert isinstance(context.backend, SupportsCustomerWrite)
    await context.backend.create_customer(
        CustomerDraft(email="jo@example.org", first_name="Jo", phone="+496905108941")
    )
    await context.mirror.sync()
    yield context
    await context.aclose()


@pytest.mark.asyncio
async def test_the_guess_is_the_most_common_address_country(ctx: StoreContext) -> None:
    countries = Counter(
        a.country_code.upper()
        for c in (await backend_customers(ctx)).values()
        for a in c.addresses
        if a.country_code
    )
    ranked = sorted(countries.items(), key=lambda item: (-item[1], item[0]))
    assert ctx.customers.phone_region == ranked[0][0]


@pytest.mark.asyncio
async def test_a_national_number_finds_the_customer_in_the_profile_country(
    ctx: StoreContext,
) -> None:
    assert ctx.mirror is not None
    german = CustomerService(ctx.backend, ctx.mirror, phone_country="de")
    assert german.phone_region == "DE"
    page = await german.search(CustomerQuery(text="0690 5108941"))
    assert "Jo" in [c.first_name for c in page.items]
    assert await german.count(CustomerQuery(text="0690 5108941")) == len(page.items)
    elsewhere = CustomerService(ctx.backend, ctx.mirror, phone_country="FR")
    page = await elsewhere.search(CustomerQuery(text="0690 5108941"))
    assert "Jo" not in [c.first_name for c in page.items]  # a French number
    assert german.format_phone("+496905108941") == "+49 69 05108941"
    assert german.format_phone("06905108941") == "069 05108941"


def test_the_profile_country_is_checked() -> None:
    def profile(country: str | None) -> StoreProfile:
        return StoreProfile(name="s", backend=BackendKind.MEDUSA, phone_country=country)

    assert profile(" de ").phone_country == "DE"
    assert profile("").phone_country is None
    assert profile(None).phone_country is None
    with pytest.raises(ValidationError, match="no country code"):
        profile("ZZ")
