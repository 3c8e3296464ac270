"""The mirror benchmarks as a scale series: 10,000, 100,000 and 1,000,000 customers.

Per size, the demo store (in-process Medusa dialect) is seeded once, then each run starts
from an empty mirror file and measures everything `bench.mirror` does (full mirror versus
a bare download, event-loop stalls, search and count, sort, refresh, deletion sweep, the
mirror file), then starts the real desk in a child process (`bench.desk_probe`: cold
start, RSS, keystroke to painted rows, scrolling anywhere). The real Medusa peer runs at
100,000 customers (and 1,000,000 with `--big`), seeded in-process through `medusa exec`.

Every figure is the median of the runs with its spread (min, max). Writes
`series.json` (figures, machine cores, load average sampled during the run), one PNG
chart per figure and `series.md` (the figures table) into the output directory
(bench/results by default).

Usage: `.venv/bin/python -m bench.series [--sizes 10000,100000] [--runs 3] [--big]
[--no-peer] [--out DIR]`
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.mirror.store import delete_mirror
from app.services.context import Services
from bench import mirror
from bench.charts import draw_charts

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "bench" / "results"
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
PEER_SIZES = (100_000,)
BIG_PEER_SIZE = 1_000_000


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    target: float | None  # a limit: smaller is better for every figure here
    source: str  # who set the target


FIGURES = (
    Figure("rows_p95_ms", "Search: rows shown p95", "ms", 5.0, "issue 5"),
    Figure("count_p95_ms", "Search: exact count p95", "ms", 10.0, "issue 16"),
    Figure("keystroke_p95_ms", "Keystroke to painted rows p95", "ms", 50.0, "issue 16"),
    Figure("sort_p95_ms", "Sort: first page p95 (slowest column)", "ms", 20.0, "issue 16"),
    Figure(
        "scroll_ms", "Scroll anywhere (Ctrl+End, drag) to painted rows", "ms", 100.0, "issue 16"
    ),
    Figure("cold_start_s", "Cold start to painted list", "s", 1.0, "issue 5"),
    Figure("rss_mb", "RSS with the list open", "MB", 250.0, "issue 5"),
    Figure("mirror_ratio", "Full mirror / bare paged download", "x", 1.15, "issue 16"),
    Figure("refresh_100_s", "Refresh after 100 changes", "s", 1.0, "issue 5"),
    Figure("sweep_s", "Deletion sweep", "s", None, ""),
    Figure("sweep_pages", "Deletion sweep: pages read", "pages", None, ""),
    Figure("bytes_per_customer", "Mirror file per customer", "bytes", None, ""),
    Figure("search_index_share", "Search index share of the mirror file", "share", None, ""),
    Figure("max_stall_ms", "Longest event-loop stall, full mirror", "ms", 50.0, "issue 5"),
    Figure("seed_s", "Seeding the store", "s", None, ""),
)
DESK_FIGURES = frozenset({"keystroke_p95_ms", "scroll_ms", "cold_start_s", "rss_mb"})


class LoadSampler:
    """The machine's 1-minute load average, sampled every few seconds in a thread."""

    def __init__(self, every: float = 5.0) -> None:
        self.every = every
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="load-sampler", daemon=True)

    def _run(self) -> None:
        while True:
            self.samples.append(os.getloadavg()[0])
            if self._stop.wait(self.every):
                return

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, Any]:
        values = self.samples or [os.getloadavg()[0]]
        return {
            "min": min(values),
            "max": max(values),
            "mean": statistics.fmean(values),
            "samples": [round(v, 2) for v in values],
        }


def spread(values: list[float]) -> dict[str, Any]:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": values,
    }


def aggregate(runs: list[dict[str, float]], extra: dict[str, float]) -> dict[str, Any]:
    keys = sorted({k for r in runs for k in r} | set(extra))
    out: dict[str, Any] = {}
    for key in keys:
        values = [extra[key]] if key in extra else [r[key] for r in runs if key in r]
        if values:
            out[key] = spread(values)
    return out


@contextmanager
def home(prefix: str, keep: Path | None = None) -> Iterator[Path]:
    """MERCHANT_DESK_HOME for one size (child processes inherit it): a fresh temporary
    folder, or `keep` (made if missing, left in place for a later `--desk-only`)."""
    before = os.environ.get("MERCHANT_DESK_HOME")
    with tempfile.TemporaryDirectory(prefix=prefix) as directory:
        folder = keep if keep is not None else Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["MERCHANT_DESK_HOME"] = str(folder)
        try:
            yield folder
        finally:
            if before is None:
                os.environ.pop("MERCHANT_DESK_HOME", None)
            else:
                os.environ["MERCHANT_DESK_HOME"] = before


def demo_series(size: int, args: argparse.Namespace, previous: dict[str, Any]) -> dict[str, Any]:
    """The demo store at `size`: seeded (unless `--home` holds it seeded already), then
    `--runs` runs; store figures (mirror, search, sweep...) in `--heavy-runs` of them
    from 1,000,000 customers. `--desk-only` measures the desk again on a kept home and
    keeps the store figures of `previous` (the same size in an earlier series.json)."""
    keep = args.home / str(size) if args.home is not None else None
    heavy = args.runs if size < 1_000_000 or args.heavy_runs is None else args.heavy_runs
    with home("md-series-demo-", keep) as folder, LoadSampler() as load:
        marker = folder / "seeded-seconds"
        if marker.exists():
            seed_s = float(marker.read_text())
        else:
            seed_s = mirror.seed_demo(size)
            marker.write_text(str(seed_s))
        print(f"demo {size:,}: seeded in {seed_s:.1f} s", flush=True)
        runs: list[dict[str, float]] = []
        for run in range(args.runs):
            services = Services.create()
            figures: dict[str, float] = {}
            if run < heavy and not args.desk_only:
                figures = asyncio.run(
                    mirror.demo_run(
                        services,
                        queries_count=args.queries,
                        backend_queries=args.backend_queries,
                        sort_queries=args.sort_queries,
                        reuse_mirror=args.reuse_mirror,
                    )
                )
            texts = asyncio.run(mirror.desk_texts(services, args.typed))
            figures |= mirror.desk_run(texts, args.keystrokes)
            runs.append(figures)
            print(f"demo {size:,} run {run + 1}: {brief(figures)}", flush=True)
    result: dict[str, Any] = {
        "figures": aggregate(runs, {"seed_s": seed_s}),
        "load": load.summary(),
    }
    if (args.desk_only or args.reuse_mirror) and previous:
        kept = {k: v for k, v in previous["figures"].items() if k not in result["figures"]}
        result["figures"] = kept | result["figures"]
        result["store_load"] = previous.get("store_load", previous.get("load"))
    return result


def peer_series(size: int, args: argparse.Namespace) -> dict[str, Any]:
    from tests.peers.medusa.fixtures import medusa_exec, start_medusa_peer, stop_medusa_peer

    with home("md-series-peer-"), LoadSampler() as load:
        peer = start_medusa_peer()
        try:
            started = time.perf_counter()
            medusa_exec(peer, "scripts/bulk-seed-customers.js", str(size), timeout=7200)
            seed_s = time.perf_counter() - started
            print(f"peer {size:,}: seeded in {seed_s:.1f} s", flush=True)
            runs = []
            for run in range(args.peer_runs or args.runs):
                figures = asyncio.run(
                    peer_run(peer.url, peer.admin_email, peer.admin_password, args)
                )
                runs.append(figures)
                print(f"peer {size:,} run {run + 1}: {brief(figures)}", flush=True)
        finally:
            stop_medusa_peer(peer)
    return {"figures": aggregate(runs, {"seed_s": seed_s}), "load": load.summary()}


async def peer_run(
    url: str, email: str, password: str, args: argparse.Namespace
) -> dict[str, float]:
    """One run from an empty mirror of the peer's store."""
    from bench.mirror_medusa import STORE, measure

    delete_mirror(Services.create().paths.data / "mirrors", STORE)
    return await measure(
        url, email, password, queries=args.queries, backend_queries=args.backend_queries
    )


def brief(figures: dict[str, float]) -> str:
    keys = [f.key for f in FIGURES if f.key in figures]
    return ", ".join(f"{k}={figures[k]:.3g}" for k in keys)


def _value(entry: dict[str, Any], unit: str) -> str:
    scale, shown = (100.0, "%") if unit == "share" else (1.0, unit)
    mid, low, high = (entry[k] * scale for k in ("median", "min", "max"))
    digits = 0 if mid >= 100 or unit in ("pages", "bytes") else 1 if mid >= 10 else 2
    text, spread = f"{mid:.{digits}f}", f"{low:.{digits}f}–{high:.{digits}f}"
    if spread != f"{text}–{text}":  # no spread shown where the runs agree
        text += f" ({spread})"
    return f"{text} {shown}"


def markdown_table(result: dict[str, Any]) -> str:
    """Every figure at every size beside its target: median (min–max)."""
    columns = [
        (store, size)
        for store in ("demo", "peer")
        for size in sorted(result.get("series", {}).get(store, {}), key=int)
    ]
    head = ["figure", "target"] + [f"{store} {int(size):,}" for store, size in columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, meta in result["figures"].items():
        target = meta.get("target")
        unit = "%" if meta["unit"] == "share" else meta["unit"]
        row = [meta["label"], "—" if target is None else f"≤ {target:g} {unit}"]
        for store, size in columns:
            entry = result["series"][store][size]["figures"].get(key)
            row.append("—" if entry is None else _value(entry, meta["unit"]))
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def load_previous(path: Path) -> dict[str, Any]:
    if path.exists():
        previous: dict[str, Any] = json.loads(path.read_text())
        return previous
    return {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.series")
    parser.add_argument(
        "--sizes", default=",".join(str(s) for s in DEFAULT_SIZES), help="demo store sizes"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big", action="store_true", help="the Medusa peer at 1,000,000 too")
    parser.add_argument("--no-peer", action="store_true", help="the demo store only")
    parser.add_argument("--peer-sizes", default=",".join(str(s) for s in PEER_SIZES))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--backend-queries", type=int, default=30)
    parser.add_argument("--sort-queries", type=int, default=4)
    parser.add_argument("--typed", type=int, default=8, help="terms typed into the desk")
    parser.add_argument("--keystrokes", type=int, default=40)
    parser.add_argument(
        "--merge", action="store_true", help="keep the other sizes of an earlier series.json"
    )
    parser.add_argument("--peer-runs", type=int, help="runs against the peer (default --runs)")
    parser.add_argument(
        "--redraw", action="store_true", help="only draw the charts and table of series.json"
    )
    parser.add_argument(
        "--heavy-runs",
        type=int,
        help="runs of the store figures (full mirror, sweep...) from 1,000,000 customers",
    )
    parser.add_argument(
        "--home", type=Path, help="keep each size's seeded store and mirror under this folder"
    )
    parser.add_argument(
        "--reuse-mirror",
        action="store_true",
        help="on the complete mirror --home holds: search, sort, file and desk figures only",
    )
    parser.add_argument(
        "--desk-only",
        action="store_true",
        help="only the desk's figures, on the stores --home kept (implies --merge)",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    peer_sizes = [] if args.no_peer else [int(s) for s in args.peer_sizes.split(",") if s]
    if args.big and not args.no_peer:
        peer_sizes.append(BIG_PEER_SIZE)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "series.json"
    if args.redraw:
        return report(load_previous(path), args.out)
    result = load_previous(path) if args.merge or args.desk_only else {}
    result.update(
        machine=machine(),
        runs=args.runs,
        figures={
            f.key: {"label": f.label, "unit": f.unit, "target": f.target, "source": f.source}
            for f in FIGURES
        },
    )
    series: dict[str, dict[str, Any]] = result.setdefault("series", {})
    started = time.perf_counter()
    for size in sizes:
        demo = series.setdefault("demo", {})
        demo[str(size)] = demo_series(size, args, demo.get(str(size), {}))
        path.write_text(json.dumps(result, indent=1))  # what is done so far survives
    for size in peer_sizes:
        series.setdefault("peer", {})[str(size)] = peer_series(size, args)
        path.write_text(json.dumps(result, indent=1))
    result["seconds"] = time.perf_counter() - started
    path.write_text(json.dumps(result, indent=1))
    print(f"series: {path} ({result['seconds']:.0f} s)")
    return report(result, args.out)


def report(result: dict[str, Any], out: Path) -> int:
    """The charts and the figures table (series.md) of `result`."""
    for chart in draw_charts(result, out):
        print(f"chart: {chart}")
    table = markdown_table(result)
    (out / "series.md").write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
