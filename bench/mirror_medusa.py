"""The offline mirror against a real Medusa 2.21 server (the test peer), in one run.

Seeds N customers with Medusa's own workflow (`medusa exec`), then measures side by side:
- full mirror time versus a bare paged httpx download of the same pages (same fields);
- the longest event-loop stall during the full mirror (a 5 ms heartbeat);
- mirror search (rows shown, then the count) versus Medusa's `q` over the same queries;
- an incremental refresh after 100 customers changed.

Usage: `.venv/bin/python -m bench.mirror_medusa [--customers 100000] [--queries 200]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time

import httpx

from app.backends.medusa import MedusaAdapter
from app.backends.medusa.mapping import DETAIL_FIELDS
from app.domain.patch import CustomerPatch
from app.domain.query import CustomerQuery
from app.mirror.service import ReadPolicy
from app.services.context import Services
from app.services.profiles import BackendKind, StoreProfile
from app.services.runtime import settle_after_startup
from bench.mirror import pct, queries, stall_probe
from tests.peers.medusa.fixtures import medusa_exec, start_medusa_peer, stop_medusa_peer


async def bare_download(url: str, email: str, password: str, page: int) -> tuple[float, int]:
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        login = await client.post(
            "/auth/user/emailpass", json={"email": email, "password": password}
        )
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        rows, last = 0, None
        while True:
            params: dict[str, str | int] = {"limit": page, "order": "id", "fields": DETAIL_FIELDS}
            if last:
                params["id[$gt]"] = last
            body = (await client.get("/admin/customers", params=params, headers=headers)).json()
            rows += len(body["customers"])
            if len(body["customers"]) < page:
                return time.perf_counter() - started, rows
            last = body["customers"][-1]["id"]


async def measure(args: argparse.Namespace, url: str, email: str, password: str) -> None:
    services = Services.create()
    services.profiles.save(
        StoreProfile(name="peer", backend=BackendKind.MEDUSA, url=url, email=email)
    )
    os.environ["MERCHANT_DESK_SECRET"] = password
    ctx = await services.open_store("peer", policy=ReadPolicy.MIRROR)
    settle_after_startup()  # as the desk does once its window is up
    try:
        assert ctx.mirror is not None
        bare, rows = await bare_download(url, email, password, ctx.mirror.engine.page_size)
        stop, stalls = asyncio.Event(), list[float]()
        probe = asyncio.ensure_future(stall_probe(stop, stalls))
        report = await ctx.mirror.sync(full=True)
        stop.set()
        await probe
        print(f"bare httpx download: {rows:,} customers in {bare:.1f} s")
        print(
            f"full mirror: {report.fetched:,} customers in {report.seconds:.1f} s "
            f"= {report.seconds / bare:.2f}x bare (target <= 1.2x)"
        )
        print(
            f"longest event-loop stall during the full mirror: {max(stalls) * 1000:.0f} ms "
            "(target <= 50 ms)"
        )

        first = await ctx.customers.search(CustomerQuery(page_size=1000))
        samples = [
            v
            for c in first.items
            for v in (c.first_name, c.last_name, c.email, c.phone, c.company)
            if v and len(v) >= 3
        ]
        texts = queries(samples, args.queries, random.Random(1))
        rows_ms, count_ms, server_ms = [], [], []
        assert isinstance(ctx.backend, MedusaAdapter)
        for text in texts:
            query = CustomerQuery(text=text, page_size=100)
            t = time.perf_counter()
            await ctx.customers.search(query, count=False)
            rows_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            await ctx.customers.count(query)
            count_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            await ctx.backend.list_customers(query)
            server_ms.append((time.perf_counter() - t) * 1000)
        for name, values in (
            ("mirror rows shown", rows_ms),
            ("mirror count", count_ms),
            ("Medusa q (rows + count)", server_ms),
        ):
            print(f"{name}: p50 {pct(values, 0.5):.2f} ms, p95 {pct(values, 0.95):.2f} ms")
        print(
            f"speed-up at p95 (rows shown): {pct(server_ms, 0.95) / pct(rows_ms, 0.95):.0f}x; "
            f"(rows + count): "
            f"{pct(server_ms, 0.95) / (pct(rows_ms, 0.95) + pct(count_ms, 0.95)):.0f}x"
        )

        for i, customer in enumerate(first.items[:100]):
            await ctx.backend.update_customer(customer.id, CustomerPatch(company=f"Bench {i}"))
        report = await ctx.mirror.sync()
        print(
            f"refresh after 100 changes: {report.fetched} customers in {report.seconds:.2f} s "
            "(target <= 1 s)"
        )
    finally:
        await ctx.aclose()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    os.environ["MERCHANT_DESK_HOME"] = tempfile.mkdtemp(prefix="md-bench-medusa-")
    peer = start_medusa_peer()
    try:
        started = time.perf_counter()
        medusa_exec(peer, "scripts/bulk-seed-customers.js", str(args.customers))
        print(
            f"Medusa 2.21.2: seeded {args.customers:,} customers in "
            f"{time.perf_counter() - started:.1f} s"
        )
        asyncio.run(measure(args, peer.url, peer.admin_email, peer.admin_password))
    finally:
        stop_medusa_peer(peer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
