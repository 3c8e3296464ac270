from __future__ import annotations

import asyncio
import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.domain.customer import CustomerDraft
from app.domain.query import CustomerQuery, DateRange, Sort, SortField
from app.services.context import Services
from app.services.export import export_customers_csv
from app.services.saved_filters import SavedFilters


@pytest.mark.asyncio
async def test_export_writes_the_filtered_view(app_home: Path, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    ctx = await Services.create().open_store("demo", demo_customers=400)
    try:
        await ctx.customers.create(
            CustomerDraft(email="formula@example.com", first_name="=HYPERLINK(1)", last_name="Ünal")
        )
        query = CustomerQuery(has_account=True, sort=Sort(field=SortField.EMAIL))
        expected = [c.id async for c in ctx.customers.iterate(query)]
        seen: list[tuple[int, int | None]] = []
        target = tmp_path / "export.csv"
        count = await export_customers_csv(
            ctx.customers, query, target, progress=lambda n, t: seen.append((n, t)), batch=50
        )
        assert count == len(expected) > 50
        with target.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        assert [r["id"] for r in rows] == expected
        assert seen[-1] == (count, count)
        assert list(tmp_path.iterdir()) == [target]  # no temp file left

        injected = tmp_path / "guard.csv"
        await export_customers_csv(
            ctx.customers,
            CustomerQuery(text="formula@example.com"),
            injected,
            columns=("first_name", "last_name"),
        )
        text = injected.read_text(encoding="utf-8-sig")
        assert "'=HYPERLINK(1),Ünal" in text  # not run as a formula by spreadsheets
    finally:
        await ctx.aclose()


@pytest.mark.asyncio
async def test_cancelled_export_leaves_no_file(app_home: Path, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    ctx = await Services.create().open_store("demo", demo_customers=400)
    try:
        assert ctx.demo is not None
        ctx.demo.faults.latency = 0.2
        task = asyncio.ensure_future(
            export_customers_csv(ctx.customers, CustomerQuery(), tmp_path / "x.csv", batch=50)
        )
        await asyncio.sleep(0.5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert list(tmp_path.iterdir()) == []
    finally:
        await ctx.aclose()


def test_saved_filters_round_trip(tmp_path: Path) -> None:
    store = SavedFilters(tmp_path / "filters.json")
    vip = CustomerQuery(
        text="gmbh",
        has_account=True,
        group_ids=frozenset({"g1"}),
        created=DateRange(start=datetime(2026, 1, 1, tzinfo=UTC)),
    )
    store.save("shop", "VIP this year", vip)
    store.save("shop", "Anna", CustomerQuery(text="anna"))
    store.save("other", "All", CustomerQuery())
    assert [f.name for f in store.list("shop")] == ["Anna", "VIP this year"]
    assert store.list("shop")[1].query == vip
    store.save("shop", "Anna", CustomerQuery(text="anna k"))  # replaces
    assert [f.query.text for f in store.list("shop")] == ["anna k", "gmbh"]
    store.remove("shop", "Anna")
    store.forget_store("other")
    assert [f.name for f in store.list("shop")] == ["VIP this year"]
    assert store.list("other") == []
    assert oct((tmp_path / "filters.json").stat().st_mode & 0o777) == "0o600"


@pytest.mark.asyncio
async def test_export_keeps_phone_numbers_as_text_for_spreadsheets(
    app_home: Path, tmp_path: Path
) -> None:
    ctx = await Services.create().open_store("demo", demo_customers=50)
    try:
        await ctx.customers.create(
            CustomerDraft(email="phones@example.com", first_name="Pia", phone="+4930123456")
        )
        target = tmp_path / "phones.csv"
        await export_customers_csv(
            ctx.customers,
            CustomerQuery(text="phones@example.com"),
            target,
            columns=("email", "phone"),
        )
        with target.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        # A spreadsheet reads ="…" as that text: no 4.93E+10, the + and zeros kept.
        assert rows == [{"email": "phones@example.com", "phone": '="+4930123456"'}]
    finally:
        await ctx.aclose()


def test_a_quote_in_a_phone_cannot_leave_the_text() -> None:
    from app.services.export import _as_text

    assert _as_text('1"&HYPERLINK("x")&"') == '="1""&HYPERLINK(""x"")&"""'
    assert _as_text(None) == ""
