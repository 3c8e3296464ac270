"""`--smoke-test`: open the list, the first customer, its addresses and orders; exit 0."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from ui.windows.main_window import MainWindow

TIMEOUT_S = 60.0


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
