"""`merchant-desk demo reset|serve`: the embedded demo store from the command line."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from app.cli.usage import UsageError
from app.services.context import Services
from app.services.demo import demo_database
from demostore.core import DemoStore, FaultSettings, generate, open_demo
from demostore.medusa import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, create_demo_app

SERVE_NEEDS_UVICORN = (
    "'demo serve' needs uvicorn, which is not installed: "
    "pip install 'merchant-desk[serve]' (or: pip install uvicorn)"
)


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def run_demo(services: Services, args: argparse.Namespace) -> int:
    path = Path(demo_database(services.paths))
    if args.action == "reset":
        if args.customers < 0:
            raise UsageError("--customers must be 0 or more")
        _remove_database(path)
        started = time.perf_counter()
        store = DemoStore(path)
        await store.open()
        try:
            report = await generate(store, customers=args.customers, seed=args.seed)
        finally:
            await store.aclose()
        print(
            f"Demo store reset: {report.customers:,} customers, {report.addresses:,} addresses, "
            f"{report.orders:,} orders with {report.line_items:,} lines, {report.groups} groups "
            f"in {report.seconds:.1f} s ({time.perf_counter() - started:.1f} s in all)."
        )
        return 0
    try:
        import uvicorn  # only needed to serve on a port: the optional `serve` extra
    except ImportError:
        raise UsageError(SERVE_NEEDS_UVICORN) from None

    store = await open_demo(path)
    try:
        app = create_demo_app(store, FaultSettings())
        print(
            f"Demo store (Medusa 2 admin dialect) on http://127.0.0.1:{args.port} — "
            f"admin {DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD}. Ctrl+C stops it."
        )
        config = uvicorn.Config(app, host="127.0.0.1", port=args.port, log_level="warning")
        await uvicorn.Server(config).serve()
    finally:
        await store.aclose()
    return 0
