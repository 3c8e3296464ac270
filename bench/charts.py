"""One PNG per figure of a scale series (`bench.series`): the figure against the customer
count (log scale), one line per store with its spread bars, and the target drawn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only: no display, no Qt from here

import matplotlib.pyplot as plt

STYLES = {
    "demo": ("tab:blue", "o", "demo store (in-process)"),
    "peer": ("tab:orange", "s", "Medusa 2 peer"),
}


def draw_charts(result: dict[str, Any], out: Path) -> list[Path]:
    """Draw every figure of `result` (series.json's content) into `out`; the files."""
    paths: list[Path] = []
    series: dict[str, dict[str, Any]] = result.get("series", {})
    for key, meta in result["figures"].items():
        lines = []
        for store, sizes in series.items():
            points = sorted(
                (int(size), entry["figures"][key])
                for size, entry in sizes.items()
                if key in entry["figures"]
            )
            if points:
                lines.append((store, points))
        if lines:
            paths.append(_chart(key, meta, lines, out))
    return paths


def _chart(
    key: str,
    meta: dict[str, Any],
    lines: list[tuple[str, list[tuple[int, dict[str, Any]]]]],
    out: Path,
) -> Path:
    scale = 100.0 if meta["unit"] == "share" else 1.0
    unit = "%" if meta["unit"] == "share" else meta["unit"]
    fig, ax = plt.subplots(figsize=(6.4, 3.6), dpi=100)
    for store, points in lines:
        color, marker, label = STYLES.get(store, ("tab:gray", "^", store))
        xs = [size for size, _ in points]
        mid = [f["median"] * scale for _, f in points]
        low = [(f["median"] - f["min"]) * scale for _, f in points]
        high = [(f["max"] - f["median"]) * scale for _, f in points]
        ax.errorbar(xs, mid, yerr=[low, high], color=color, marker=marker, capsize=4, label=label)
    if meta.get("target") is not None:
        target = meta["target"] * scale
        ax.axhline(target, color="tab:red", linestyle="--", linewidth=1)
        ax.annotate(
            f"target {target:g} {unit}",
            xy=(0.01, target),
            xycoords=("axes fraction", "data"),
            textcoords="offset points",
            xytext=(0, 3),
            color="tab:red",
            fontsize=8,
        )
    ax.set_xscale("log")
    ax.set_xlabel("customers")
    ax.set_ylabel(unit)
    ax.set_title(meta["label"], fontsize=10)
    ax.set_ylim(bottom=0)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    path = out / f"{key}.png"
    fig.savefig(path)
    plt.close(fig)
    return path
