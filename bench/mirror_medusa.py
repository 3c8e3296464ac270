"""The offline mirror against a real Medusa 2.21 server (the test peer), in one run.

Seeds N customers with Medusa's own workflow (`medusa exec`), then measures side by side
(with `bench.mirror`'s functions):
- full mirror time versus a bare paged httpx download of the same pages (same fields);
- the longest event-loop stall during the full mirror (a 5 ms heartbeat);
- mirror search (rows shown, then the count) versus Medusa's `q` over the same queries;
- the first page of every sort order, a refresh after 100 changes, a deletion sweep;
- the mirror file's size per customer and its search index's share.

Usage: `.venv/bin/python -m bench.mirror_medusa [--customers 100000] [--queries 200]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time

import httpx

from app.backends.medusa.mapping import DETAIL_FIELDS
from app.mirror.service import ReadPolicy
from app.services.context import Services
from app.services.profiles import BackendKind, StoreProfile
from bench.mirror import Figures, file_figures, store_figures
from tests.peers.medusa.fixtures import medusa_exec, start_medusa_peer, stop_medusa_peer

STORE = "peer"


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


async def measure(
    url: str, email: str, password: str, *, queries: int, backend_queries: int
) -> Figures:
    """One run from an empty mirror of the peer's store (a profile named "peer")."""
    services = Services.create()
    services.profiles.save(
        StoreProfile(name=STORE, backend=BackendKind.MEDUSA, url=url, email=email)
    )
    os.environ["MERCHANT_DESK_SECRET"] = password
    ctx = await services.open_store(STORE, policy=ReadPolicy.MIRROR)
    try:
        r = await store_figures(
            ctx,
            lambda page: bare_download(url, email, password, page),
            queries_count=queries,
            backend_queries=backend_queries,
        )
    finally:
        await ctx.aclose()
    return r | file_figures(services.mirror_path(STORE), int(r["mirrored"]))


def report(r: Figures) -> None:
    print(f"bare httpx download: {r['bare_download_s']:.1f} s")
    print(
        f"full mirror: {r['mirrored']:,.0f} customers in {r['full_mirror_s']:.1f} s "
        f"= {r['mirror_ratio']:.2f}x bare (target <= 1.2x)"
    )
    print(f"longest event-loop stall during the full mirror: {r['max_stall_ms']:.0f} ms (<= 50)")
    for name, key in (
        ("mirror rows shown", "rows"),
        ("mirror count", "count"),
        ("Medusa q (rows + count)", "backend"),
    ):
        print(f"{name}: p50 {r[f'{key}_p50_ms']:.2f} ms, p95 {r[f'{key}_p95_ms']:.2f} ms")
    print(f"speed-up at p95 (rows shown): {r['speedup_rows_p95']:.0f}x")
    print(f"sort, first page p95 (slowest column): {r['sort_p95_ms']:.1f} ms")
    print(f"refresh after 100 changes: {r['refresh_100_s']:.2f} s (target <= 1 s)")
    print(f"deletion sweep: {r['sweep_s']:.1f} s, {r['sweep_pages']:.0f} pages read")
    print(
        f"mirror file: {r['bytes_per_customer']:.0f} bytes per customer, "
        f"search index {r.get('search_index_share', 0) * 100:.0f}%"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench.mirror_medusa")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--backend-queries", type=int, default=200)
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
        report(
            asyncio.run(
                measure(
                    peer.url,
                    peer.admin_email,
                    peer.admin_password,
                    queries=args.queries,
                    backend_queries=args.backend_queries,
                )
            )
        )
    finally:
        stop_medusa_peer(peer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
