"""The scale series end to end at a small size: every figure measured, charted, saved.

Runs `bench.series` as `bash scripts/test` does in CI: 2,000 demo customers, one run,
few queries, the demo store only (the real desk in a child process included).
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest

from bench.series import FIGURES, main


@pytest.mark.slow
def test_a_small_series_writes_every_figure_and_its_chart(tmp_path: Path) -> None:
    started = time.perf_counter()
    code = main(
        [
            "--sizes=2000",
            "--runs=1",
            "--no-peer",
            "--queries=20",
            "--backend-queries=5",
            "--typed=2",
            "--keystrokes=8",
            f"--out={tmp_path}",
        ]
    )
    assert code == 0
    assert time.perf_counter() - started < 90
    result = json.loads((tmp_path / "series.json").read_text())
    assert result["machine"]["cores"] >= 1
    load = result["series"]["demo"]["2000"]["load"]
    assert load["samples"]
    assert load["min"] <= load["mean"] <= load["max"]
    figures = result["series"]["demo"]["2000"]["figures"]
    for figure in FIGURES:
        entry = figures[figure.key]
        assert entry["min"] <= entry["median"] <= entry["max"], figure.key
        assert math.isfinite(entry["median"]), figure.key
        assert entry["median"] >= 0, figure.key
        assert len(entry["runs"]) == 1
        png = tmp_path / f"{figure.key}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", figure.key
        assert result["figures"][figure.key]["label"] == figure.label
    # What the figures say holds at this size, whatever the machine's load.
    assert figures["rows_p95_ms"]["median"] > 0
    assert figures["sweep_deleted"]["median"] >= 1  # the sweep found the deleted customers
    assert figures["random_access"]["median"] == 1  # the desk's list read rows by position
    assert 0 < figures["search_index_share"]["median"] < 1
