"""Customer 360 at scale: the order mirror, its figures, sorts and filters, in one run.

Against the REAL Medusa 2.21.2 peer and the demo store (in-process Medusa dialect), both
with N customers (default 100,000) and at least 2 N orders, each figure the median of
`--runs` runs (default 3) with its spread:
- full order mirror versus a bare paged download of the same orders (same pages, same
  fields, same run, side by side; `bench.order_download`): target <= 1.2x;
- incremental refresh after 100 orders changed (cancelled): <= 1 s;
- editor header figures of one customer: p95 <= 5 ms;
- the list's first page sorted by Spent, and "spent at least" + a search term: p95 <= 20 ms;
- cold start to a painted list (median) <= 1 s, RSS with the list open <= 250 MB.
Records the core count and the load average; writes JSON (default
bench/results/customer360.json).

Seeding: Medusa by `medusa exec` of tests/peers/medusa/scripts/bulk-seed-customers.js and
bulk-seed-orders.js (Medusa's own modules, no HTTP); the demo store by its generator.
`--peer-env FILE` reuses an already seeded peer (the KEY=VALUE lines of `peer.sh up`).

Usage: `.venv/bin/python -m bench.customer360 [--customers 100000] [--orders 200000]
[--runs 3] [--only medusa|demo] [--out FILE]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from app.domain.query import CustomerQuery, OrderFilter, Sort, SortField
from app.mirror.service import ReadPolicy
from app.services.context import Services, StoreContext
from app.services.profiles import BackendKind, StoreProfile
from app.services.runtime import settle_after_startup
from bench.mirror import cold_start, pct, queries
from bench.order_download import bare_orders, cancel_orders
from demostore.medusa import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, create_demo_app
from tests.peers.medusa.fixtures import MedusaPeer, medusa_exec, start_medusa_peer, stop_medusa_peer

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "bench" / "results" / "customer360.json"
CHANGED = 100  # orders changed before each incremental refresh
MIN_SPENT = ("25", "50", "100", "250", "500", "1000")


ClientFor = Callable[[StoreContext], httpx.AsyncClient]


@dataclass
class Target:
    """One store under test: how the desk opens it and how a script reaches it."""

    name: str
    store: str  # the profile the desk opens
    email: str
    password: str
    client: ClientFor  # an admin API client (the open context gives the demo its store)


def figure(values: list[float], target: float | None, unit: str) -> dict[str, Any]:
    """The median of the runs, their spread, and whether the median meets the target."""
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": values,
        "unit": unit,
        "target": target,
        "met": None if target is None else statistics.median(values) <= target,
    }


async def _ms(action: Awaitable[object]) -> float:
    started = time.perf_counter()
    await action
    return (time.perf_counter() - started) * 1000


async def _first_page(ctx: StoreContext, query: CustomerQuery) -> None:
    """What the list does: the rows first, then the count."""
    await ctx.customers.search(query, count=False)
    await ctx.customers.count(query)


async def _header(ctx: StoreContext, customer_id: str) -> None:
    """What the editor header asks: the customer's figures from the mirrored orders."""
    if await ctx.customers.figures(customer_id) is None:
        raise RuntimeError(f"no figures for {customer_id}: orders not mirrored")


async def one_run(target: Target, services: Services, run: int, n_queries: int) -> dict[str, Any]:
    """A fresh mirror of the store, then every measurement once."""
    services.forget_mirror(target.store)
    ctx = await services.open_store(target.store, policy=ReadPolicy.MIRROR)
    settle_after_startup()  # as the desk does once its window is up
    out: dict[str, Any] = {}
    try:
        assert ctx.mirror is not None

        def client() -> httpx.AsyncClient:
            return target.client(ctx)

        # Customers first (bench.mirror measures that pass), so the order pass is timed on
        # its own, next to the bare download of the same orders (same pages, same fields).
        engine = ctx.mirror.engine
        started = time.perf_counter()
        customers = await engine.full()
        print(
            f"[{target.name} run {run}] {customers.fetched:,} customers mirrored in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        page = engine.order_page_size

        async def mirror_orders() -> tuple[int, float]:
            started = time.perf_counter()
            return await engine.full_orders(), time.perf_counter() - started

        # Alternate which goes first, so a drift in the machine's load (or a server warming
        # up) does not always favour the same side.
        if run % 2:
            bare = await bare_orders(client, target.email, target.password, page)
            mirrored, seconds = await mirror_orders()
        else:
            mirrored, seconds = await mirror_orders()
            bare = await bare_orders(client, target.email, target.password, page)
        out.update(
            orders=bare.orders,
            pages=bare.pages,
            bare_s=bare.seconds,
            mirror_s=seconds,
            mirror_orders=mirrored,
            ratio=seconds / bare.seconds,
        )
        print(
            f"[{target.name} run {run}] {bare.orders:,} orders in {bare.pages} pages of {page}: "
            f"bare download {bare.seconds:.1f} s, order mirror {seconds:.1f} s "
            f"({mirrored:,} orders) = {out['ratio']:.2f}x",
            flush=True,
        )
        if mirrored != bare.orders:
            raise RuntimeError(f"mirrored {mirrored} orders, the store lists {bare.orders}")
        await ctx.mirror.sync()  # what the desk's next pass does; publishes "orders mirrored"
        if not ctx.mirror.orders_mirrored:
            raise RuntimeError("the mirror does not call its orders complete")

        rng = random.Random(run)
        changed = rng.sample(bare.open_ids, min(CHANGED, len(bare.open_ids)))
        await cancel_orders(client, target.email, target.password, changed)
        started = time.perf_counter()
        report = await ctx.mirror.sync()
        out["refresh_s"] = time.perf_counter() - started
        out["refresh_changed"] = len(changed)
        if (report.orders or 0) < len(changed):
            raise RuntimeError(f"the refresh read {report.orders} orders, {len(changed)} changed")

        by_spent = CustomerQuery(sort=Sort(field=SortField.SPENT, descending=True))
        top = await ctx.customers.search(by_spent.model_copy(update={"page_size": 50}))
        some = await ctx.customers.search(CustomerQuery(page_size=1000), count=False)
        ids = [c.id for c in top.items] + [
            c.id for c in rng.sample(some.items, min(150, len(some.items)))
        ]
        header = [await _ms(_header(ctx, i)) for i in ids]
        sorted_ms = [await _ms(_first_page(ctx, by_spent)) for _ in range(n_queries)]
        samples = [
            v
            for c in some.items
            for v in (c.first_name, c.last_name, c.email, c.company)
            if v and len(v) >= 3
        ]
        filtered_ms = [
            await _ms(
                _first_page(
                    ctx,
                    by_spent.model_copy(
                        update={
                            "text": text,
                            "orders": OrderFilter(min_spent=Decimal(MIN_SPENT[i % len(MIN_SPENT)])),
                        }
                    ),
                )
            )
            for i, text in enumerate(queries(samples, n_queries, rng))
        ]
        for key, values in (("header", header), ("sorted", sorted_ms), ("filtered", filtered_ms)):
            out[f"{key}_p50_ms"], out[f"{key}_p95_ms"] = pct(values, 0.5), pct(values, 0.95)
        print(
            f"[{target.name} run {run}] refresh after {len(changed)} changes "
            f"{out['refresh_s']:.2f} s; p95: header {out['header_p95_ms']:.2f} ms, by spent "
            f"{out['sorted_p95_ms']:.2f} ms, spent >= + text {out['filtered_p95_ms']:.2f} ms",
            flush=True,
        )
    finally:
        await ctx.aclose()
    return out


def demo_target() -> Target:
    def client(ctx: StoreContext) -> httpx.AsyncClient:
        assert ctx.demo is not None
        app = create_demo_app(ctx.demo.store, ctx.demo.faults)  # type: ignore[arg-type]
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://demo.invalid", timeout=600
        )

    return Target("demo", "demo", DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, client)


def medusa_target(peer: MedusaPeer) -> Target:
    def client(ctx: StoreContext) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=peer.url, timeout=600)

    return Target("medusa", "peer", peer.admin_email, peer.admin_password, client)


def measure(
    target: Target, runs: int, n_queries: int, cold_starts: int, keep: Path | None = None
) -> dict[str, Any]:
    """`runs` runs of `one_run`, then `cold_starts` cold starts; `keep` gets each run's
    raw figures as soon as it ends (a long run stopped early still tells something)."""
    services = Services.create()
    load_before = os.getloadavg()
    results: list[dict[str, Any]] = []
    for run in range(1, runs + 1):
        results.append(asyncio.run(one_run(target, services, run, n_queries)))
        results[-1]["load_average"] = os.getloadavg()
        if keep is not None:
            keep.write_text(json.dumps(results, indent=2) + "\n")
    # The last run left a complete mirror: the desk starts on it.
    started = time.perf_counter()
    times, rss = cold_start(cold_starts, target.store)
    print(
        f"[{target.name}] cold starts {', '.join(f'{t:.2f}' for t in times)} s, RSS "
        f"{', '.join(f'{r:.0f}' for r in rss)} MB ({time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    return {
        "orders": results[0]["orders"],
        "pages": results[0]["pages"],
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "full_order_mirror_vs_bare": figure([r["ratio"] for r in results], 1.2, "x"),
        "full_order_mirror_s": figure([r["mirror_s"] for r in results], None, "s"),
        "bare_download_s": figure([r["bare_s"] for r in results], None, "s"),
        "refresh_after_100_changed_s": figure([r["refresh_s"] for r in results], 1.0, "s"),
        "header_figures_p95_ms": figure([r["header_p95_ms"] for r in results], 5.0, "ms"),
        "header_figures_p50_ms": figure([r["header_p50_ms"] for r in results], None, "ms"),
        "first_page_by_spent_p95_ms": figure([r["sorted_p95_ms"] for r in results], 20.0, "ms"),
        "spent_at_least_and_text_p95_ms": figure(
            [r["filtered_p95_ms"] for r in results], 20.0, "ms"
        ),
        "cold_start_to_painted_list_s": figure(times, 1.0, "s"),
        "rss_with_list_open_mb": figure(rss, 250.0, "MB"),
    }


def table(name: str, result: dict[str, Any]) -> list[str]:
    lines = [f"{name}: {result['orders']:,} orders in {result['pages']} pages"]
    for key, value in result.items():
        if isinstance(value, dict):
            target = "" if value["target"] is None else f"<= {value['target']:g} {value['unit']}"
            verdict = "" if value["met"] is None else ("met" if value["met"] else "MISSED")
            lines.append(
                f"  {key:<32} {value['median']:>9.2f} {value['unit']:<2} "
                f"({value['min']:.2f} .. {value['max']:.2f})  {target:<13} {verdict}"
            )
    return lines


def seed_peer(peer: MedusaPeer, customers: int, orders: int) -> dict[str, float]:
    """Customers, then orders, with Medusa's own modules in one `medusa exec` (one boot)."""
    started = time.perf_counter()
    log = medusa_exec(
        peer, "scripts/bulk-seed-orders.js", str(orders), "1000", "1", str(customers), timeout=7200
    )
    took = {
        kind: float(m.group(1))
        for kind in ("customers", "orders")
        if (m := re.search(rf"bulk-seeded \d+ {kind}.*? in ([\d.]+) s", log))
    }
    seeding = {f"{k}_s": v for k, v in took.items()} | {"wall_s": time.perf_counter() - started}
    print(f"Medusa 2.21.2 seeded {customers:,} customers and {orders:,} orders: {seeding}")
    return seeding


def peer_from_env(path: Path) -> MedusaPeer:
    env = dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return MedusaPeer(
        url=env["MEDUSA_URL"],
        admin_email=env["MEDUSA_ADMIN_EMAIL"],
        admin_password=env["MEDUSA_ADMIN_PASSWORD"],
        publishable_key=env["MEDUSA_PUBLISHABLE_KEY"],
        database=env["MEDUSA_DATABASE"],
    )


def _runs_file(out: Path | None, store: str) -> Path | None:
    if out is None:
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    return out.with_name(f"{out.stem}.{store}-runs.json")


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Everything `main` does, minus printing: the JSON document."""
    doc: dict[str, Any] = {
        "customers": args.customers,
        "runs": args.runs,
        "cores": os.cpu_count(),
        "load_average_before": os.getloadavg(),
        "stores": {},
    }
    if args.only in (None, "demo"):
        started = time.perf_counter()
        cli = [sys.executable, "-m", "ui", "demo", "reset", "--customers", str(args.customers)]
        subprocess.run(cli, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        doc["demo_generated_s"] = time.perf_counter() - started
        doc["stores"]["demo"] = measure(
            demo_target(), args.runs, args.queries, args.cold_starts, _runs_file(args.out, "demo")
        )
    if args.only in (None, "medusa"):
        peer = peer_from_env(args.peer_env) if args.peer_env else start_medusa_peer()
        try:
            if not args.peer_env:
                doc["medusa_seeding_s"] = seed_peer(peer, args.customers, args.orders)
            services = Services.create()
            services.profiles.save(
                StoreProfile(
                    name="peer", backend=BackendKind.MEDUSA, url=peer.url, email=peer.admin_email
                )
            )
            os.environ["MERCHANT_DESK_SECRET"] = peer.admin_password
            doc["stores"]["medusa"] = measure(
                medusa_target(peer),
                args.runs,
                args.queries,
                args.cold_starts,
                _runs_file(args.out, "medusa"),
            )
        finally:
            if not args.peer_env:
                stop_medusa_peer(peer)
    doc["load_average_after"] = os.getloadavg()
    return doc


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench.customer360")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=200_000, help="Medusa orders to seed")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=200, help="per p95 figure and run")
    parser.add_argument("--cold-starts", type=int, default=3)
    parser.add_argument("--only", choices=("demo", "medusa"))
    parser.add_argument("--peer-env", type=Path, help="reuse a seeded peer (peer.sh up lines)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="md-bench-360-") as home:
        os.environ["MERCHANT_DESK_HOME"] = home
        doc = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.only and args.out.exists():
        # One store measured on its own (`--only`): keep the other store's figures.
        kept = json.loads(args.out.read_text())
        kept.setdefault("stores", {}).update(doc.pop("stores"))
        doc = {**kept, **doc, "stores": kept["stores"]}
    args.out.write_text(json.dumps(doc, indent=2) + "\n")
    print(
        f"\n{args.customers:,} customers, {doc['cores']} cores, load average "
        f"{doc['load_average_before']} -> {doc['load_average_after']}"
    )
    for name, result in doc["stores"].items():
        print("\n".join(table(name, result)))
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
