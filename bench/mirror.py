"""The offline mirror at scale, side by side with the backend, in one run.

Against the demo store (in-process Medusa dialect) with N customers (default 100,000):
- search: mirror p50/p95 (through `CustomerService.search`, worker-thread hop included)
  versus the backend's `q` search, over the same queries;
- the first page of every sort order;
- full mirror time versus a bare paged httpx download of the same pages;
- the longest event-loop stall while the full mirror runs;
- an incremental refresh after 100 changes, and a deletion sweep (time, pages read);
- the mirror file's size per customer and the share of its search index;
- cold start to a painted list with everything mirrored (median of runs), the RSS with
  the list open, keystroke to painted rows and scrolling anywhere (`bench.desk_probe`:
  child processes, offscreen Qt).

The measuring functions are shared by `bench.mirror_medusa` and `bench.series`.

Usage: `.venv/bin/python -m bench.mirror [--customers 100000] [--queries 200] [--runs 5]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from app.backends.medusa.mapping import DETAIL_FIELDS
from app.backends.protocols import SupportsCustomerDirectory, SupportsCustomerWrite
from app.domain.patch import CustomerPatch
from app.domain.query import RECORD_SORTS, CustomerQuery, Sort
from app.mirror.service import MirrorService, ReadPolicy
from app.mirror.store import delete_mirror
from app.mirror.sync import SyncProgress
from app.services.context import Services, StoreContext
from app.services.runtime import settle_after_startup
from demostore.medusa import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, create_demo_app

ROOT = Path(__file__).resolve().parents[1]
Figures = dict[str, float]
BareDownload = Callable[[int], Awaitable[tuple[float, int]]]
SWEEP_DELETIONS = 10  # customers deleted in the store before the sweep looks for them


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def bare_pages(
    ctx: StoreContext, path: str, key: str, fields: str, page: int
) -> tuple[float, int]:
    """What any script would do: log in, then GET pages by id until done (the adapter's
    keyset: `order=id`, `id[$gt]`, `offset=0`). Seconds and rows."""
    assert ctx.demo is not None
    app = create_demo_app(ctx.demo.store, ctx.demo.faults)  # type: ignore[arg-type]
    started = time.perf_counter()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://demo.invalid", timeout=120
    ) as client:
        login = await client.post(
            "/auth/user/emailpass",
            json={"email": DEMO_ADMIN_EMAIL, "password": DEMO_ADMIN_PASSWORD},
        )
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        count, last = 0, None
        while True:
            params: dict[str, str | int] = {"limit": page, "order": "id", "fields": fields}
            params["offset"] = 0
            if last:
                params["id[$gt]"] = last
            rows = (await client.get(path, params=params, headers=headers)).json()[key]
            count += len(rows)
            if len(rows) < page:
                return time.perf_counter() - started, count
            last = rows[-1]["id"]


async def bare_download(ctx: StoreContext, page: int) -> tuple[float, int]:
    """The customers, with the fields the mirror asks for."""
    return await bare_pages(ctx, "/admin/customers", "customers", DETAIL_FIELDS, page)


async def stall_probe(stop: asyncio.Event, stalls: list[float]) -> None:
    tick = 0.005
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(tick)
        stalls.append(time.perf_counter() - before - tick)


def queries(samples: list[str], count: int, rng: random.Random) -> list[str]:
    out = ["an", "e", "zoe", "müller", "gmail", "+49", "straße", "anna schr", "gmbh"]
    while len(out) < count:
        value = rng.choice(samples)
        start = rng.randrange(max(1, len(value) - 3))
        out.append(value[start : start + rng.randint(3, 9)])
    return out[:count]


def mirror_of(ctx: StoreContext) -> MirrorService:
    assert ctx.mirror is not None
    return ctx.mirror


async def full_mirror(ctx: StoreContext, bare: BareDownload) -> Figures:
    """The bare download, then the full mirror with a heartbeat on the event loop."""
    mirror = mirror_of(ctx)
    bare_s, _rows = await bare(mirror.engine.page_size)
    stop, stalls = asyncio.Event(), list[float]()
    probe = asyncio.ensure_future(stall_probe(stop, stalls))
    report = await mirror.sync(full=True)
    stop.set()
    await probe
    return {
        "bare_download_s": bare_s,
        "full_mirror_s": report.seconds,
        "mirror_ratio": report.seconds / bare_s,
        "max_stall_ms": max(stalls) * 1000,
        "mirrored": float(report.fetched),
    }


async def sample_texts(ctx: StoreContext, count: int, seed: int = 1) -> list[str]:
    """Search terms: fixed hard ones, then pieces of real names, emails, phones."""
    page = await ctx.customers.search(CustomerQuery(page_size=1000), count=False)
    samples = [
        v
        for c in page.items
        for v in (c.first_name, c.last_name, c.email, c.phone, c.company)
        if v and len(v) >= 3
    ]
    return queries(samples, count, random.Random(seed))


async def search_figures(ctx: StoreContext, texts: list[str], backend_queries: int) -> Figures:
    """What the desk does per search (rows first, then the count) and the backend's q."""
    rows_ms: list[float] = []
    count_ms: list[float] = []
    backend_ms: list[float] = []
    for text in texts:
        query = CustomerQuery(text=text, page_size=100)
        t = time.perf_counter()
        await ctx.customers.search(query, count=False)  # ready + MIRROR: the local store
        rows_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        await ctx.customers.count(query)
        count_ms.append((time.perf_counter() - t) * 1000)
    directory = ctx.backend
    assert isinstance(directory, SupportsCustomerDirectory)
    for text in texts[:backend_queries]:
        t = time.perf_counter()
        await directory.list_customers(CustomerQuery(text=text, page_size=100))
        backend_ms.append((time.perf_counter() - t) * 1000)
    out: Figures = {}
    for name, values in (("rows", rows_ms), ("count", count_ms), ("backend", backend_ms)):
        if values:
            out[f"{name}_p50_ms"] = pct(values, 0.5)
            out[f"{name}_p95_ms"] = pct(values, 0.95)
    if backend_ms:
        out["speedup_rows_p95"] = out["backend_p95_ms"] / out["rows_p95_ms"]
    return out


async def sort_figures(ctx: StoreContext, texts: list[str]) -> Figures:
    """The first page (rows shown) of every sort order, both ways, with and without text:
    p95 per column, and the slowest column's."""
    out: Figures = {}
    for field in sorted(RECORD_SORTS):
        times: list[float] = []
        for descending in (False, True):
            for text in ["", *texts]:
                query = CustomerQuery(
                    text=text, page_size=100, sort=Sort(field=field, descending=descending)
                )
                t = time.perf_counter()
                await ctx.customers.search(query, count=False)
                times.append((time.perf_counter() - t) * 1000)
        out[f"sort_{field.value}_p95_ms"] = pct(times, 0.95)
    out["sort_p95_ms"] = max(out.values())
    return out


async def refresh_figures(ctx: StoreContext, changes: int = 100) -> Figures:
    writer = ctx.backend
    assert isinstance(writer, SupportsCustomerWrite)
    page = await ctx.customers.search(CustomerQuery(page_size=changes), count=False)
    stamp = int(time.time())
    for i, customer in enumerate(page.items):
        await writer.update_customer(customer.id, CustomerPatch(company=f"Bench {stamp} {i}"))
    report = await mirror_of(ctx).sync()
    return {"refresh_100_s": report.seconds, "refresh_fetched": float(report.fetched)}


async def sweep_figures(ctx: StoreContext, deletions: int = SWEEP_DELETIONS) -> Figures:
    """Customers deleted in the store leave no trace a refresh can see: the sweep lists
    everything to find them. Its time and the pages it read."""
    writer = ctx.backend
    assert isinstance(writer, SupportsCustomerWrite)
    page = await ctx.customers.search(
        CustomerQuery(page_size=deletions, sort=Sort(descending=True)), count=False
    )
    for customer in page.items:
        await writer.delete_customer(customer.id)
    pages = 0

    def progress(_p: SyncProgress) -> None:
        nonlocal pages
        pages += 1

    report = await mirror_of(ctx).engine.sweep(progress)
    return {
        "sweep_s": report.seconds,
        "sweep_pages": float(pages),
        "sweep_deleted": float(report.deleted),
    }


def file_figures(path: Path, customers: int) -> Figures:
    """The closed mirror file: bytes per customer, and the share of the search index
    (the FTS5 trigram tables, and the narrow text index scans use), from dbstat."""
    size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    out: Figures = {"file_mb": size / 1e6, "bytes_per_customer": size / max(customers, 1)}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        try:
            sizes = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
        except sqlite3.OperationalError:  # no dbstat in this SQLite: leave the shares out
            return out
    total = sum(sizes.values()) or 1
    fts = sum(v for k, v in sizes.items() if k.startswith("customer_fts"))
    out["fts_share"] = fts / total
    out["text_index_share"] = sizes.get("customer_by_text", 0) / total
    out["search_index_share"] = out["fts_share"] + out["text_index_share"]
    return out


async def store_figures(
    ctx: StoreContext,
    bare: BareDownload,
    *,
    queries_count: int,
    backend_queries: int,
    sort_queries: int = 4,
) -> Figures:
    """Every figure of one store, from an empty mirror: mirror, search, sort, refresh, sweep."""
    settle_after_startup()  # as the desk does once its window is up
    out = await full_mirror(ctx, bare)
    texts = await sample_texts(ctx, queries_count)
    out |= await search_figures(ctx, texts, backend_queries)
    out |= await sort_figures(ctx, texts[-sort_queries:] if sort_queries else [])
    out |= await refresh_figures(ctx)
    out |= await sweep_figures(ctx)
    return out


async def demo_run(
    services: Services,
    *,
    queries_count: int,
    backend_queries: int,
    sort_queries: int = 4,
    reuse_mirror: bool = False,
) -> Figures:
    """One run against the demo store, from a new mirror file; the mirror stays complete.
    `reuse_mirror`: on the complete mirror already there, only what reads it (search,
    count, sort, the file), none of what builds or changes it."""
    if not reuse_mirror:
        delete_mirror(services.paths.data / "mirrors", "demo")
    ctx = await services.open_store("demo", policy=ReadPolicy.MIRROR)
    try:
        if reuse_mirror:
            settle_after_startup()
            texts = await sample_texts(ctx, queries_count)
            out = await search_figures(ctx, texts, backend_queries)
            out |= await sort_figures(ctx, texts[-sort_queries:] if sort_queries else [])
            out["mirrored"] = float(mirror_of(ctx).state.customers)
        else:
            out = await store_figures(
                ctx,
                lambda page: bare_download(ctx, page),
                queries_count=queries_count,
                backend_queries=backend_queries,
                sort_queries=sort_queries,
            )
        customers = int(out["mirrored"])
    finally:
        await ctx.aclose()
    return out | file_figures(services.mirror_path("demo"), customers)


def seed_demo(customers: int) -> float:
    """A new demo store of `customers` (in MERCHANT_DESK_HOME); seconds it took."""
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ui", "demo", "reset", "--customers", str(customers)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t


def cold_start(runs: int, store: str | None = None) -> tuple[list[float], list[float]]:
    """`runs` cold starts of the desk on `store` (None: the default store): seconds to a
    painted list and the RSS with it open, per run."""
    times, rss = [], []
    for _ in range(runs):
        figures = desk_run([], store=store)
        times.append(figures["cold_start_s"])
        rss.append(figures["rss_mb"])
    return times, rss


def desk_run(texts: list[str], keystrokes: int = 40, *, store: str | None = None) -> Figures:
    """One child process of the desk (`bench.desk_probe`): cold start to a painted list,
    RSS, keystroke to painted rows, scrolling anywhere."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.desk_probe", repr(time.time()), json.dumps(texts)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "KEYSTROKES": str(keystrokes),
            "DESK_STORE": store or "",
        },
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.desk_probe failed ({done.returncode}):\n{done.stderr[-2000:]}")
    out = done.stdout
    figures: Figures = json.loads(out.strip().splitlines()[-1])
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench.mirror")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--backend-queries", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="md-bench-") as home:
        os.environ["MERCHANT_DESK_HOME"] = home
        print(f"demo store generated in {seed_demo(args.customers):.1f} s", flush=True)
        services = Services.create()
        r = asyncio.run(
            demo_run(services, queries_count=args.queries, backend_queries=args.backend_queries)
        )
        texts = asyncio.run(desk_texts(services))
        desks = [desk_run(texts) for _ in range(args.runs)]
    times = [d["cold_start_s"] for d in desks]
    r["cold_start_median_s"] = statistics.median(times)
    r["rss_mb"] = max(d["rss_mb"] for d in desks)
    r["keystroke_p95_ms"] = statistics.median(d["keystroke_p95_ms"] for d in desks)
    r["scroll_ms"] = statistics.median(d["scroll_ms"] for d in desks)
    rows = [
        ("rows shown p50 / p95", f"{r['rows_p50_ms']:.2f} / {r['rows_p95_ms']:.2f} ms", ""),
        ("count p50 / p95", f"{r['count_p50_ms']:.2f} / {r['count_p95_ms']:.2f} ms", ""),
        (
            "backend q search p50 / p95",
            f"{r['backend_p50_ms']:.1f} / {r['backend_p95_ms']:.1f} ms",
            "",
        ),
        ("rows shown speed-up (p95)", f"{r['speedup_rows_p95']:.0f}x", ">= 10x"),
        ("sort first page p95 (worst column)", f"{r['sort_p95_ms']:.1f} ms", ""),
        ("keystroke to painted rows p95", f"{r['keystroke_p95_ms']:.1f} ms", "<= 50 ms"),
        ("scroll anywhere, painted", f"{r['scroll_ms']:.1f} ms", "<= 100 ms"),
        (
            "full mirror / bare download",
            f"{r['full_mirror_s']:.1f} s / {r['bare_download_s']:.1f} s = {r['mirror_ratio']:.2f}x",
            "<= 1.2x",
        ),
        ("refresh after 100 changes", f"{r['refresh_100_s']:.2f} s", "<= 1 s"),
        ("deletion sweep", f"{r['sweep_s']:.1f} s, {r['sweep_pages']:.0f} pages", ""),
        (
            "cold start to painted list",
            f"{r['cold_start_median_s']:.2f} s (median of "
            f"{args.runs}: {', '.join(f'{t:.2f}' for t in times)})",
            "<= 1 s",
        ),
        ("longest loop stall, full mirror", f"{r['max_stall_ms']:.0f} ms", "<= 50 ms"),
        ("RSS with the list open", f"{r['rss_mb']:.0f} MB", "<= 250 MB"),
        (
            "mirror file",
            f"{r['bytes_per_customer']:.0f} B/customer, "
            f"search index {r.get('search_index_share', 0) * 100:.0f}%",
            "",
        ),
    ]
    print(f"\n{args.customers:,} customers, demo store")
    for name, value, target in rows:
        print(f"  {name:<36} {value:<44} {target}")
    return 0


async def desk_texts(services: Services, count: int = 8) -> list[str]:
    """Terms to type in the desk: pieces of real values (from the demo store's mirror),
    other than the ones `sample_texts` starts with."""
    ctx = await services.open_store("demo", policy=ReadPolicy.MIRROR)
    try:
        texts = await sample_texts(ctx, count + 30, seed=2)
        return [t for t in texts[9:] if len(t) >= 3][:count]
    finally:
        await ctx.aclose()


if __name__ == "__main__":
    sys.exit(main())
