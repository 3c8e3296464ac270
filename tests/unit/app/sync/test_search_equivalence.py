"""The mirror answers like the backend: the demo store and its mirror side by side.

Many queries (substrings of real values, mixed case, non-ASCII, one and two characters,
ILIKE wildcards, several tokens), filters and every sort order; the ids must come back
in the same order. Phone-like queries may find more in the mirror (phone digits match
whatever the formatting), never less.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from app.backends.protocols import SupportsCustomerDirectory
from app.cache import MirrorRepository
from app.cache.text import phone_digits, phone_query_digits
from app.domain.customer import Customer
from app.domain.query import CustomerQuery, DateRange, Sort, SortField
from app.services.context import Services, StoreContext
from app.services.mirror import ReadPolicy
from tests.unit.app.sync.helpers import backend_customers


@pytest_asyncio.fixture
async def synced(app_home: Path) -> AsyncIterator[StoreContext]:
    ctx = await Services.create().open_store("demo", demo_customers=600, policy=ReadPolicy.LIVE)
    assert ctx.mirror is not None
    await ctx.mirror.sync()
    yield ctx
    await ctx.aclose()


async def _backend_ids(ctx: StoreContext, query: CustomerQuery) -> list[str]:
    backend = ctx.backend
    assert isinstance(backend, SupportsCustomerDirectory)
    out: list[str] = []
    token: str | None = None
    while True:
        page = await backend.list_customers(query, token)
        out.extend(c.id for c in page.items)
        token = page.next_token
        if token is None:
            return out


async def _mirror_ids(ctx: StoreContext, query: CustomerQuery) -> tuple[list[str], int | None]:
    assert ctx.mirror is not None
    out: list[str] = []
    token: str | None = None
    total: int | None = None
    while True:
        page = await ctx.mirror.store.call(MirrorRepository.search, query, token)
        total = page.total if token is None else total
        out.extend(c.id for c in page.items)
        token = page.next_token
        if token is None:
            return out, total


def _texts(customers: list[Customer], rng: random.Random) -> list[str]:
    texts = ["", " ", "a", "Ö", "an", "zz", "e.com", "@", "_", "%", "a_n", "100%", "\\"]
    texts += ["straße", "MÜLLER", "İ", "σ", "李", "o'", "+49", "gmail", "xyzzy-nothing"]
    for c in rng.sample(customers, 60):
        for value in (c.first_name, c.last_name, c.email, c.phone, c.company):
            if not value:
                continue
            start = rng.randrange(len(value))
            piece = value[start : start + rng.randint(1, 8)]
            texts.append(piece.upper() if rng.random() < 0.3 else piece)
        if c.first_name and c.last_name:
            texts.append(f"{c.last_name[:4]} {c.first_name[:3].lower()}")
    return texts


@pytest.mark.asyncio
async def test_search_filters_and_sorts_match_the_backend(synced: StoreContext) -> None:
    rng = random.Random(5)
    customers = list((await backend_customers(synced)).values())
    by_id = {c.id: c for c in customers}
    groups = await synced.customers.groups()
    middle = sorted(c.created_at for c in customers)[len(customers) // 2]
    texts = _texts(customers, rng)
    checked = 0
    for i, text in enumerate(texts):
        query = CustomerQuery(text=text, page_size=rng.choice([7, 50, 1000]))
        if i % 3 == 0:
            query = query.model_copy(
                update={
                    "sort": Sort(field=rng.choice(list(SortField)), descending=rng.random() < 0.5)
                }
            )
        if i % 5 == 0:
            query = query.model_copy(update={"has_account": rng.random() < 0.5})
        if i % 7 == 0 and groups:
            query = query.model_copy(update={"group_ids": frozenset({rng.choice(groups).id})})
        if i % 11 == 0:
            span = DateRange(start=middle - timedelta(days=30), end=middle)
            query = query.model_copy(update={"created": span})
        expected = await _backend_ids(synced, query)
        got, total = await _mirror_ids(synced, query)
        digits = phone_query_digits(text)
        if digits is None:
            assert got == expected, query
            assert total == len(expected)
        else:
            assert set(expected) <= set(got), query
            extra = set(got) - set(expected)
            assert all(digits in (phone_digits(by_id[x].phone) or "") for x in extra)
        checked += 1
    assert checked > 100


@pytest.mark.asyncio
async def test_exact_email_filter_and_every_sort(synced: StoreContext) -> None:
    customers = list((await backend_customers(synced)).values())
    email = next(c.email for c in customers if c.email)
    for field in SortField:
        for descending in (False, True):
            query = CustomerQuery(sort=Sort(field=field, descending=descending), page_size=97)
            assert (await _mirror_ids(synced, query))[0] == await _backend_ids(synced, query)
    query = CustomerQuery(email=email)
    assert (await _mirror_ids(synced, query))[0] == await _backend_ids(synced, query)
