"""Reading a store and its mirror whole, to compare them; reaching the mirror and the
demo store's offline knob in service tests."""

from __future__ import annotations

from typing import Any

from app.backends.protocols import SupportsChangedSince
from app.domain.customer import Customer
from app.mirror.repository import MirrorRepository
from app.mirror.service import MirrorService
from app.services.context import StoreContext


async def backend_customers(ctx: StoreContext) -> dict[str, Customer]:
    backend = ctx.backend
    assert isinstance(backend, SupportsChangedSince)
    out: dict[str, Customer] = {}
    token: str | None = None
    while True:
        page = await backend.list_changed_since(None, token, 1000)
        out.update((c.id, c) for c in page.items)
        token = page.next_token
        if token is None:
            return out


async def mirror_customers(ctx: StoreContext) -> dict[str, Customer]:
    assert ctx.mirror is not None

    def read(repo: MirrorRepository) -> dict[str, Customer]:
        out: dict[str, Customer] = {}
        for cid in repo.ids():
            customer = repo.get_customer(cid)
            assert customer is not None
            out[cid] = customer
        return out

    return await ctx.mirror._store.call(read)  # the test reads behind the service


def mirror_of(ctx: StoreContext) -> MirrorService:
    assert ctx.mirror is not None
    return ctx.mirror


def set_offline(ctx: StoreContext, value: bool = True) -> None:
    """The demo store stops (or starts again) answering, as a network outage would."""
    assert ctx.demo is not None
    ctx.demo.faults.offline = value


async def forget_order_copy(ctx: StoreContext) -> None:
    """Leave the mirror as an interrupted first orders pass does: the copy of every order
    is not complete, so the mirror vouches only for orders read per customer."""
    mirror = mirror_of(ctx)
    await mirror._store.call(MirrorRepository.set_meta, {"orders.last_full": None})
    await mirror._reload_state()


class WithoutOrderDirectory:
    """A real adapter with its store-wide order listing hidden: a store that cannot list
    every order (every backend here can; a future one may not)."""

    _HIDDEN = frozenset({"list_orders_changed_since", "filters_orders_by_updated_at"})

    def __init__(self, backend: object) -> None:
        self._backend = backend

    def __getattr__(self, name: str) -> Any:
        if name in self._HIDDEN:
            raise AttributeError(name)
        return getattr(self._backend, name)
