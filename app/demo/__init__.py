"""The embedded demo store: an in-process server speaking the Medusa 2 admin HTTP dialect.

Typical use (the gateway wraps the app in ``httpx.ASGITransport``)::

    store = await open_demo(path)
    app = create_demo_app(store, FaultSettings())
"""

from __future__ import annotations

from pathlib import Path

from app.demo.faults import FaultDecision, FaultMiddleware, FaultSettings
from app.demo.generator import DEMO_CUSTOMER_PASSWORD, GenerationReport, generate
from app.demo.httpkit import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DemoSettings
from app.demo.server import create_demo_app
from app.demo.store import DemoStore

__all__ = [
    "DEMO_ADMIN_EMAIL",
    "DEMO_ADMIN_PASSWORD",
    "DEMO_CUSTOMER_PASSWORD",
    "DemoSettings",
    "DemoStore",
    "FaultDecision",
    "FaultMiddleware",
    "FaultSettings",
    "GenerationReport",
    "create_demo_app",
    "generate",
    "open_demo",
]


async def open_demo(path: str | Path, *, customers: int = 2000, seed: int = 1) -> DemoStore:
    """Open (creating if needed) the demo store at ``path``; fill it with demo data on first use."""
    store = DemoStore(path)
    await store.open()
    try:
        if not await store.call(lambda db: db.setting("generated") is not None):
            await generate(store, customers=customers, seed=seed)
    except BaseException:
        await store.aclose()
        raise
    return store
