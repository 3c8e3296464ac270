"""The demo store's shared shop: one SQLite database (schema, sample data, generator), its
rows and error model (stored in Medusa's shape, the schema's native dialect), tokens and the
fault knobs, served by each dialect package (`demostore.medusa`, `.chec`, `.elasticpath`).

Typical use::

    store = await open_demo(path)
"""

from __future__ import annotations

from pathlib import Path

from demostore.core.faults import FaultDecision, FaultMiddleware, FaultSettings
from demostore.core.generator import DEMO_CUSTOMER_PASSWORD, GenerationReport, generate
from demostore.core.store import DemoStore

__all__ = [
    "DEMO_CUSTOMER_PASSWORD",
    "DemoStore",
    "FaultDecision",
    "FaultMiddleware",
    "FaultSettings",
    "GenerationReport",
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
