"""The full mirror against a bare paged download, alone, repeated: customers and orders.

Each run copies one generated demo store (in-process Medusa dialect) into a fresh home, so
every full mirror is a first (bulk) load, then times in the same process:
- a bare httpx download of the customer pages the mirror reads (same page size and fields),
- the full customer mirror, with the longest event-loop stall while it runs,
- a bare download of the order pages, then the full order mirror (and its longest stall).

Prints the median of `--runs` with the spread and the load average. Run from another
checkout's directory (e.g. `git archive main` unpacked) for a before/after pair.

Usage: `.venv/bin/python -m bench.mirror_sync [--customers 100000] [--runs 3]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable
from pathlib import Path

from app.backends.medusa.mapping import DETAIL_FIELDS, ORDER_SUMMARY_FIELDS
from app.mirror.service import ReadPolicy
from app.services.context import Services
from bench.mirror import bare_pages, stall_probe


async def probed(work: Awaitable[object]) -> tuple[float, float, float, float]:
    """Seconds `work` took, the longest loop stall (ms) meanwhile, and the CPU seconds it
    cost the process and the loop's thread (steadier than wall time on a busy machine)."""
    stop, stalls = asyncio.Event(), list[float]()
    probe = asyncio.ensure_future(stall_probe(stop, stalls))
    started, cpu, loop_cpu = time.perf_counter(), time.process_time(), time.thread_time()
    await work
    seconds = time.perf_counter() - started
    cpu, loop_cpu = time.process_time() - cpu, time.thread_time() - loop_cpu
    stop.set()
    await probe
    return seconds, max(stalls, default=0.0) * 1000, cpu, loop_cpu


async def cpu_timed(work: Awaitable[tuple[float, int]]) -> tuple[float, float, float]:
    cpu, loop_cpu = time.process_time(), time.thread_time()
    seconds, _rows = await work
    return seconds, time.process_time() - cpu, time.thread_time() - loop_cpu


async def one_run(orders: bool) -> dict[str, float]:
    services = Services.create()
    ctx = await services.open_store("demo", policy=ReadPolicy.MIRROR)
    out: dict[str, float] = {}
    try:
        assert ctx.mirror is not None
        engine = ctx.mirror.engine
        bare = bare_pages(ctx, "/admin/customers", "customers", DETAIL_FIELDS, engine.page_size)
        (
            out["bare_customers_s"],
            out["bare_customers_cpu"],
            out["bare_customers_loop"],
        ) = await cpu_timed(bare)
        (
            out["full_customers_s"],
            out["stall_customers_ms"],
            out["full_customers_cpu"],
            out["full_customers_loop"],
        ) = await probed(engine.full())
        if not orders:
            return out
        bare = bare_pages(
            ctx, "/admin/orders", "orders", ORDER_SUMMARY_FIELDS, engine.order_page_size
        )
        out["bare_orders_s"], out["bare_orders_cpu"], out["bare_orders_loop"] = await cpu_timed(
            bare
        )
        out["full_orders_s"], out["stall_orders_ms"], out["full_orders_cpu"], _ = await probed(
            engine.full_orders()
        )
    finally:
        await ctx.aclose()
    return out


def spread(values: list[float], digits: int = 2) -> str:
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{mid:.{digits}f} ({low:.{digits}f}–{high:.{digits}f})"


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench.mirror_sync")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--demo-store", type=Path, help="a generated demo store to copy")
    parser.add_argument("--label", default="")
    parser.add_argument("--no-orders", action="store_true", help="customers only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="md-bench-sync-") as scratch:
        template = args.demo_store
        if template is None:
            env = {**os.environ, "MERCHANT_DESK_HOME": scratch}
            subprocess.run(
                [sys.executable, "-m", "ui", "demo", "reset", "--customers", str(args.customers)],
                check=True,
                env=env,
            )
            template = Path(scratch) / "data" / "demo-store.sqlite3"
        runs: list[dict[str, float]] = []
        for i in range(args.runs):
            home = Path(scratch) / f"run{i}"
            (home / "data").mkdir(parents=True)
            shutil.copyfile(template, home / "data" / "demo-store.sqlite3")
            os.environ["MERCHANT_DESK_HOME"] = str(home)
            runs.append(asyncio.run(one_run(not args.no_orders)))
            shutil.rmtree(home)
            print(f"run {i + 1}: " + ", ".join(f"{k}={v:.2f}" for k, v in runs[-1].items()))
    col = {k: [r[k] for r in runs] for k in runs[0]}

    def ratio(kind: str, what: str) -> list[float]:
        return [r[f"full_{kind}_{what}"] / r[f"bare_{kind}_{what}"] for r in runs]

    size = f"{args.customers:,} customers" if args.demo_store is None else args.demo_store.name
    print(f"\n{args.label} {size}, median of {args.runs} (min–max)")
    for kind, target in (("customers", 1.15), ("orders", 1.2)):
        if f"bare_{kind}_s" not in col:
            continue
        print(
            f"  {kind} bare / full         {spread(col[f'bare_{kind}_s'])} / "
            f"{spread(col[f'full_{kind}_s'])} s"
        )
        print(f"  {kind} ratio (wall)        {spread(ratio(kind, 's'))}x   (<= {target}x)")
        print(f"  {kind} ratio (CPU)         {spread(ratio(kind, 'cpu'))}x")
        print(f"  {kind} longest stall       {spread(col[f'stall_{kind}_ms'], 0)} ms   (<= 50 ms)")
    print(
        "  customers loop-thread CPU  bare "
        f"{spread(col['bare_customers_loop'])} s, full {spread(col['full_customers_loop'])} s"
    )
    print(f"  load average            {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
