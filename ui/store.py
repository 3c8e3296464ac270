"""Opening a store for the desk, with the demo store's size as an option."""

from __future__ import annotations

from app.services.context import Services, StoreContext


async def open_store(
    services: Services, name: str | None, *, demo_customers: int | None = None
) -> StoreContext:
    """`services.open_store`; `demo_customers` generates a smaller demo store (tests,
    `--demo-customers`)."""
    if demo_customers is None:
        return await services.open_store(name)
    return await services.open_store(name, demo_customers=demo_customers)
