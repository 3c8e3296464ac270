"""`MirrorService`: one open store's offline mirror, its sync and its connection state.

The UI and CLI see the mirror through this service (and `CustomerService`, which serves
reads from it); the rest of `app.mirror` stays out of their sight. The background
loop (started by the desktop app, not by the CLI) keeps the mirror fresh while online,
probes the backend while offline, and on the way back replays the outbox, then
refreshes. Listeners are plain callables, called on the event loop's thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.backends.protocols import Backend, SupportsOrderDirectory
from app.domain.activity import Activity
from app.domain.customer import Address, AddressDraft, Customer, CustomerGroup, CustomerSummary
from app.domain.draft import EditorDraft
from app.domain.errors import AppError, ConnectionFailedError, OfflineError
from app.domain.figures import CustomerFigures
from app.domain.note import (
    NOTES_METADATA_KEY,
    Note,
    NotesUnreadableError,
    decode_notes,
    merge_notes,
)
from app.domain.order import OrderDetail, OrderSummary
from app.domain.patch import AddressPatch, CustomerPatch
from app.domain.query import CustomerQuery, Page
from app.mirror.estimate import CountEstimate
from app.mirror.order_rows import is_order_token
from app.mirror.outbox import Conflict, Outbox, ReplayReport
from app.mirror.outbox_rows import OutboxEntry
from app.mirror.repository import MirrorRepository
from app.mirror.search import is_page_token
from app.mirror.store import MirrorStore, delete_mirror, mirror_files
from app.mirror.sync import SyncEngine, SyncProgress, SyncReport

__all__ = [
    "ADDRESS_DELETE",
    "NOTE_WRITE",
    "Choice",
    "Conflict",
    "CountEstimate",
    "MirrorService",
    "MirrorState",
    "OutboxEntry",
    "ReadPolicy",
    "ReplayReport",
    "SyncProgress",
    "SyncReport",
    "WaitingEdit",
    "delete_mirror",
    "describe_edit",
    "mirror_files",
    "unsent_edits",
]
from app.mirror.outbox import ADDRESS_DELETE, NOTE_WRITE, Choice, describe_edit, is_local

# How long a sync waits for another process's sync of the same mirror (a full pass of a
# big store takes minutes) before it says so rather than hang.
SYNC_LOCK_TIMEOUT = 900.0
WAITING_FOR_SYNC = (
    "Another Merchant Desk (a script or another window) is syncing this store's local "
    "copy; waiting for it to finish."
)

log = logging.getLogger(__name__)


class ReadPolicy(StrEnum):
    LIVE = "live"  # the backend first; the mirror only when the backend is unreachable
    MIRROR = "mirror"  # the mirror once a full copy exists (instant search); else backend
    OFFLINE = "offline"  # the mirror only; the backend is never asked


@dataclass(frozen=True, slots=True)
class MirrorState:
    online: bool
    ready: bool  # a complete mirror exists: lists and search come from it
    customers: int
    last_sync: datetime | None
    syncing: bool = False
    progress: SyncProgress | None = None
    pending_edits: int = 0
    conflicts: tuple[Conflict, ...] = ()
    failed_edits: tuple[OutboxEntry, ...] = ()  # refused by the store: retry or discard
    reason: str | None = None  # why offline, for the banner
    announcement: str | None = None  # one-off news: "Back online"
    # Every order of the store is mirrored: figures, order sorts and filters are served.
    orders_mirrored: bool = False
    # When the mirrored orders were last brought up to date: how fresh the figures are
    # (a store without an updated_at filter on orders is re-read at the sweep's cadence).
    orders_read_at: datetime | None = None


Listener = Callable[[MirrorState], None]


@dataclass(frozen=True, slots=True)
class WaitingEdit:
    """One edit made offline that has not reached the store yet."""

    seq: int
    customer_id: str
    customer_name: str
    kind: str  # customer_update, address_create, address_update, address_delete, note_write
    fields: tuple[str, ...]
    queued_at: datetime
    conflict: bool  # held until staff choose between their version and the store's


class MirrorService:
    def __init__(
        self,
        backend: Backend,
        path: Path,
        identity: str,
        *,
        policy: ReadPolicy = ReadPolicy.MIRROR,
        probe_interval: float = 10.0,
        refresh_interval: float = 120.0,
        sweep_interval: float = 1800.0,
        actor: str | None = None,
    ) -> None:
        self.backend = backend
        self._store = store = MirrorStore(path)
        self.identity = identity
        self.policy = policy
        # The staff account this desk writes as: the author of its activity records.
        self.actor = actor
        self.engine = SyncEngine(backend, store)
        self.outbox = Outbox(backend, store, actor)
        self.probe_interval = probe_interval
        self.refresh_interval = refresh_interval
        self.sweep_interval = sweep_interval
        self._state = MirrorState(
            online=policy is not ReadPolicy.OFFLINE, ready=False, customers=0, last_sync=None
        )
        self._listeners: list[Listener] = []
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._last_sweep: datetime | None = None
        self._orders_asked = False  # staff asked for a sync (F5): re-read the orders too
        self.lock_timeout = SYNC_LOCK_TIMEOUT
        self.last_replay: ReplayReport | None = None  # of the last sync's replay
        self._common_country: str | None = None

    # --- lifecycle ---------------------------------------------------------------------

    async def open(self) -> None:
        await self._store.open()
        try:
            await self.engine.check_identity(self.identity)
            await self._reload_state()
        except BaseException:
            await self._store.aclose()
            raise

    async def aclose(self) -> None:
        await self.stop()
        await self._store.aclose()

    def start(self) -> None:
        """Keep the mirror fresh in the background (the desktop app calls this)."""
        if self._task is None and self.policy is not ReadPolicy.OFFLINE:
            self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                # The loop's own end is expected; a cancel of whoever is stopping us (the
                # desk closing under Ctrl-C) must reach them, not end here.
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise

    # --- state -------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._store.is_open

    @property
    def state(self) -> MirrorState:
        return self._state

    @property
    def online(self) -> bool:
        return self._state.online

    @property
    def ready(self) -> bool:
        return self._state.ready

    @property
    def lists_orders(self) -> bool:
        """Whether the store lists every order, so the mirror can copy them (figures)."""
        return isinstance(self.backend, SupportsOrderDirectory)

    @property
    def orders_mirrored(self) -> bool:
        """Whether every order is mirrored: figures, order sorts and filters answer."""
        return self._state.orders_mirrored

    @property
    def covers_offline(self) -> bool:
        """Whether an unreachable backend means offline mode (mirror reads, queued edits).

        Only once a full mirror exists (or when opened offline): before that the mirror
        holds a few opened customers at best, and an empty list or a half-known customer
        would mislead more than the plain "unreachable" error does.
        """
        return self._state.ready or self.policy is ReadPolicy.OFFLINE

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _publish(self, **changes: Any) -> None:
        self._state = replace(self._state, **{"announcement": None, **changes})
        for listener in list(self._listeners):
            listener(self._state)

    @property
    def common_country(self) -> str | None:
        """The most common country of the mirrored addresses (`MirrorRepository`)."""
        return self._common_country

    async def _reload_state(self, **changes: Any) -> None:
        status = await self.engine.status()
        self._common_country = await self._store.call(MirrorRepository.common_country)
        entries = await self.outbox.entries(("pending", "conflict", "failed"))
        self._publish(
            ready=status.complete,
            orders_mirrored=status.orders_complete and self.lists_orders,
            customers=status.customers,
            last_sync=status.last_sync,
            orders_read_at=status.orders_read_at,
            pending_edits=len([e for e in entries if e.state == "pending"]),
            failed_edits=tuple(e for e in entries if e.state == "failed"),
            **changes,
        )

    def went_offline(self, error: ConnectionFailedError) -> None:
        """A backend call failed for the network: switch to offline mode (and probe)."""
        if self._state.online and self.covers_offline:
            self._publish(online=False, reason=error.user_message)
            self._wake.set()

    async def came_online(self) -> None:
        if not self._state.online and self.policy is not ReadPolicy.OFFLINE:
            self._publish(online=True, reason=None)
            self._publish(announcement="The store's server is reachable again.")
            self._wake.set()

    def require_online(self, what: str) -> None:
        if not self._state.online:
            raise OfflineError(f"{what} needs the store's server, which is unreachable now.")

    # --- sync --------------------------------------------------------------------------

    def _exclusive(self, on_wait: Callable[[], None] | None = None) -> Any:
        """One sync or replay at a time per mirror, in this process and across processes."""
        return self._store.sync_lock.hold(patience=self.lock_timeout, on_wait=on_wait)

    async def sync(
        self,
        progress: Callable[[SyncProgress], None] | None = None,
        *,
        full: bool = False,
        on_wait: Callable[[], None] | None = None,
        reread_orders: bool = True,
    ) -> SyncReport:
        """One pass on demand (CLI `sync`): replay queued edits, then pull. Waits for
        another process's sync of this mirror first (`on_wait` is told once).
        `reread_orders=False` (the background refresh) leaves out the whole re-read of
        the orders of a store that cannot list only the changed ones."""
        if self.policy is ReadPolicy.OFFLINE:
            raise OfflineError("The store is open offline: nothing can be synced.")

        def report(p: SyncProgress) -> None:
            self._publish(progress=p)
            if progress is not None:
                progress(p)

        def waiting() -> None:
            self._publish(announcement=WAITING_FOR_SYNC)
            if on_wait is not None:
                on_wait()

        async with self._exclusive(waiting):
            self._publish(syncing=True, progress=None)
            try:
                self.last_replay = await self.replay()
                result = await self.engine.sync(report, full=full, reread_orders=reread_orders)
            except ConnectionFailedError as exc:
                self.went_offline(exc)
                raise
            finally:
                await self._reload_state(syncing=False, progress=None)
        if result.phase == "full":
            self._last_sweep = datetime.now(UTC)
        return result

    async def sweep(self) -> SyncReport:
        self._last_sweep = datetime.now(UTC)
        try:
            async with self._exclusive():
                return await self.engine.sweep()
        finally:
            await self._reload_state()

    async def refresh_customer(self, customer_id: str) -> Customer:
        return await self.engine.refresh_customer(customer_id)

    def request_sync(self, *, orders: bool = False) -> None:
        """Run a background pass now; `orders`: staff asked (F5), so the orders are
        re-read even where that means the whole listing."""
        self._orders_asked = self._orders_asked or orders
        self._wake.set()

    def orders_reread_due(self) -> bool:
        """Whether the next background pass re-reads the whole order listing of a store
        that cannot filter orders by `updated_at`: staff asked, or the last order pass is
        older than the sweep interval (it is persisted, so reopening the desk does not
        re-read at once)."""
        read_at = self._state.orders_read_at
        return (
            self._orders_asked
            or read_at is None
            or datetime.now(UTC) - read_at > timedelta(seconds=self.sweep_interval)
        )

    async def check(self) -> ConnectionFailedError | None:
        """Ask the backend now; the state follows the answer either way (a probe only
        notices the way back). Returns the failure, None when the backend answered."""
        try:
            await self.backend.check_connection()
        except ConnectionFailedError as exc:
            self.went_offline(exc)
            return exc
        await self.came_online()
        return None

    async def probe(self) -> bool:
        try:
            await self.backend.check_connection()
        except ConnectionFailedError:
            return False
        await self.came_online()
        return True

    async def _run(self) -> None:
        while True:
            if self._state.online:
                try:
                    await self._background_pass()
                except ConnectionFailedError as exc:
                    self.went_offline(exc)
                    continue
                except AppError as exc:  # shown in the state; the next pass tries again
                    log.warning("background sync failed: %s", exc)
                await self._sleep(self.refresh_interval)
            else:
                await self._sleep(self.probe_interval)
                await self.probe()

    async def _background_pass(self) -> None:
        reread, asked = self.orders_reread_due(), self._orders_asked
        self._orders_asked = False  # an F5 during this pass asks again
        try:
            await self.sync(reread_orders=reread)
        except BaseException:
            self._orders_asked = self._orders_asked or asked
            raise
        due = self._last_sweep is None or datetime.now(UTC) - self._last_sweep > timedelta(
            seconds=self.sweep_interval
        )
        if due:
            await self.sweep()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    # --- outbox ------------------------------------------------------------------------

    async def queue_customer_update(self, current: Customer, patch: CustomerPatch) -> Customer:
        edited = await self.outbox.queue_customer_update(current, patch)
        await self._reload_state()
        return edited

    async def queue_address_update(
        self, customer_id: str, current: Address, patch: AddressPatch
    ) -> Address:
        edited = await self.outbox.queue_address_update(customer_id, current, patch)
        await self._reload_state()
        return edited

    async def queue_address_create(self, customer_id: str, draft: AddressDraft) -> Address:
        address = await self.outbox.queue_address_create(customer_id, draft)
        await self._reload_state()
        return address

    async def amend_address_create(
        self, customer_id: str, address_id: str, patch: AddressPatch
    ) -> Address:
        return await self.outbox.amend_address_create(customer_id, address_id, patch)

    async def queue_address_delete(self, customer_id: str, current: Address) -> None:
        await self.outbox.queue_address_delete(customer_id, current)
        await self._reload_state()

    @staticmethod
    def is_local_address(address_id: str) -> bool:
        """Added offline and not yet in the store (its edits amend the queued creation)."""
        return is_local(address_id)

    async def replay(self) -> ReplayReport:
        async with self._exclusive():
            report = await self.outbox.replay()
            if report.offline:
                self.went_offline(ConnectionFailedError())
            news = {}
            if report.sent:  # staff should know their offline work reached the store
                edits = "1 edit" if report.sent == 1 else f"{report.sent} edits"
                news["announcement"] = f"{edits} sent to the store."
            await self._reload_state(conflicts=tuple(report.conflicts), **news)
            return report

    async def waiting_edits(self) -> list[WaitingEdit]:
        """The edits not yet in the store (queued or held by a conflict), oldest first."""
        out: list[WaitingEdit] = []
        for entry in await self.outbox.entries():
            customer = await self._store.call(MirrorRepository.get_customer, entry.customer_id)
            fields = entry.patch.get("fields") or entry.patch.get("draft") or {}
            if entry.kind == NOTE_WRITE:
                fields = {"note": None}
            meta = entry.patch.get("metadata") or {}
            names = sorted(fields) + (["metadata"] if meta.get("set") or meta.get("remove") else [])
            out.append(
                WaitingEdit(
                    seq=entry.seq,
                    customer_id=entry.customer_id,
                    customer_name=customer.display_name if customer else entry.customer_id,
                    kind=entry.kind,
                    fields=tuple(names),
                    queued_at=entry.created_at,
                    conflict=entry.state == "conflict",
                )
            )
        return out

    async def resolve(self, seq: int, choices: dict[str, Choice]) -> ReplayReport:
        """Send a conflicting edit as the user chose (per field), then the rest in order."""
        async with self._exclusive():
            await self.outbox.resolve(seq, choices)
            return await self.replay()

    async def resolve_all(self, seq: int, choice: Choice) -> ReplayReport:
        """Resolve every conflicting field of a queued edit the same way (the CLI)."""
        async with self._exclusive():
            conflict = await self.outbox.conflict(seq)
            await self.outbox.resolve(seq, {f.field: choice for f in conflict.fields})
            return await self.replay()

    async def discard(self, seq: int) -> ReplayReport:
        async with self._exclusive():
            await self.outbox.discard(seq)
            return await self.replay()

    async def retry(self, seq: int) -> ReplayReport:
        """Send an edit the store refused once more (after fixing the cause there)."""
        async with self._exclusive():
            await self.outbox.retry(seq)
            return await self.replay()

    async def edits(self) -> list[OutboxEntry]:
        """Queued edits not yet in the store: pending, conflicting or refused."""
        return await self.outbox.entries(("pending", "conflict", "failed"))

    async def edit(self, seq: int) -> OutboxEntry:
        return await self.outbox.find(seq)

    async def conflict(self, seq: int) -> Conflict:
        """A conflicting edit's fields, with the store's current values (needs the store)."""
        return await self.outbox.conflict(seq)

    # --- staff notes --------------------------------------------------------------------

    async def notes(self, customer_id: str) -> list[Note]:
        """The customer's notes as this computer knows them (tombstones included): the
        last read of the store's, those in its mirrored record, and those queued."""
        kept = await self._store.call(MirrorRepository.notes, customer_id)
        customer = await self._store.call(MirrorRepository.get_customer, customer_id)
        from_record: list[Note] = []
        if customer is not None:
            try:
                from_record = decode_notes(customer.metadata.get(NOTES_METADATA_KEY))
            except NotesUnreadableError:
                log.info("unreadable notes in the mirrored record of %s", customer_id)
        queued = await self.outbox.queued_notes(customer_id)
        return merge_notes(kept, from_record, queued)

    async def keep_notes(self, customer_id: str, notes: Sequence[Note]) -> list[Note]:
        """Merge notes into the local copy (never loses a newer or deleted one)."""
        return await self._store.call(MirrorRepository.merge_notes, customer_id, notes)

    async def queue_note(self, customer_id: str, note: Note) -> None:
        """Queue a note for the store (offline); shown from the local copy meanwhile."""
        await self.outbox.queue_note(customer_id, note)
        await self._reload_state()

    async def queued_notes(self, customer_id: str) -> list[Note]:
        """Notes written offline, not yet in the store."""
        return await self.outbox.queued_notes(customer_id)

    async def queued_note_ids(self, customer_id: str) -> frozenset[str]:
        return frozenset(n.id for n in await self.queued_notes(customer_id))

    # --- drafts ------------------------------------------------------------------------

    async def save_draft(self, key: str, draft: EditorDraft) -> None:
        await self._store.call(MirrorRepository.put_draft, key, draft.to_json())

    async def drafts(self) -> dict[str, EditorDraft]:
        """The saved drafts, oldest first; one that is not a draft (written by another
        version, or damaged) is left out rather than offered."""
        rows = await self._store.call(MirrorRepository.drafts)
        return {key: draft for key, data in rows.items() if (draft := EditorDraft.from_json(data))}

    async def discard_draft(self, key: str) -> None:
        await self._store.call(MirrorRepository.delete_draft, key)

    # --- reads and write-through (`CustomerService` serves from and keeps these) ----------

    def answers_search(self, page_token: str | None = None) -> bool:
        """Whether the mirror answers this search page: a page it began continues here; a
        new search comes from it offline, or (policy MIRROR) once the copy is complete."""
        if page_token is not None:
            return is_page_token(page_token)  # a page continues where it started
        if self.policy is ReadPolicy.OFFLINE or not self.online:
            return True
        return self.policy is ReadPolicy.MIRROR and self.ready

    async def search(
        self,
        query: CustomerQuery,
        page_token: str | None = None,
        *,
        count: bool = True,
        phone_region: str | None = None,
    ) -> Page[CustomerSummary]:
        return await self._store.call(
            MirrorRepository.search, query, page_token, count=count, phone_region=phone_region
        )

    async def page_at(
        self,
        query: CustomerQuery,
        offset: int,
        size: int,
        *,
        total: int | None = None,
        phone_region: str | None = None,
    ) -> list[CustomerSummary]:
        """The matches at positions [offset, offset + size) of `query`'s order (a list
        view's rows wherever it was scrolled to); `total` lets the far end be read
        from its own end."""
        return await self._store.call(
            MirrorRepository.rows_at, query, offset, size, total=total, phone_region=phone_region
        )

    async def count(self, query: CustomerQuery, phone_region: str | None = None) -> int:
        return await self._store.call(MirrorRepository.count_matches, query, phone_region)

    async def count_estimate(
        self, query: CustomerQuery, phone_region: str | None = None
    ) -> CountEstimate:
        """A count to show at once: exact when cheap, else an estimate (`count` follows)."""
        return await self._store.call(MirrorRepository.count_estimate, query, phone_region)

    async def customer(self, customer_id: str) -> Customer | None:
        return await self._store.call(MirrorRepository.get_customer, customer_id)

    async def cached(self, customer_id: str) -> Customer | None:
        """The mirror's copy, at once; None when it has none or is closed already."""
        if not self._store.is_open:
            return None
        return await self.customer(customer_id)

    async def keep_customer(self, customer: Customer) -> None:
        await self._store.call(MirrorRepository.upsert_customers, [customer])

    async def forget_customer(self, customer_id: str) -> None:
        await self._store.call(MirrorRepository.delete_customers, [customer_id])

    async def addresses(self, customer_id: str) -> list[Address] | None:
        """The customer's mirrored addresses; None when the full record was never fetched
        (a list row alone says nothing about the address book)."""
        if not await self._store.call(MirrorRepository.has_detail, customer_id):
            return None
        return await self._store.call(MirrorRepository.addresses, customer_id)

    async def address(self, customer_id: str, address_id: str) -> Address | None:
        addresses = await self._store.call(MirrorRepository.addresses, customer_id)
        return next((a for a in addresses if a.id == address_id), None)

    async def keep_addresses(self, customer_id: str, addresses: list[Address]) -> None:
        await self._store.call(MirrorRepository.replace_addresses, customer_id, addresses)

    async def groups(self) -> list[CustomerGroup]:
        return await self._store.call(MirrorRepository.groups)

    async def keep_groups(self, groups: list[CustomerGroup]) -> None:
        await self._store.call(MirrorRepository.replace_groups, groups)

    @staticmethod
    def answers_orders(page_token: str | None) -> bool:
        """Whether this page of orders continues a listing the mirror began."""
        return is_order_token(page_token)

    async def orders(
        self, customer_id: str, page_token: str | None, page_size: int
    ) -> Page[OrderSummary] | None:
        """A page of the customer's mirrored orders (from the start, or continuing one of
        the mirror's pages); None when the store's list was never read into the mirror."""
        return await self._store.call(
            MirrorRepository.orders_page, customer_id, page_token, page_size
        )

    async def keep_orders(
        self, customer_id: str, orders: Sequence[OrderSummary], *, first: bool
    ) -> None:
        """A page of the store's orders; the first page replaces what the mirror knew."""
        await self._store.call(MirrorRepository.put_orders, customer_id, orders, first=first)

    async def figures(self, customer_id: str) -> CustomerFigures | None:
        """The customer's order figures from the mirrored orders; None when the orders
        are not mirrored (the store cannot list them, or no copy completed yet): unknown,
        which is not zero."""
        if not self.orders_mirrored:
            return None
        return await self._store.call(MirrorRepository.figures, customer_id)

    async def order(self, order_id: str) -> OrderDetail | None:
        return await self._store.call(MirrorRepository.order_detail, order_id)

    # --- activity: what happened through this desk (the customer's timeline) ------------

    async def record_activity(self, *entries: Activity) -> None:
        """Record writes the store accepted and tokens issued (never a refused write)."""
        if entries:
            await self._store.call(MirrorRepository.add_activity, entries)

    async def activity(self, customer_id: str) -> list[Activity]:
        """The customer's records, newest first."""
        return await self._store.call(MirrorRepository.activity, customer_id)

    async def keep_order(self, order: OrderDetail) -> None:
        await self._store.call(MirrorRepository.put_order_detail, order)


async def unsent_edits(path: Path) -> list[OutboxEntry]:
    """Edits queued in the mirror at `path` and not yet in the store (pending, in conflict
    or refused), read from the closed mirror: what forgetting the store would lose."""
    store = MirrorStore(path)
    await store.open()
    try:
        return await store.call(MirrorRepository.outbox, ("pending", "conflict", "failed"))
    finally:
        await store.aclose()
