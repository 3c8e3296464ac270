"""The count shown with the rows: exact when the mirror counts it cheaply, else "about N"
from a sample of the rows, and no number where the sample says too little.

A demo store of 3,000 customers, mirrored: the budget for an exact count is set to zero
(as a million customers would make it) to reach the estimate path at this size.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from app.domain.query import CustomerQuery
from app.mirror import estimate
from app.mirror.service import ReadPolicy
from app.services.context import Services, StoreContext
from tests.unit.app.mirror.helpers import mirror_of

QUERIES = ["", "an", "e", "gmail", "example", "a e", "zz", "müller", "+49"]


@pytest_asyncio.fixture
async def synced(app_home: Path) -> AsyncIterator[StoreContext]:
    ctx = await Services.create().open_store("demo", demo_customers=3000, policy=ReadPolicy.MIRROR)
    await mirror_of(ctx).sync()
    yield ctx
    await ctx.aclose()


@pytest.mark.asyncio
async def test_cheap_counts_are_exact(synced: StoreContext) -> None:
    for text in QUERIES:
        query = CustomerQuery(text=text, has_account=True if text == "e" else None)
        guess = await synced.customers.count_estimate(query)
        assert guess is not None
        assert guess.exact, text  # 3,000 rows: every count fits the budget
        assert guess.value == await synced.customers.count(query)


@pytest.mark.asyncio
async def test_costly_counts_are_estimated_from_a_sample(
    synced: StoreContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(estimate, "EXACT_BUDGET_US", 0.0)
    monkeypatch.setattr(estimate, "SAMPLE", 1000)
    seen_estimate = seen_none = False
    for text in QUERIES:
        query = CustomerQuery(text=text)
        guess = await synced.customers.count_estimate(query)
        exact = await synced.customers.count(query)
        assert exact is not None
        assert guess is not None
        if guess.exact:  # no match sampled: the trigram index counts it from few postings
            assert guess.value == exact
            continue
        if guess.value is None:
            seen_none = True
            assert exact < 3000 * estimate.MIN_SAMPLE_HITS / 1000 * 2  # rare: few sampled
            continue
        seen_estimate = True
        # Every third row sampled, >= 20 sampled matches: well within a third.
        assert abs(guess.value - exact) <= max(exact / 3, 30), (text, guess, exact)
    assert seen_estimate
    assert seen_none


@pytest.mark.asyncio
async def test_an_empty_list_is_counted_exactly(
    synced: StoreContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(estimate, "EXACT_BUDGET_US", 0.0)
    guess = await synced.customers.count_estimate(CustomerQuery(text="no such customer anywhere"))
    # The trigram index counts a term nobody has from its (empty) postings: at no cost.
    assert guess == estimate.CountEstimate(0, True)
