"""bench.customer360 at a few hundred customers against the demo store, so it cannot rot
(the Medusa half: tests/peers/medusa/test_bench_customer360.py)."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from bench.customer360 import run, table

FIGURES = (
    "full_order_mirror_vs_bare",
    "refresh_after_100_changed_s",
    "header_figures_p95_ms",
    "first_page_by_spent_p95_ms",
    "spent_at_least_and_text_p95_ms",
    "cold_start_to_painted_list_s",
    "rss_with_list_open_mb",
)


def small(only: str, customers: int = 300, orders: int = 600, runs: int = 1) -> argparse.Namespace:
    return argparse.Namespace(
        customers=customers,
        orders=orders,
        runs=runs,
        queries=5,
        cold_starts=1,
        only=only,
        peer_env=None,
        out=None,
    )


def check(result: dict[str, Any]) -> None:
    """Every figure is measured (finite, positive) and judged against its target."""
    for name in FIGURES:
        value = result[name]
        assert math.isfinite(value["median"]), name
        assert value["median"] > 0, name
        assert value["min"] <= value["median"] <= value["max"], name
        assert value["met"] is (value["median"] <= value["target"]), name
    assert len(table("store", result)) == 1 + len(
        [v for v in result.values() if isinstance(v, dict)]
    )


def test_bench_runs_on_the_demo_store(app_home: Path) -> None:
    doc = run(small("demo", runs=2))  # the second run mirrors before the bare download
    result = doc["stores"]["demo"]
    assert len(result["full_order_mirror_vs_bare"]["runs"]) == 2
    assert result["orders"] > 2 * 300 * 0.9  # the generator's ~2.3 orders per customer
    assert result["pages"] == result["orders"] // 500 + 1
    check(result)
    assert doc["cores"] >= 1
    assert len(doc["load_average_before"]) == 3
