"""Listing 10,000 customers: the CLI (`customers list --limit 0 --format json`) versus a bare
paged download of the same data with httpx, against a real Medusa 2.21 server, in one run.

Also times the demo store's generator at 100,000 customers. Prints medians of N runs and
the ratio. Usage: `.venv/bin/python -m bench.cli_list [--runs 5] [--customers 10000]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from app.backends.medusa.mapping import SUMMARY_FIELDS
from tests.peers.medusa.fixtures import medusa_exec, start_medusa_peer, stop_medusa_peer

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "ui"]


def bare_download(url: str, email: str, password: str, page: int, fields: str | None) -> int:
    """What any script would do: log in, then GET pages by id until done."""
    with httpx.Client(base_url=url, timeout=60) as client:
        token = client.post("/auth/user/emailpass", json={"email": email, "password": password})
        headers = {"Authorization": f"Bearer {token.json()['token']}"}
        rows = 0
        last: str | None = None
        while True:
            params: dict[str, str | int] = {"limit": page, "order": "id"}
            if fields:
                params["fields"] = fields
            if last:
                params["id[$gt]"] = last
            body = client.get("/admin/customers", params=params, headers=headers).json()
            rows += len(body["customers"])
            if len(body["customers"]) < page:
                return rows
            last = body["customers"][-1]["id"]


def timed(fn: object, runs: int) -> tuple[float, list[float]]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--demo-customers", type=int, default=100_000)
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="md-bench-")
    env = {**os.environ, "MERCHANT_DESK_HOME": home, "QT_QPA_PLATFORM": "offscreen"}

    started = time.perf_counter()
    subprocess.run(
        [*CLI, "demo", "reset", "--customers", str(args.demo_customers)],
        env=env,
        check=True,
        cwd=ROOT,
    )
    print(
        f"demo store: {args.demo_customers:,} customers generated, "
        f"{time.perf_counter() - started:.1f} s wall (incl. process start)"
    )

    peer = start_medusa_peer()
    try:
        started = time.perf_counter()
        medusa_exec(peer, "scripts/bulk-seed-customers.js", str(args.customers))
        print(
            f"medusa: seeded {args.customers:,} customers in {time.perf_counter() - started:.1f} s"
        )
        env["MERCHANT_DESK_SECRET"] = peer.admin_password
        subprocess.run(
            [
                *CLI,
                "store",
                "add",
                "bench",
                "--backend",
                "medusa",
                "--url",
                peer.url,
                "--email",
                peer.admin_email,
                "--password-stdin",
            ],
            input=peer.admin_password,
            text=True,
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
        )

        def cli() -> None:
            out = subprocess.run(
                [*CLI, "--store", "bench", "customers", "list", "--limit", "0", "--format", "json"],
                env=env,
                check=True,
                cwd=ROOT,
                capture_output=True,
            ).stdout
            assert out.count(b'"id": "cus_') == args.customers

        def bare_same_fields() -> None:
            n = bare_download(peer.url, peer.admin_email, peer.admin_password, 1000, SUMMARY_FIELDS)
            assert n == args.customers

        def bare_process() -> None:
            # The same bare loop as its own process: interpreter and httpx start-up included.
            code = (
                "import sys; from bench.cli_list import bare_download; "
                "print(bare_download(*sys.argv[1:4], 1000, sys.argv[4]))"
            )
            out = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    code,
                    peer.url,
                    peer.admin_email,
                    peer.admin_password,
                    SUMMARY_FIELDS,
                ],
                env=env,
                check=True,
                cwd=ROOT,
                capture_output=True,
                text=True,
            ).stdout
            assert int(out) == args.customers

        def bare_default_fields() -> None:
            n = bare_download(peer.url, peer.admin_email, peer.admin_password, 1000, None)
            assert n == args.customers

        cli()  # warm-up: Medusa's first queries and the page cache
        results = {
            "CLI (process start, sign-in, pages of 1,000, JSON out)": timed(cli, args.runs),
            "bare httpx, same fields, pages of 1,000": timed(bare_same_fields, args.runs),
            "bare httpx as a process (start-up included)": timed(bare_process, args.runs),
            "bare httpx, default fields, pages of 1,000": timed(bare_default_fields, args.runs),
        }
    finally:
        stop_medusa_peer(peer)
    base = results["bare httpx, same fields, pages of 1,000"][0]
    for name, (median, samples) in results.items():
        runs = " ".join(f"{s:.2f}" for s in samples)
        print(f"{name}: median {median:.2f} s ({runs}); {median / base:.2f}x bare")


if __name__ == "__main__":
    main()
