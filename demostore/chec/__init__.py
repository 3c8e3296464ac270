"""The demo store's Chec / Commerce.js v1 dialect, served in-process over the same data.

Typical use (the gateway wraps the app in ``httpx.ASGITransport``)::

    store, key = await open_chec_demo(path)
    app = create_chec_app(store, FaultSettings())
"""

from __future__ import annotations

from pathlib import Path

from demostore.chec.server import ChecSettings, create_chec_app, prepare_store
from demostore.core import open_demo
from demostore.core.store import DemoStore

__all__ = ["ChecSettings", "create_chec_app", "open_chec_demo", "prepare_store"]


async def open_chec_demo(
    path: str | Path, *, customers: int = 2000, seed: int = 1
) -> tuple[DemoStore, str]:
    """Open (creating and filling if needed) a demo store for the Chec dialect; returns the
    store and the demo shop's secret API key."""
    store = await open_demo(path, customers=customers, seed=seed)
    try:
        key = await prepare_store(store)
    except BaseException:
        await store.aclose()
        raise
    return store, key
