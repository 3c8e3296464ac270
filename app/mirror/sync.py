"""`SyncEngine`: pulls a backend's customers into a `MirrorStore`.

- **Full mirror**: every customer in id order (keyset paging), the cursor committed with
  each page, so a crash or a lost network resumes where it stopped. Each pass has a
  generation number; rows a completed pass did not see were deleted on the server.
- **Refresh**: customers with `updated_at >= since`. `since` is the server's newest
  `updated_at` read *before* the previous pass began, so a change made during a pass is
  fetched again next time (server clock only; the local clock never enters).
- **Sweep**: the whole list as summaries (ids, fields, groups). Medusa neither bumps
  `updated_at` on group-membership or address changes nor lists soft-deleted customers,
  so only comparing the full id set finds deletions and group changes.

Addresses change without `updated_at` too: the service refreshes a customer whenever it
is opened, and the full pass (`sync --full`) re-reads them all.

- **Orders** (a backend with `SupportsOrderDirectory`): the same pass then copies every
  order summary, for the customers' figures. A full copy is keyset-resumable like the
  customers' and bulk-loaded when the table is empty; later passes read the orders
  changed since a mark (`filters_orders_by_updated_at`), or re-read the whole listing and
  store what differs. The mark is a server time known before the pass began: the newest
  `updated_at` of the orders already mirrored (the customers' mark for the first pass).
  The whole re-read is heavy on a big store, so a caller may leave it out of a pass
  (`reread_orders=False`: the desk's background refresh, which re-reads at the sweep's
  cadence); `MirrorStatus.orders_read_at` says how fresh the order figures are.

Cancelling a pass (Ctrl-C, closing the desk) stops it at the next await: every page is
stored with its cursor in one transaction, so the next pass resumes after the last page
stored and no page is read twice or lost.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from app.backends.protocols import (
    Backend,
    SupportsChangedSince,
    SupportsCustomerDirectory,
    SupportsGroups,
    SupportsOrderDirectory,
)
from app.domain.customer import Customer, CustomerSummary
from app.domain.errors import NotFoundError, UnsupportedOperationError
from app.domain.order import OrderSummary
from app.domain.query import CustomerQuery, Page, Sort, SortField
from app.gateway.pagination import PageGuard
from app.mirror.order_rows import K_ORDERS_COMPLETE, K_ORDERS_GENERATION, fingerprint
from app.mirror.repository import MirrorRepository
from app.mirror.store import MirrorStore
from app.mirror.tables import from_micros

FULL_PAGE = 250  # small pages keep the event loop responsive while a page is parsed
SWEEP_PAGE = 5000
ORDER_PAGE = 500  # order summaries are small: fewer round trips
# Without a server `updated_at` to start from (an empty store), look back this far.
CLOCK_MARGIN = timedelta(minutes=10)

K_IDENTITY = "store.identity"
K_FULL_STATE = "full.state"  # "running" while a full pass is under way, "done" after
K_FULL_CURSOR = "full.cursor"
K_FULL_DONE = "full.done"
K_FULL_TOTAL = "full.total"
K_FULL_MARK = "full.mark"
K_GENERATION = "sync.generation"
K_SINCE = "sync.since"
K_LAST_SYNC = "sync.last_at"
K_LAST_FULL = "sync.last_full_at"
K_LAST_SWEEP = "sync.last_sweep_at"
K_ORDERS_STATE = "orders.state"  # "running" while a full order pass is under way
K_ORDERS_CURSOR = "orders.cursor"
K_ORDERS_DONE = "orders.done"
K_ORDERS_TOTAL = "orders.total"
K_ORDERS_MARK = "orders.mark"
K_ORDERS_SINCE = "orders.since"
# When the mirrored orders were last brought up to date with the server (any order pass
# that completed): how fresh the figures are.
K_ORDERS_READ = "orders.read_at"
_ORDER_KEYS = (
    K_ORDERS_STATE,
    K_ORDERS_CURSOR,
    K_ORDERS_DONE,
    K_ORDERS_TOTAL,
    K_ORDERS_MARK,
    K_ORDERS_SINCE,
    K_ORDERS_COMPLETE,
    K_ORDERS_READ,
)
PageT = TypeVar("PageT", bound=Page[Any])


@dataclass(frozen=True, slots=True)
class SyncProgress:
    phase: str  # "full", "refresh", "sweep", "orders"
    done: int
    total: int | None


@dataclass(frozen=True, slots=True)
class SyncReport:
    phase: str
    fetched: int = 0
    deleted: int = 0
    changed: int = 0
    seconds: float = 0.0
    # Order summaries read; None: no order pass ran (the store lists no orders, or the
    # pass left the whole re-read of a store without an updated_at filter for later).
    orders: int | None = None


@dataclass(frozen=True, slots=True)
class MirrorStatus:
    complete: bool  # a full pass has finished: reads can be served from the mirror
    customers: int
    last_sync: datetime | None
    resumable: bool  # a full pass was interrupted and will continue from its cursor
    orders_complete: bool = False  # every order is mirrored: the figures can be shown
    orders_resumable: bool = False
    orders_read_at: datetime | None = None  # the last completed order pass: how fresh


ProgressFn = Callable[[SyncProgress], None]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _status(repo: MirrorRepository) -> MirrorStatus:
    last = repo.meta(K_LAST_SYNC)
    return MirrorStatus(
        complete=repo.meta(K_LAST_FULL) is not None,
        customers=repo.count(),
        last_sync=_parse(last),
        resumable=repo.meta(K_FULL_STATE) == "running",
        orders_complete=repo.orders_mirrored(),
        orders_resumable=repo.meta(K_ORDERS_STATE) == "running",
        orders_read_at=_parse(repo.meta(K_ORDERS_READ)),
    )


class SyncEngine:
    def __init__(
        self,
        backend: Backend,
        store: MirrorStore,
        *,
        page_size: int = FULL_PAGE,
        sweep_page_size: int = SWEEP_PAGE,
        order_page_size: int = ORDER_PAGE,
    ) -> None:
        self.backend = backend
        self.store = store
        self.page_size = page_size
        self.sweep_page_size = sweep_page_size
        self.order_page_size = order_page_size
        self._lock = asyncio.Lock()  # one pass at a time per store

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    def _directory(self) -> SupportsCustomerDirectory:
        if not isinstance(self.backend, SupportsCustomerDirectory):
            raise UnsupportedOperationError("This store cannot list customers.")
        return self.backend

    async def status(self) -> MirrorStatus:
        return await self.store.call(_status)

    async def check_identity(self, identity: str) -> None:
        """Start afresh when the profile now points at a different store."""
        known = await self.store.call(MirrorRepository.meta, K_IDENTITY)
        if known == identity:
            return
        if known is not None:
            ids = await self.store.call(MirrorRepository.ids)
            await self.store.call(MirrorRepository.delete_customers, ids)
            await self.store.call(MirrorRepository.forget_orders)
        keys = (
            *(K_FULL_STATE, K_FULL_CURSOR, K_FULL_DONE, K_FULL_TOTAL, K_FULL_MARK, K_SINCE),
            *_ORDER_KEYS,
        )
        reset: dict[str, str | None] = dict.fromkeys(
            (*keys, K_LAST_SYNC, K_LAST_FULL, K_LAST_SWEEP)
        )
        await self.store.call(MirrorRepository.set_meta, {**reset, K_IDENTITY: identity})

    async def sync(
        self,
        progress: ProgressFn | None = None,
        *,
        full: bool = False,
        reread_orders: bool = True,
    ) -> SyncReport:
        """What `merchant-desk sync` does: the (resumed) full mirror until one completed,
        then a refresh; `full` re-reads everything (and finds deletions). Without
        `reread_orders`, a store that cannot list only the orders changed since a time
        keeps its mirrored orders as they are (a first or interrupted copy still runs)."""
        started = time.perf_counter()
        status = await self.status()
        if full or not status.complete or status.resumable:
            report = await self.full(progress, restart=full and not status.resumable)
        else:
            report = await self.refresh(progress)
        if not isinstance(self.backend, SupportsOrderDirectory):
            return report
        orders: int | None
        if full or not status.orders_complete or status.orders_resumable:
            orders = await self.full_orders(progress, restart=full and not status.orders_resumable)
        elif reread_orders or self.backend.filters_orders_by_updated_at:
            orders = await self.refresh_orders(progress)
        else:
            orders = None
        return replace(report, orders=orders, seconds=time.perf_counter() - started)

    async def server_mark(self) -> datetime | None:
        """The newest `updated_at` on the server: where the next refresh starts."""
        directory = self._directory()
        if SortField.UPDATED_AT not in directory.sort_fields:
            return datetime.now(UTC) - CLOCK_MARGIN
        page = await directory.list_customers(
            CustomerQuery(sort=Sort(field=SortField.UPDATED_AT, descending=True), page_size=1)
        )
        return page.items[0].updated_at if page.items else None

    # --- full --------------------------------------------------------------------------

    async def full(
        self, progress: ProgressFn | None = None, *, restart: bool = False
    ) -> SyncReport:
        async with self._lock:
            return await self._full(progress, restart)

    async def _full(self, progress: ProgressFn | None, restart: bool) -> SyncReport:
        started = time.perf_counter()
        call = self.store.call
        state = await call(MirrorRepository.meta, K_FULL_STATE)
        if state != "running" or restart:
            mark = await self.server_mark()
            generation = await call(MirrorRepository.generation) + 1
            if await call(MirrorRepository.count) == 0:
                await call(MirrorRepository.begin_bulk)
            await call(
                MirrorRepository.set_meta,
                {
                    K_FULL_STATE: "running",
                    K_FULL_CURSOR: None,
                    K_FULL_DONE: "0",
                    K_FULL_TOTAL: None,
                    K_FULL_MARK: _iso(mark) if mark else "",
                    K_GENERATION: str(generation),
                },
            )
        else:
            generation = await call(MirrorRepository.generation)
        await self._pull_groups()
        cursor = await call(MirrorRepository.meta, K_FULL_CURSOR)
        done = int(await call(MirrorRepository.meta, K_FULL_DONE) or 0)
        total_text = await call(MirrorRepository.meta, K_FULL_TOTAL)
        total = int(total_text) if total_text else None
        fetched = 0

        async def store_page(page: Page[Customer] | Page[CustomerSummary]) -> None:
            nonlocal done, total, fetched
            if total is None and page.total is not None:
                total = page.total + done  # a resumed pass counts from where it stopped
            done += len(page.items)
            fetched += len(page.items)
            meta: dict[str, str | None] = {
                K_FULL_CURSOR: page.next_token or "",
                K_FULL_DONE: str(done),
                K_FULL_TOTAL: None if total is None else str(total),
            }
            customers = [c for c in page.items if isinstance(c, Customer)]
            if len(customers) == len(page.items):
                await call(
                    MirrorRepository.upsert_customers,
                    customers,
                    meta=meta,
                    keep_addresses=not self._lists_addresses(),
                )
            else:  # a backend without full records in bulk: list rows now, details on open
                await call(MirrorRepository.upsert_summaries, page.items)
                await call(MirrorRepository.set_meta, meta)
            if progress is not None:
                progress(SyncProgress("full", done, total))

        if cursor != "":  # "" means the last page was stored; only the finishing is left
            await self._pages(self._full_page, cursor or None, store_page)
        await call(MirrorRepository.end_bulk)
        mark_text = await call(MirrorRepository.meta, K_FULL_MARK)
        now = _iso(datetime.now(UTC))
        deleted = await call(
            MirrorRepository.delete_unseen,
            generation,
            {
                K_FULL_STATE: "done",
                K_FULL_CURSOR: None,
                K_SINCE: mark_text or None,
                K_LAST_SYNC: now,
                K_LAST_FULL: now,
                K_LAST_SWEEP: now,
            },
        )
        return SyncReport("full", fetched, len(deleted), 0, time.perf_counter() - started)

    def _lists_addresses(self) -> bool:
        return isinstance(self.backend, SupportsChangedSince) and self.backend.lists_addresses

    async def _full_page(self, token: str | None) -> Page[Customer] | Page[CustomerSummary]:
        if isinstance(self.backend, SupportsChangedSince):
            return await self.backend.list_changed_since(None, token, self.page_size)
        return await self._directory().list_customers(
            CustomerQuery(page_size=self.page_size), token
        )

    @staticmethod
    async def _pages(
        fetch: Callable[[str | None], Awaitable[PageT]],
        token: str | None,
        consume: Callable[[PageT], Awaitable[None]],
    ) -> None:
        """Fetch page n+1 while page n is written: network and disk overlap."""
        ahead: asyncio.Task[PageT] | None = asyncio.ensure_future(fetch(token))
        guard = PageGuard()
        try:
            while ahead is not None:
                page = await ahead
                ahead = None
                guard.check(token, (c.id for c in page.items), page.next_token, page.total)
                token = page.next_token
                if page.next_token is not None and page.items:
                    ahead = asyncio.ensure_future(fetch(page.next_token))
                await consume(page)
        finally:
            if ahead is not None:  # a write failed or we were cancelled: end the prefetch
                ahead.cancel()
                # Wait for it (it has an owner: this pass) and take its outcome, so no
                # request outlives the pass nor an error of it goes unretrieved.
                await asyncio.wait([ahead])
                if not ahead.cancelled():
                    ahead.exception()

    async def _pull_groups(self) -> None:
        if isinstance(self.backend, SupportsGroups):
            groups = await self.backend.list_groups()
            await self.store.call(MirrorRepository.replace_groups, groups)

    # --- refresh -----------------------------------------------------------------------

    async def refresh(self, progress: ProgressFn | None = None) -> SyncReport:
        async with self._lock:
            return await self._refresh(progress)

    async def _refresh(self, progress: ProgressFn | None) -> SyncReport:
        if not isinstance(self.backend, SupportsChangedSince):
            return await self._sweep(progress)
        started = time.perf_counter()
        since = _parse(await self.store.call(MirrorRepository.meta, K_SINCE))
        mark = await self.server_mark()
        fetched = 0
        backend = self.backend

        async def fetch(token: str | None) -> Page[Customer]:
            return await backend.list_changed_since(since, token, self.page_size)

        async def store_page(page: Page[Customer] | Page[CustomerSummary]) -> None:
            nonlocal fetched
            customers = [c for c in page.items if isinstance(c, Customer)]
            await self.store.call(
                MirrorRepository.upsert_customers,
                customers,
                keep_addresses=not backend.lists_addresses,  # a listing without addresses
            )
            fetched += len(customers)
            if progress is not None:
                progress(SyncProgress("refresh", fetched, None))

        await self._pages(fetch, None, store_page)
        meta: dict[str, str | None] = {K_LAST_SYNC: _iso(datetime.now(UTC))}
        if mark is not None:
            meta[K_SINCE] = _iso(mark)
        await self.store.call(MirrorRepository.set_meta, meta)
        return SyncReport("refresh", fetched, 0, fetched, time.perf_counter() - started)

    # --- sweep -------------------------------------------------------------------------

    async def sweep(self, progress: ProgressFn | None = None) -> SyncReport:
        async with self._lock:
            return await self._sweep(progress)

    async def _sweep(self, progress: ProgressFn | None) -> SyncReport:
        """List every customer; store what differs, drop what is gone.

        Where the backend lists whole customers, addresses included (Medusa), the sweep
        compares addresses and metadata too: Medusa moves no `updated_at` when an address changes,
        so a refresh cannot see it, and a customer nobody opens would keep a stale one.
        """
        started_at = datetime.now(UTC)
        started = time.perf_counter()
        directory = self._directory()
        detailed = isinstance(self.backend, SupportsChangedSince) and self.backend.lists_addresses
        known = await self.store.call(
            MirrorRepository.detail_fingerprints
            if detailed
            else MirrorRepository.summary_fingerprints
        )
        present: set[str] = set()
        changed: list[CustomerSummary] = []
        query = CustomerQuery(page_size=self.sweep_page_size)

        async def fetch(token: str | None) -> Page[Customer] | Page[CustomerSummary]:
            if detailed:
                return await self._full_page(token)
            return await directory.list_customers(query, token)

        def fingerprint(item: CustomerSummary) -> tuple[Any, ...]:
            if detailed and isinstance(item, Customer):
                return MirrorRepository.detail_fingerprint(item)
            return MirrorRepository.fingerprint(item)

        async def consume(page: Page[Customer] | Page[CustomerSummary]) -> None:
            for item in page.items:
                present.add(item.id)
                if known.get(item.id) != fingerprint(item):
                    changed.append(item)
            if progress is not None:
                progress(SyncProgress("sweep", len(present), None))

        await self._pages(fetch, None, consume)
        await self._pull_groups()
        if changed and detailed:
            whole = [c for c in changed if isinstance(c, Customer)]
            await self.store.call(MirrorRepository.upsert_customers, whole)
        elif changed:
            await self.store.call(MirrorRepository.upsert_summaries, changed)
        deleted = await self.store.call(MirrorRepository.delete_missing, present, started_at)
        now = _iso(datetime.now(UTC))
        await self.store.call(MirrorRepository.set_meta, {K_LAST_SYNC: now, K_LAST_SWEEP: now})
        return SyncReport(
            "sweep", len(present), len(deleted), len(changed), time.perf_counter() - started
        )

    # --- orders ------------------------------------------------------------------------

    def _order_directory(self) -> SupportsOrderDirectory:
        if not isinstance(self.backend, SupportsOrderDirectory):
            raise UnsupportedOperationError("This store cannot list every order.")
        return self.backend

    async def _orders_mark(self) -> datetime | None:
        """A server time no later than now: the newest order change mirrored, else (a
        first pass) the customers' mark."""
        newest = await self.store.call(MirrorRepository.newest_order_update)
        if newest is not None:
            return from_micros(newest)
        try:
            return await self.server_mark()
        except UnsupportedOperationError:
            return datetime.now(UTC) - CLOCK_MARGIN

    async def full_orders(
        self, progress: ProgressFn | None = None, *, restart: bool = False
    ) -> int:
        """Copy every order (resuming an interrupted copy); orders the pass did not see
        were deleted on the server. Returns how many orders were read."""
        async with self._lock:
            return await self._full_orders(progress, restart)

    async def _full_orders(self, progress: ProgressFn | None, restart: bool) -> int:
        directory = self._order_directory()
        call = self.store.call
        if await call(MirrorRepository.meta, K_ORDERS_STATE) != "running" or restart:
            mark = await self._orders_mark()
            generation = await call(MirrorRepository.order_generation) + 1
            if await call(MirrorRepository.listed_order_count) == 0:
                await call(MirrorRepository.begin_order_bulk)
            await call(
                MirrorRepository.set_meta,
                {
                    K_ORDERS_STATE: "running",
                    K_ORDERS_CURSOR: None,
                    K_ORDERS_DONE: "0",
                    K_ORDERS_TOTAL: None,
                    K_ORDERS_MARK: _iso(mark) if mark else "",
                    K_ORDERS_GENERATION: str(generation),
                },
            )
        generation = await call(MirrorRepository.order_generation)
        cursor = await call(MirrorRepository.meta, K_ORDERS_CURSOR)
        done = int(await call(MirrorRepository.meta, K_ORDERS_DONE) or 0)
        total_text = await call(MirrorRepository.meta, K_ORDERS_TOTAL)
        total = int(total_text) if total_text else None
        fetched = 0

        async def fetch(token: str | None) -> Page[OrderSummary]:
            return await directory.list_orders_changed_since(None, token, self.order_page_size)

        async def store_page(page: Page[OrderSummary]) -> None:
            nonlocal done, total, fetched
            if total is None and page.total is not None:
                total = page.total + done  # a resumed pass counts from where it stopped
            done += len(page.items)
            fetched += len(page.items)
            meta: dict[str, str | None] = {
                K_ORDERS_CURSOR: page.next_token or "",
                K_ORDERS_DONE: str(done),
                K_ORDERS_TOTAL: None if total is None else str(total),
            }
            await call(MirrorRepository.upsert_listed_orders, page.items, meta=meta)
            if progress is not None:
                progress(SyncProgress("orders", done, total))

        if cursor != "":  # "" means the last page was stored; only the finishing is left
            await self._pages(fetch, cursor or None, store_page)
        await call(MirrorRepository.end_order_bulk)
        mark_text = await call(MirrorRepository.meta, K_ORDERS_MARK)
        await call(
            MirrorRepository.delete_unseen_orders,
            generation,
            {
                K_ORDERS_STATE: "done",
                K_ORDERS_CURSOR: None,
                K_ORDERS_SINCE: mark_text or None,
                K_ORDERS_COMPLETE: _iso(datetime.now(UTC)),
                K_ORDERS_READ: _iso(datetime.now(UTC)),
            },
        )
        return fetched

    async def refresh_orders(self, progress: ProgressFn | None = None) -> int:
        """The orders changed since the last pass; without a server-side filter, the
        whole listing re-read and compared (which finds deletions too)."""
        async with self._lock:
            directory = self._order_directory()
            if directory.filters_orders_by_updated_at:
                return await self._changed_orders(directory, progress)
            return await self._reread_orders(directory, progress)

    async def _changed_orders(
        self, directory: SupportsOrderDirectory, progress: ProgressFn | None
    ) -> int:
        since = _parse(await self.store.call(MirrorRepository.meta, K_ORDERS_SINCE))
        mark = await self._orders_mark()
        fetched = 0

        async def fetch(token: str | None) -> Page[OrderSummary]:
            return await directory.list_orders_changed_since(since, token, self.order_page_size)

        async def store_page(page: Page[OrderSummary]) -> None:
            nonlocal fetched
            await self.store.call(MirrorRepository.upsert_listed_orders, page.items)
            fetched += len(page.items)
            if progress is not None:
                progress(SyncProgress("orders", fetched, None))

        await self._pages(fetch, None, store_page)
        meta: dict[str, str | None] = {K_ORDERS_READ: _iso(datetime.now(UTC))}
        if mark is not None:
            meta[K_ORDERS_SINCE] = _iso(mark)
        await self.store.call(MirrorRepository.set_meta, meta)
        return fetched

    async def _reread_orders(
        self, directory: SupportsOrderDirectory, progress: ProgressFn | None
    ) -> int:
        known = await self.store.call(MirrorRepository.order_fingerprints)
        present: set[str] = set()

        async def fetch(token: str | None) -> Page[OrderSummary]:
            return await directory.list_orders_changed_since(None, token, self.order_page_size)

        async def consume(page: Page[OrderSummary]) -> None:
            present.update(o.id for o in page.items)
            changed = [o for o in page.items if known.get(o.id) != fingerprint(o)]
            if changed:
                await self.store.call(MirrorRepository.upsert_listed_orders, changed)
            if progress is not None:
                progress(SyncProgress("orders", len(present), None))

        await self._pages(fetch, None, consume)
        now = _iso(datetime.now(UTC))
        await self.store.call(
            MirrorRepository.delete_missing_orders,
            present,
            {K_ORDERS_COMPLETE: now, K_ORDERS_READ: now},
        )
        return len(present)

    # --- one customer ------------------------------------------------------------------

    async def refresh_customer(self, customer_id: str) -> Customer:
        """The server's current record, stored; a customer gone there is dropped here."""
        try:
            customer = await self._directory().get_customer(customer_id)
        except NotFoundError:
            await self.store.call(MirrorRepository.delete_customers, [customer_id])
            raise
        await self.store.call(MirrorRepository.upsert_customers, [customer])
        return customer
