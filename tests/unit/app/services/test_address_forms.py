"""The service checks an address against the store's own form before sending or queueing."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.customer import AddressDraft
from app.domain.errors import ServerError, ValidationFailedError
from app.domain.query import CustomerQuery
from app.services.context import Services


@pytest.mark.asyncio
async def test_an_elastic_path_address_without_county_is_refused_even_offline(
    app_home: Path,
) -> None:
    """Queued offline it would only fail at replay: the desk says so at once instead."""
    ctx = await Services.create().open_store("demo-ep", demo_customers=20)
    try:
        assert ctx.mirror is not None
        assert ctx.demo is not None
        await ctx.mirror.sync()
        form = ctx.customers.address_form
        county = form.get("county")
        assert county is not None
        assert county.required
        customer = (await ctx.customers.search(CustomerQuery(page_size=1))).items[0]
        ctx.demo.faults.offline = True
        draft = AddressDraft(
            first_name="Ron",
            last_name="S",
            address_1="1 Main St",
            postal_code="1",
            country_code="gb",
        )
        with pytest.raises(ValidationFailedError) as caught:
            await ctx.customers.add_address(customer.id, draft)
        assert caught.value.for_field("county") == "County is required by this store."
        assert ctx.mirror.state.pending_edits == 0
    finally:
        await ctx.aclose()


@pytest.mark.asyncio
async def test_a_store_without_county_refuses_one(app_home: Path) -> None:
    ctx = await Services.create().open_store("demo", demo_customers=20)
    try:
        assert "county" not in ctx.customers.address_form.names
        customer = (await ctx.customers.search(CustomerQuery(page_size=1))).items[0]
        with pytest.raises(ValidationFailedError) as caught:
            await ctx.customers.add_address(customer.id, AddressDraft(city="X", county="Kent"))
        assert [e.field for e in caught.value.field_errors] == ["county"]
    finally:
        await ctx.aclose()


@pytest.mark.asyncio
async def test_an_accepted_address_stays_saved_when_the_follow_up_read_fails(
    app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store took the address; a failing refresh afterwards must not report an error
    (staff would add it again)."""
    ctx = await Services.create().open_store("demo-ep", demo_customers=20)
    try:
        assert ctx.mirror is not None
        await ctx.mirror.sync()
        customer = (await ctx.customers.search(CustomerQuery(page_size=1))).items[0]

        async def failing(customer_id: str) -> None:
            raise ServerError()

        monkeypatch.setattr(ctx.mirror, "refresh_customer", failing)
        draft = AddressDraft(
            first_name="Ron",
            last_name="S",
            address_1="1 Main St",
            county="Kent",
            postal_code="CT1 1AA",
            country_code="gb",
        )
        saved = await ctx.customers.add_address(customer.id, draft)
        assert saved.county == "Kent"
        listed = await ctx.backend.list_addresses(customer.id)  # type: ignore[attr-defined]
        assert saved.id in [a.id for a in listed]
    finally:
        await ctx.aclose()
