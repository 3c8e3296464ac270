from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.errors import ConfigurationError, ConnectionFailedError
from app.domain.query import CustomerQuery
from app.services.context import Services
from app.services.demo import CHEC_LENIENT_ENV, EP_LENIENT_ENV, lenient_from, parse_faults
from demostore.elasticpath import LENIENT_ENV


def test_parse_faults() -> None:
    faults = parse_faults("latency=0.25, error_rate=0.1,retry_after=2,offline")
    assert (faults.latency, faults.error_rate, faults.retry_after, faults.offline) == (
        0.25,
        0.1,
        2,
        True,
    )
    assert parse_faults("").offline is False
    for bad in ("speed=1", "latency=slow", "error_rate=2"):
        with pytest.raises(ConfigurationError):
            parse_faults(bad)


@pytest.mark.asyncio
async def test_nothing_configured_opens_the_demo_store(app_home: Path) -> None:
    services = Services.create()
    ctx = await services.open_store(None)
    try:
        assert ctx.is_demo
        page = await ctx.customers.search(CustomerQuery(page_size=10))
        assert page.total is not None
        assert page.total > 1000  # the default ~2,000 generated customers
        assert (app_home / "data" / "demo-store.sqlite3").exists()
    finally:
        await ctx.aclose()


@pytest.mark.asyncio
async def test_demo_faults_from_the_environment(
    app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MERCHANT_DESK_DEMO_FAULTS", "offline")
    ctx = await Services.create().open_store("demo")
    try:
        with pytest.raises(ConnectionFailedError):
            await ctx.customers.search(CustomerQuery(page_size=1))
        assert ctx.demo is not None
        ctx.demo.faults.offline = False  # and back online at run time
        assert (await ctx.customers.search(CustomerQuery(page_size=1))).items
    finally:
        await ctx.aclose()


@pytest.mark.asyncio
async def test_every_demo_order_breakdown_adds_up(app_home: Path) -> None:
    ctx = await Services.create().open_store("demo", demo_customers=150)
    checked = 0
    try:
        async for customer in ctx.customers.iterate(CustomerQuery(page_size=200)):
            for summary in (await ctx.customers.orders(customer.id, page_size=50)).items:
                d = await ctx.customers.order(summary.id)
                parts = d.subtotal.amount - d.discount_total.amount + d.shipping_total.amount
                assert abs(parts + d.tax_total.amount - d.total.amount) < Decimal("0.005"), d.id
                assert abs(d.lines_total() - d.subtotal.amount) < Decimal("0.005"), d.id
                checked += 1
    finally:
        await ctx.aclose()
    assert checked > 100


def test_the_lenient_switch_takes_yes_or_no_and_refuses_anything_else() -> None:
    assert [lenient_from(v) for v in ("1", " Yes", "true", "on")] == [True] * 4
    assert [lenient_from(v) for v in ("", "0", "no", "FALSE", "off")] == [False] * 5
    with pytest.raises(ConfigurationError, match=CHEC_LENIENT_ENV):
        lenient_from("lenient")


def test_the_elastic_path_switch_is_the_one_its_demo_reads() -> None:
    assert EP_LENIENT_ENV == LENIENT_ENV
