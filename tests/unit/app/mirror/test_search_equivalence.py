"""The mirror answers like the backend: the demo store and its mirror side by side.

Many queries (substrings of real values, mixed case, non-ASCII, one and two characters,
ILIKE wildcards, several tokens, names typed without their diacritics), filters and
every sort order. The mirror finds everything the backend finds, in the same order; it
may find more, each for a reason: phone digits match whatever the formatting, and names
match however they are typed (`schroder`, `schroeder` find "Schröder"). Names sort by
collation in the mirror (Schäfer before Schröder), by code points in the backend.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from app.backends.protocols import SupportsCustomerDirectory, SupportsCustomerWrite
from app.domain.customer import Customer, CustomerDraft
from app.domain.query import RECORD_SORTS, CustomerQuery, DateRange, Sort, SortField
from app.mirror.collation import name_key
from app.mirror.service import ReadPolicy
from app.mirror.text import (
    folded_forms,
    has_like_specials,
    like_any,
    phone_digits,
    phone_query_digits,
    tokens,
    umlaut_fold,
)
from app.services.context import Services, StoreContext
from tests.unit.app.mirror.helpers import backend_customers


@pytest_asyncio.fixture
async def synced(app_home: Path) -> AsyncIterator[StoreContext]:
    ctx = await Services.create().open_store("demo", demo_customers=600, policy=ReadPolicy.LIVE)
    assert ctx.mirror is not None
    assert isinstance(ctx.backend, SupportsCustomerWrite)
    for i, (first, last, company) in enumerate(NAMED):
        # Some emails spell the name (with "oe"), some do not.
        email = f"n{i}@example.org" if i % 2 else f"{umlaut_fold(first)}.{umlaut_fold(last)}@x.org"
        await ctx.backend.create_customer(
            CustomerDraft(email=email, first_name=first, last_name=last, company=company)
        )
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
        page = await ctx.mirror.search(query, token)
        total = page.total if token is None else total
        out.extend(c.id for c in page.items)
        token = page.next_token
        if token is None:
            return out, total


# Names as people spell them, and as the desk staff typed them (FOLDED).
NAMED = [
    ("Jörg", "Schröder", None),
    ("Anna", "Schröder", None),
    ("Ben", "SCHRÖDER", "Schröder & Söhne"),
    ("Paul", "Schroeder", None),
    ("Eva", "Müller", "Łódź Bakery"),
    ("Max", "Mueller", "Hauptstraße 1"),
    ("João", "Silva", "São Paulo Ltda"),
    ("Ayşe", "Işık", None),
]
FOLDED = ["schroder", "schroeder", "schröder", "SCHRÖDER", "muller", "mueller", "müller"]
FOLDED += ["lodz", "łódź", "strasse", "straße", "sao paulo", "são paulo", "isik", "joao"]


def _text_match(query_text: str, c: Customer) -> bool:
    """The mirror's matching, stated plainly: each token's folded forms in one field's."""
    fields = [c.first_name, c.last_name, c.email, c.phone, c.company]
    field_forms = [form for v in fields if v for form in folded_forms(v)]
    return all(
        like_any(f"%{token}%", *fields)
        if has_like_specials(token)
        else any(form in f for form in folded_forms(token) for f in field_forms)
        for token in tokens(query_text)
    )


def _texts(customers: list[Customer], rng: random.Random) -> list[str]:
    texts = ["", " ", "a", "Ö", "an", "zz", "e.com", "@", "_", "%", "a_n", "100%", "\\"]
    texts += ["straße", "MÜLLER", "İ", "σ", "李", "o'", "+49", "gmail", "xyzzy-nothing"]
    texts += FOLDED
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
                    "sort": Sort(
                        field=rng.choice([f for f in SortField if f in RECORD_SORTS]),
                        descending=rng.random() < 0.5,
                    )
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
        assert total == len(got) == len(set(got))
        if query.sort.field in (SortField.FIRST_NAME, SortField.LAST_NAME):
            assert set(expected) <= set(got), query
            assert _by_name(got, by_id, query.sort) == got, query
        else:
            assert [x for x in got if x in set(expected)] == expected, query
        digits = phone_query_digits(text)
        for extra in set(got) - set(expected):
            c = by_id[extra]
            by_digits = digits is not None and digits in (phone_digits(c.phone) or "")
            assert by_digits or _text_match(text, c), (query, c)
        checked += 1
    assert checked > 100


def _by_name(ids: list[str], by_id: dict[str, Customer], sort: Sort) -> list[str]:
    """`ids` in the mirror's name order: collation keys, NULL names last (ascending)."""
    first = sort.field is SortField.FIRST_NAME

    def key(cid: str) -> tuple[bool, str, str]:
        c = by_id[cid]
        name, other = (c.first_name, c.last_name) if first else (c.last_name, c.first_name)
        return (name is None, name_key(name, other) or "", cid)

    return sorted(ids, key=key, reverse=sort.descending)


@pytest.mark.asyncio
async def test_names_are_found_however_they_are_typed(synced: StoreContext) -> None:
    customers = list((await backend_customers(synced)).values())
    schroeders = {c.id for c in customers if (c.last_name or "").lower() == "schröder"}
    assert len(schroeders) >= 3  # ours, and the generator's
    for spelling in ("schroder", "schroeder", "schröder", "SCHRÖDER"):
        got, _ = await _mirror_ids(synced, CustomerQuery(text=spelling))
        assert schroeders <= set(got), spelling
    for spellings, company in [
        (("lodz", "łódź"), "Łódź Bakery"),
        (("strasse", "straße"), "Hauptstraße 1"),
        (("sao paulo", "são paulo"), "São Paulo Ltda"),
    ]:
        for spelling in spellings:
            got, _ = await _mirror_ids(synced, CustomerQuery(text=spelling))
            assert company in {c.company for c in customers if c.id in got}, spelling
    for spelling in ("muller", "mueller", "müller"):
        got, _ = await _mirror_ids(synced, CustomerQuery(text=spelling))
        assert "Müller" in {c.last_name for c in customers if c.id in got}, spelling


@pytest.mark.asyncio
async def test_exact_email_filter_and_every_sort(synced: StoreContext) -> None:
    customers = list((await backend_customers(synced)).values())
    email = next(c.email for c in customers if c.email)
    by_id = {c.id: c for c in customers}
    for field in [f for f in SortField if f in RECORD_SORTS]:
        for descending in (False, True):
            query = CustomerQuery(sort=Sort(field=field, descending=descending), page_size=97)
            got, expected = (await _mirror_ids(synced, query))[0], await _backend_ids(synced, query)
            if field in (SortField.FIRST_NAME, SortField.LAST_NAME):
                assert got == _by_name(expected, by_id, query.sort)
            else:
                assert got == expected
    query = CustomerQuery(email=email)
    assert (await _mirror_ids(synced, query))[0] == await _backend_ids(synced, query)
