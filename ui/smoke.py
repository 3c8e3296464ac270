"""`--smoke-test`: open the list, the first customer, its addresses and orders; exit 0.

Also the check of the frozen app (tests/packaged): it runs in a temporary home, so an
installed copy's smoke test finds the demo store and leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from app.services.paths import HOME_ENV
from ui.windows.main_window import MainWindow

TIMEOUT_S = 60.0


@contextmanager
def temporary_home() -> Iterator[None]:
    """Point $MERCHANT_DESK_HOME at a throwaway folder, unless the caller already set one."""
    if os.environ.get(HOME_ENV):
        yield
        return
    with tempfile.TemporaryDirectory(
        prefix="merchant-desk-smoke-", ignore_cleanup_errors=True
    ) as home:
        os.environ[HOME_ENV] = home
        try:
            yield
        finally:
            del os.environ[HOME_ENV]
            # The log file handler still holds a file in there (Windows cannot delete it).
            root = logging.getLogger()
            for handler in list(root.handlers):
                if isinstance(handler, logging.FileHandler) and Path(
                    handler.baseFilename
                ).is_relative_to(home):
                    root.removeHandler(handler)
                    handler.close()


async def until(what: str, done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"smoke test: timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def smoke_test(window: MainWindow) -> int:
    started = time.monotonic()
    model = window.model
    await until("the store", lambda: window.context is not None)
    await until(
        "the customer list",
        lambda: (
            (model.rowCount() > 0 or model.exhausted or model.failed is not None)
            and not model.loading
        ),
    )
    if model.failed or model.rowCount() == 0:
        print(f"smoke test FAILED: no customers ({model.failed or 'empty list'})")  # noqa: T201
        return 1
    first = model.item(0)
    window.table.selectRow(0)
    editor = window.editor
    await until(
        "the customer", lambda: editor.customer is not None and editor.customer.id == first.id
    )
    orders = editor.orders_tab.model
    await until("the orders", lambda: not orders.loading)
    assert window.context is not None
    addresses = await window.context.customers.addresses(first.id)
    elapsed = time.monotonic() - started
    print(  # noqa: T201 (the smoke test's one-line report is its output)
        f"smoke test OK: store={window.context.profile.name} customers={model.total} "
        f"first={first.display_name!r} addresses={len(addresses)} "
        f"orders={orders.total if orders.total is not None else orders.rowCount()} "
        f"in {elapsed:.1f}s"
    )
    return 0
