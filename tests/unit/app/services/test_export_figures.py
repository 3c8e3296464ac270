"""CSV export of order figures: Orders, Spent (plain, minor units), Currency, Last order,
from the mirror's copy of every order; blank (never 0) where they are not known."""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.query import CustomerQuery, OrderFilter, Sort, SortField
from app.services.context import Services
from app.services.export import export_customers_csv

FIGURES = ("id", "orders", "spent", "currency", "last_order")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.asyncio
async def test_export_carries_the_mirrors_figures(app_home: Path, tmp_path: Path) -> None:
    ctx = await Services.create().open_store("demo", demo_customers=200)
    try:
        unknown = tmp_path / "before.csv"
        await export_customers_csv(ctx.customers, CustomerQuery(), unknown, FIGURES)
        before = read(unknown)
        assert before
        assert all(r["orders"] == r["spent"] == r["last_order"] == "" for r in before)

        assert ctx.mirror is not None
        await ctx.mirror.sync()
        query = CustomerQuery(
            orders=OrderFilter(has_orders=True), sort=Sort(field=SortField.SPENT, descending=True)
        )
        target = tmp_path / "spenders.csv"
        count = await export_customers_csv(ctx.customers, query, target, FIGURES)
        rows = read(target)
        assert len(rows) == count > 0
        assert all(int(r["orders"]) > 0 and r["last_order"] for r in rows)
        amounts = [Decimal(r["spent"]) for r in rows if r["spent"]]
        assert amounts == sorted(amounts, reverse=True)
        assert all(a == a.quantize(Decimal("0.01")) for a in amounts)  # cents, as priced
        top = rows[0]
        figures = await ctx.customers.figures(top["id"])
        assert figures is not None
        main = next(c for c in figures.currencies if c.currency == top["currency"])
        assert Decimal(top["spent"]) == main.spent.amount.quantize(Decimal("0.01"))
        assert figures.last_order_at == datetime.fromisoformat(top["last_order"])
    finally:
        await ctx.aclose()
