"""Sign-in (password and secret API key), error mapping, and paging over 2,500+ customers."""

from __future__ import annotations

import pytest

from app.domain.errors import AuthenticationError, NotFoundError
from app.domain.query import CustomerQuery, Sort, SortField
from tests.contract.conftest import Target

pytestmark = pytest.mark.asyncio


async def test_wrong_secret_is_an_authentication_error(target: Target) -> None:
    bad = target.with_wrong_secret()
    try:
        with pytest.raises(AuthenticationError) as info:
            await bad.check_connection()
        assert info.value.details.status == 401
        assert "credentials" in info.value.user_message
    finally:
        await bad.aclose()


async def test_secret_api_key_signs_in(target: Target) -> None:
    key = await target.harness.create_secret_key(f"desk {target.tag}")
    connect = target.opened.with_api_key
    if key is None or connect is None:
        pytest.skip(f"{target.name} has no admin secret API keys")
    keyed = connect(key)
    wrong = connect(key[:-4] + "0000")
    try:
        await keyed.check_connection()
        page = await keyed.list_customers(CustomerQuery(page_size=1))  # type: ignore[attr-defined]
        assert page.total is not None
        with pytest.raises(AuthenticationError):
            await wrong.check_connection()
    finally:
        await keyed.aclose()
        await wrong.aclose()


async def test_unknown_customer_is_not_found(target: Target) -> None:
    with pytest.raises(NotFoundError) as info:
        await target.backend.get_customer("cus_01HZZZZZZZZZZZZZZZZZZZZZZZ")
    assert info.value.details.status == 404


@pytest.mark.slow
async def test_paging_over_2600_customers_never_skips_or_repeats(target: Target) -> None:
    created = await target.harness.bulk_create_customers(
        2600, email_prefix=f"{target.tag}.bulk", domain="example.com"
    )
    query = CustomerQuery(text=target.tag, page_size=250)
    seen: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        page = await target.backend.list_customers(query, token)
        if token is None:
            assert page.total == 2600
        seen.extend(c.id for c in page.items)
        pages += 1
        token = page.next_token
        if token is None:
            break
    assert pages == 11
    assert len(seen) == len(set(seen)) == 2600
    assert set(seen) == set(created)
    if SortField.ID in target.backend.sort_fields:
        assert seen == sorted(seen)  # id order

    # Descending email order pages by offset: still complete while nothing changes.
    by_email = CustomerQuery(
        text=target.tag, page_size=700, sort=Sort(field=SortField.EMAIL, descending=True)
    )
    emails: list[str] = []
    token = None
    while True:
        page = await target.backend.list_customers(by_email, token)
        emails.extend(c.email or "" for c in page.items)
        token = page.next_token
        if token is None:
            break
    assert len(emails) == len(set(emails)) == 2600
    if SortField.EMAIL in target.backend.sort_fields:  # else the store's own order
        assert emails == sorted(emails, reverse=True)
