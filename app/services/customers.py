"""`CustomerService`: what the UI and CLI call. Checks capabilities and input, then the backend.

With a mirror (`MirrorService`), reads follow its `ReadPolicy`: the list and search come
from the local copy once it is complete, everything falls back to it when the backend is
unreachable, and customer and address edits made offline are queued in its outbox.
Whatever the backend returns is written through to the mirror.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from app.backends.protocols import (
    Backend,
    DatesRegistration,
    DeclaresAddressForm,
    ExplainsNoPasswordTokens,
    ReportsLimitations,
    SupportsAddresses,
    SupportsCustomerDirectory,
    SupportsCustomerWrite,
    SupportsGroups,
    SupportsOrderHistory,
    SupportsPasswordTokens,
)
from app.domain import validation
from app.domain.activity import (
    Activity,
    FieldChange,
    address_added_or_removed,
    customer_edit,
    edit_changes,
    token_activity,
)
from app.domain.address_form import DEFAULT_ADDRESS_FORM, AddressForm
from app.domain.capabilities import Capability
from app.domain.customer import (
    Address,
    AddressDraft,
    Customer,
    CustomerDraft,
    CustomerGroup,
    CustomerSummary,
)
from app.domain.errors import (
    AppError,
    CacheBugError,
    CacheUnavailableError,
    ConnectionFailedError,
    NotEligibleError,
    OfflineError,
    OrdersNotMirroredError,
    OutcomeUnknownError,
    UnsupportedOperationError,
)
from app.domain.figures import CustomerFigures
from app.domain.limitations import (
    ADDRESS_BOOK_DEFAULTS_ONLY,
    AddressBook,
    Feature,
    Limitation,
)
from app.domain.order import OrderDetail, OrderSummary
from app.domain.patch import AddressPatch, CustomerPatch
from app.domain.phone import format_phone, is_known_region
from app.domain.query import MIRROR_ONLY_SORTS, CustomerQuery, Page, SortField
from app.domain.token import TokenEligibility, TokenIssuance
from app.gateway.pagination import PageGuard
from app.mirror.service import CountEstimate, MirrorService
from app.services.restrictions import NONE, Restrictions

P = TypeVar("P")
T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    """What became of the last write: a script must tell saved from queued."""

    queued: bool = False  # kept on this machine only; `sync` sends it
    mirror_problem: str | None = None  # saved in the store, but the local copy lags


class CustomerService:
    def __init__(
        self,
        backend: Backend,
        mirror: MirrorService | None = None,
        restrictions: Restrictions = NONE,
        *,
        queue_offline: bool = True,
        phone_country: str | None = None,
    ) -> None:
        self._backend = backend
        self._mirror = mirror
        self._restrictions = restrictions
        # False: an edit the store cannot take now is refused, never queued (--no-queue).
        self.queue_offline = queue_offline
        self.last_write = WriteOutcome()
        self._phone_country = phone_country

    @property
    def phone_region(self) -> str | None:
        """The store's country for phone numbers written nationally ("0690 5108941"):
        the store profile's, else the most common country of the mirrored addresses."""
        if self._phone_country:
            return self._phone_country.upper()
        guess = self._mirror.common_country if self._mirror is not None else None
        return guess if guess is not None and is_known_region(guess) else None

    def format_phone(self, value: str | None) -> str:
        """A phone number grouped for reading back (display only: stores keep theirs)."""
        return format_phone(value, self.phone_region)

    @property
    def mirror(self) -> MirrorService | None:
        return self._mirror

    @property
    def online(self) -> bool:
        return self._mirror is None or self._mirror.online

    @property
    def backend_name(self) -> str:
        return self._backend.name

    @property
    def capabilities(self) -> Capability:
        """What the backend declares, less what this shop was found to refuse."""
        return self._restrictions.apply(self._backend.capabilities)

    @property
    def limitations(self) -> tuple[Limitation, ...]:
        """What the store turned out not to do, as found so far: it can grow with any
        answer (a customer's first load finds out about the address book)."""
        if isinstance(self._backend, ReportsLimitations):
            return self._backend.limitations
        return ()

    def limitation(self, feature: Feature) -> Limitation | None:
        for found in self.limitations:
            if found.feature is feature:
                return found
        return None

    @property
    def address_book(self) -> AddressBook:
        """How much of a customer's addresses the store shows; stores that cannot fall
        short list them all."""
        if isinstance(self._backend, ReportsLimitations):
            return self._backend.address_book
        return AddressBook.LISTED

    def _need_editable_addresses(self) -> None:
        # Known read-only: refuse now rather than queue an edit the store will refuse.
        if not self.address_book.editable:
            raise UnsupportedOperationError(ADDRESS_BOOK_DEFAULTS_ONLY.unavailable)

    @property
    def address_form(self) -> AddressForm:
        """The store's address fields, labels and required fields (forms are built from it)."""
        if isinstance(self._backend, DeclaresAddressForm):
            return self._backend.address_form
        return DEFAULT_ADDRESS_FORM

    @property
    def sort_fields(self) -> frozenset[SortField]:
        if isinstance(self._backend, SupportsCustomerDirectory):
            return self._restrictions.sortable(self._backend.sort_fields)
        return frozenset()

    @property
    def restrictions(self) -> Restrictions:
        return self._restrictions

    def restrict(self, restrictions: Restrictions) -> None:
        """Adopt what the store doctor found (replaces earlier findings)."""
        self._restrictions = restrictions

    def _need(self, protocol: type[P], what: str) -> P:
        if not isinstance(self._backend, protocol):
            raise UnsupportedOperationError(f"This store cannot {what}.")
        return self._backend

    async def check_connection(self) -> None:
        await self._backend.check_connection()

    # --- the mirror ----------------------------------------------------------------------

    async def _live(
        self,
        remote: Callable[[], Awaitable[T]],
        local: Callable[[MirrorService], Awaitable[T | None]],
        keep: Callable[[MirrorService, T], Awaitable[None]] | None = None,
    ) -> T:
        """The backend's answer (kept in the mirror), or the mirror's when offline."""
        mirror = self._mirror
        if mirror is None or not mirror.covers_offline:
            if mirror is None:
                return await remote()
            value = await remote()
            if keep is not None:
                await keep(mirror, value)
            return value
        if not mirror.online:
            cached = await local(mirror)
            if cached is None:
                raise OfflineError("This is not in the local copy, and the store is unreachable.")
            return cached
        try:
            value = await remote()
        except ConnectionFailedError as exc:
            mirror.went_offline(exc)
            cached = await local(mirror)
            if cached is None:
                raise
            return cached
        if keep is not None:
            await keep(mirror, value)
        return value

    async def _write(
        self, remote: Awaitable[T], keep: Callable[[MirrorService, T], Awaitable[None]]
    ) -> T:
        value = await remote
        self.last_write = WriteOutcome()
        if self._mirror is not None:
            await self._keep_after_write(lambda mirror: keep(mirror, value))
        return value

    async def _keep_after_write(self, keep: Callable[[MirrorService], Awaitable[object]]) -> None:
        """Update the local copy after the store accepted a write. The store has it: a
        locked or full mirror never turns that success into a failure (a sync catches up)."""
        assert self._mirror is not None
        try:
            await keep(self._mirror)
        except ConnectionFailedError as exc:
            self._mirror.went_offline(exc)
        except (CacheUnavailableError, CacheBugError) as exc:
            log.info("saved in the store; the local copy was not updated: %s", exc)
            self.last_write = WriteOutcome(
                mirror_problem="Saved in the store, but the local copy could not be updated: "
                f"{exc.user_message} It catches up at the next sync."
            )
        except AppError as exc:  # e.g. the follow-up read met a 404: the write still stands
            log.info("saved in the store; the follow-up read failed: %s", exc)

    async def _record(self, *entries: Activity) -> None:
        """Note in the mirror's activity what the store just accepted (its timeline)."""
        if self._mirror is not None and entries:
            await self._keep_after_write(lambda mirror: mirror.record_activity(*entries))

    @property
    def _actor(self) -> str | None:
        return self._mirror.actor if self._mirror is not None else None

    async def _before(self, read: Callable[[MirrorService], Awaitable[T | None]]) -> T | None:
        """The mirror's copy before a write (the "old" of its record); None when unknown.
        A broken local copy never stops the write itself."""
        if self._mirror is None or not self._mirror.is_open:
            return None
        try:
            return await read(self._mirror)
        except (CacheUnavailableError, CacheBugError):
            return None

    def _needs_online(self, what: str) -> None:
        if self._mirror is not None:
            self._mirror.require_online(what)

    async def cached(self, customer_id: str) -> Customer | None:
        """The mirror's copy, at once (show it while `get` fetches the fresh one)."""
        return None if self._mirror is None else await self._mirror.cached(customer_id)

    def lists_from_mirror(self) -> bool:
        """Whether a new search is answered by the mirror (so it says nothing about
        whether the store is reachable)."""
        return self._mirror is not None and self._mirror.answers_search(None)

    # --- customers -----------------------------------------------------------------

    @staticmethod
    def needs_order_mirror(query: CustomerQuery) -> bool:
        """Whether only the mirror's copy of every order can answer this query (a filter
        or sort by order figures): no backend can, and none is asked."""
        return not query.orders.is_open() or query.sort.field in MIRROR_ONLY_SORTS

    def _order_mirror(self) -> MirrorService:
        """The mirror, when it holds every order; else why the query cannot be answered."""
        mirror = self._mirror
        if mirror is None:
            raise OrdersNotMirroredError(
                "Sorting or filtering customers by their orders needs the store's local "
                "copy, which is turned off for this store."
            )
        if not mirror.lists_orders:
            raise OrdersNotMirroredError(
                f"{self._backend.name} cannot list every order, so customers cannot be "
                "sorted or filtered by their orders."
            )
        if not (mirror.ready and mirror.orders_mirrored):
            raise OrdersNotMirroredError(
                "Sorting or filtering customers by their orders needs the local copy of "
                "every order, which is not complete yet: sync the store first."
            )
        return mirror

    async def figures(self, customer_id: str) -> CustomerFigures | None:
        """The customer's order figures, from the mirror's copy of every order; None
        where they are unknown (no mirror, a store that cannot list its orders, or no
        complete copy yet), which is not the same as no orders."""
        if self._mirror is None:
            return None
        return await self._mirror.figures(customer_id)

    async def search(
        self, query: CustomerQuery, page_token: str | None = None, *, count: bool = True
    ) -> Page[CustomerSummary]:
        """A page of matches. From the mirror, `count=False` leaves the total out of the
        first page (ask `count()` next), so rows show before a broad search is counted.
        A filter or sort by order figures is answered by the mirror alone, or refused
        (`OrdersNotMirroredError`)."""
        directory = self._need(SupportsCustomerDirectory, "list customers")
        if self.needs_order_mirror(query):
            return await self._order_mirror().search(
                query, page_token, count=count, phone_region=self.phone_region
            )
        mirror = self._mirror
        if mirror is not None and mirror.answers_search(page_token):
            return await mirror.search(
                query, page_token, count=count, phone_region=self.phone_region
            )
        refusal = self._restrictions.refusal(query)
        if refusal is not None:
            raise UnsupportedOperationError(refusal)
        try:
            return await directory.list_customers(query, page_token)
        except ConnectionFailedError as exc:
            if mirror is None or page_token is not None or not mirror.covers_offline:
                raise
            mirror.went_offline(exc)
            return await mirror.search(query, None, phone_region=self.phone_region)

    async def count(self, query: CustomerQuery) -> int | None:
        """How many customers match, from the mirror; None where only the backend knows
        (its first page carries the total)."""
        if self.needs_order_mirror(query):
            return await self._order_mirror().count(query, self.phone_region)
        mirror = self._mirror
        if mirror is None or not mirror.answers_search(None):
            return None
        return await mirror.count(query, self.phone_region)

    async def count_estimate(self, query: CustomerQuery) -> CountEstimate | None:
        """A count to show with the rows: exact when the mirror counts it cheaply, else
        an estimate ("about N", or no value) to be followed by `count`; None where only
        the backend knows."""
        mirror = self._mirror
        if mirror is None or not mirror.answers_search(None):
            return None
        return await mirror.count_estimate(query, self.phone_region)

    async def page_at(
        self, query: CustomerQuery, offset: int, size: int, *, total: int | None = None
    ) -> list[CustomerSummary]:
        """The matches at positions [offset, offset + size), from the mirror (a list
        shown from it reads any part of itself directly); only while the mirror answers
        new searches (`lists_from_mirror`)."""
        mirror = self._mirror
        if mirror is None or not mirror.answers_search(None):
            raise UnsupportedOperationError(
                "Rows by position come from the local copy, which does not answer now."
            )
        return await mirror.page_at(
            query, offset, size, total=total, phone_region=self.phone_region
        )

    async def iterate(
        self, query: CustomerQuery, limit: int | None = None
    ) -> AsyncIterator[CustomerSummary]:
        """Every match, page by page; stops after `limit` when given.

        The next page is requested while the caller consumes the current one, so the
        caller's work (printing, exporting) overlaps the server's.
        """
        page = await self.search(query)
        token: str | None = None
        guard = PageGuard()
        seen = 0
        while True:
            # Rows an offset listing shifted onto this page too are not printed twice.
            repeated = guard.check(token, (c.id for c in page.items), page.next_token, page.total)
            token = page.next_token
            wanted_more = limit is None or seen + len(page.items) < limit
            ahead = (
                asyncio.ensure_future(self.search(query, page.next_token))
                if page.next_token is not None and wanted_more
                else None
            )
            try:
                for item in page.items:
                    if limit is not None and seen >= limit:
                        return
                    if item.id in repeated:
                        continue
                    seen += 1
                    yield item
                if ahead is None:
                    return
                page = await ahead
                ahead = None
            finally:
                if ahead is not None:
                    ahead.cancel()

    async def get(self, customer_id: str) -> Customer:
        """The server's current record (refreshing the mirror's), or the mirror's offline."""
        directory = self._need(SupportsCustomerDirectory, "show customers")
        mirror = self._mirror
        if mirror is not None and mirror.online:
            try:
                return await mirror.refresh_customer(customer_id)
            except ConnectionFailedError as exc:
                if not mirror.covers_offline:
                    raise
                mirror.went_offline(exc)
        return await self._live(
            lambda: directory.get_customer(customer_id),
            lambda m: m.customer(customer_id),
        )

    async def create(self, draft: CustomerDraft) -> Customer:
        validation.check_customer_draft(draft)
        writer = self._need(SupportsCustomerWrite, "create customers")
        self._needs_online("Creating a customer")

        async def send() -> Customer:
            try:
                return await writer.create_customer(draft)
            except OutcomeUnknownError as unknown:
                return await self._customer_created_meanwhile(draft, unknown)

        customer = await self._write(send(), MirrorService.keep_customer)
        fields = draft.model_dump(exclude={"metadata"}, exclude_none=True)
        await self._record(
            customer_edit(
                customer.id,
                edit_changes({}, fields, {}, draft.metadata),
                self._actor,
                datetime.now(UTC),
            ).model_copy(update={"summary": "Created the customer"})
        )
        return customer

    async def _customer_created_meanwhile(
        self, draft: CustomerDraft, unknown: OutcomeUnknownError
    ) -> Customer:
        """After a create whose answer was lost: the store's customer if it made one (found
        by its email, which the store keeps unique), so nobody creates it twice."""
        directory = self._backend
        if (
            not draft.email
            or not isinstance(directory, SupportsCustomerDirectory)
            or Capability.FILTER_EMAIL not in directory.capabilities
        ):
            raise unknown
        try:
            page = await directory.list_customers(CustomerQuery(email=draft.email, page_size=5))
        except AppError:
            raise unknown from None
        for found in page.items:
            same = (found.first_name, found.last_name) == (draft.first_name, draft.last_name)
            if same and (found.email or "").casefold() == draft.email.casefold():
                return await directory.get_customer(found.id)
        raise ConnectionFailedError(
            "The connection broke while creating the customer; the store did not save it.",
            details=unknown.details,
        ) from unknown

    async def update(self, customer_id: str, patch: CustomerPatch) -> Customer:
        """Saved in the store; offline, queued and shown from the mirror until replayed."""
        validation.check_customer_patch(patch)
        writer = self._need(SupportsCustomerWrite, "edit customers")

        async def queue(mirror: MirrorService) -> Customer:
            current = await mirror.customer(customer_id)
            if current is None:
                raise OfflineError("This customer is not in the local copy; edit it when online.")
            return await mirror.queue_customer_update(current, patch)

        async def send() -> Customer:
            before = await self._before(lambda m: m.customer(customer_id))
            saved = await self._write(
                writer.update_customer(customer_id, patch), MirrorService.keep_customer
            )
            await self._record_edit(customer_id, before, patch)
            return saved

        return await self._send_or_queue(send, queue)

    async def _record_edit(
        self,
        customer_id: str,
        before: Customer | Address | None,
        patch: CustomerPatch | AddressPatch,
        address_id: str | None = None,
    ) -> None:
        fields = patch.changes()
        old = {name: getattr(before, name) for name in fields} if before is not None else {}
        changes = edit_changes(
            old,
            fields,
            before.metadata if before is not None else {},
            patch.metadata.set,
            patch.metadata.remove,
            prefix="address." if address_id else "",
        )
        if changes:
            what = "address" if address_id else ""
            at = datetime.now(UTC)
            await self._record(
                customer_edit(customer_id, changes, self._actor, at, what=what, ref=address_id)
            )

    async def _send_or_queue(
        self,
        send: Callable[[], Awaitable[T]],
        queue: Callable[[MirrorService], Awaitable[T]],
    ) -> T:
        """Send a write to the store; with a mirror that covers offline work, queue it there
        instead when the store is unreachable (known, or found out by this very send)."""
        mirror = self._mirror
        self.last_write = WriteOutcome()
        if mirror is None or mirror.online or not mirror.covers_offline:
            try:
                return await send()
            except ConnectionFailedError as exc:
                if mirror is None or not mirror.covers_offline:
                    raise
                mirror.went_offline(exc)
        return await self._queue(mirror, queue)

    async def _queue(
        self, mirror: MirrorService, queue: Callable[[MirrorService], Awaitable[T]]
    ) -> T:
        if not self.queue_offline:
            raise OfflineError(
                "The store's server is unreachable and queuing is off: nothing was changed."
            )
        value = await queue(mirror)
        self.last_write = WriteOutcome(queued=True)
        return value

    async def delete(self, customer_id: str) -> None:
        writer = self._need(SupportsCustomerWrite, "delete customers")
        self._needs_online("Deleting a customer")
        await writer.delete_customer(customer_id)
        self.last_write = WriteOutcome()
        if self._mirror is not None:
            await self._keep_after_write(lambda m: m.forget_customer(customer_id))

    # --- addresses -----------------------------------------------------------------

    async def addresses(self, customer_id: str) -> list[Address]:
        book = self._need(SupportsAddresses, "keep addresses")

        async def keep(mirror: MirrorService, addresses: list[Address]) -> None:
            await mirror.keep_addresses(customer_id, addresses)

        return await self._live(
            lambda: book.list_addresses(customer_id), lambda m: m.addresses(customer_id), keep
        )

    async def add_address(self, customer_id: str, draft: AddressDraft) -> Address:
        """Created in the store; offline, queued and shown (with a local id) until replayed."""
        validation.check_address_draft(draft)
        validation.raise_field_errors(self.address_form.draft_problems(draft))
        book = self._need(SupportsAddresses, "keep addresses")

        async def send() -> Address:
            try:
                address = await book.create_address(customer_id, draft)
            except OutcomeUnknownError as unknown:
                address = await _created_meanwhile(book, customer_id, draft, unknown)
            await self._after_address_write(customer_id)
            await self._record(
                address_added_or_removed(
                    customer_id,
                    address.model_dump(),
                    self._actor,
                    datetime.now(UTC),
                    added=True,
                    ref=address.id,
                )
            )
            return address

        async def queue(mirror: MirrorService) -> Address:
            if await mirror.customer(customer_id) is None:
                raise OfflineError("This customer is not in the local copy; add it when online.")
            return await mirror.queue_address_create(customer_id, draft)

        return await self._send_or_queue(send, queue)

    async def update_address(
        self, customer_id: str, address_id: str, patch: AddressPatch
    ) -> Address:
        """Saved in the store; offline, queued like a customer edit."""
        validation.check_address_patch(patch)
        validation.raise_field_errors(self.address_form.patch_problems(patch))
        book = self._need(SupportsAddresses, "keep addresses")
        if self._mirror is not None and self._mirror.is_local_address(address_id):
            # Never reached the store: the edit amends its queued creation.
            return await self._queue(
                self._mirror, lambda m: m.amend_address_create(customer_id, address_id, patch)
            )
        self._need_editable_addresses()

        async def send() -> Address:
            before = await self._before(lambda m: m.address(customer_id, address_id))
            address = await book.update_address(customer_id, address_id, patch)
            await self._after_address_write(customer_id)
            await self._record_edit(customer_id, before, patch, address_id)
            return address

        async def queue(mirror: MirrorService) -> Address:
            current = await mirror.address(customer_id, address_id)
            if current is None:
                raise OfflineError("This address is not in the local copy; edit it when online.")
            return await mirror.queue_address_update(customer_id, current, patch)

        return await self._send_or_queue(send, queue)

    async def delete_address(self, customer_id: str, address_id: str) -> None:
        """Deleted in the store; offline, queued and hidden from the mirror's copy."""
        book = self._need(SupportsAddresses, "keep addresses")

        async def send() -> None:
            before = await self._before(lambda m: m.address(customer_id, address_id))
            await book.delete_address(customer_id, address_id)
            await self._after_address_write(customer_id)
            values = before.model_dump() if before is not None else {"address_1": address_id}
            await self._record(
                address_added_or_removed(
                    customer_id, values, self._actor, datetime.now(UTC), added=False, ref=address_id
                )
            )

        async def queue(mirror: MirrorService) -> None:
            current = await mirror.address(customer_id, address_id)
            if current is None:
                raise OfflineError("This address is not in the local copy; delete it when online.")
            await mirror.queue_address_delete(customer_id, current)

        if self._mirror is not None and self._mirror.is_local_address(address_id):
            await self._queue(self._mirror, queue)  # never reached the store: drop its creation
        else:
            self._need_editable_addresses()
            await self._send_or_queue(send, queue)

    async def _after_address_write(self, customer_id: str) -> None:
        # Other addresses' default flags may have moved too: take the store's whole record.
        # The write itself went through: whatever this follow-up read meets, it stays done
        # (a failed read leaves the mirror as it was, to be refreshed later).
        if self._mirror is not None:
            await self._keep_after_write(lambda m: m.refresh_customer(customer_id))

    # --- groups --------------------------------------------------------------------

    async def groups(self) -> list[CustomerGroup]:
        directory = self._need(SupportsGroups, "group customers")

        async def local(mirror: MirrorService) -> list[CustomerGroup] | None:
            return await mirror.groups()

        return await self._live(directory.list_groups, local, MirrorService.keep_groups)

    async def usual_country(self) -> str | None:
        """The store's most common address country, where the mirror knows it."""
        country = self._mirror.common_country if self._mirror is not None else None
        return country.lower() if country else None

    async def change_groups(
        self,
        customer_id: str,
        add: frozenset[str] = frozenset(),
        remove: frozenset[str] = frozenset(),
    ) -> Customer:
        groups = self._need(SupportsGroups, "group customers")
        self._needs_online("Changing groups")
        before = await self._before(lambda m: m.customer(customer_id))
        customer = await self._write(
            groups.change_group_membership(customer_id, add, remove), MirrorService.keep_customer
        )
        old = sorted(g.name for g in before.groups) if before is not None else None
        new = sorted(g.name for g in customer.groups)
        if old != new:
            change = FieldChange(
                field="groups",
                old=", ".join(old) if old is not None else None,
                new=", ".join(new) or "(none)",
            )
            await self._record(
                customer_edit(customer_id, (change,), self._actor, datetime.now(UTC))
            )
        return customer

    # --- orders --------------------------------------------------------------------

    async def orders(
        self, customer_id: str, page_token: str | None = None, page_size: int = 20
    ) -> Page[OrderSummary]:
        history = self._need(SupportsOrderHistory, "show orders")
        mirror = self._mirror
        if mirror is not None and mirror.answers_orders(page_token):
            page = await mirror.orders(customer_id, page_token, page_size)
            assert page is not None  # a page the mirror began continues there
            return page

        async def local(m: MirrorService) -> Page[OrderSummary] | None:
            if page_token is not None:
                return None  # the backend's paging cannot continue from the mirror
            page = await m.orders(customer_id, None, page_size)
            if page is None:
                # Never fetched: an empty list would claim "no orders", the truth is unknown.
                raise OfflineError(
                    "Orders cannot be loaded while the store is unreachable (this customer's "
                    "orders were never fetched, so the local copy does not know them)."
                )
            return page

        async def keep(m: MirrorService, page: Page[OrderSummary]) -> None:
            await m.keep_orders(customer_id, page.items, first=page_token is None)

        return await self._live(
            lambda: history.list_orders(customer_id, page_token, page_size), local, keep
        )

    async def order(self, order_id: str) -> OrderDetail:
        history = self._need(SupportsOrderHistory, "show orders")

        return await self._live(
            lambda: history.get_order(order_id),
            lambda m: m.order(order_id),
            MirrorService.keep_order,
        )

    def registered_at(self, customer: CustomerSummary) -> datetime | None:
        """When the customer signed up, where the store dates it; None without an account
        or where the store keeps only a flag (then nobody knows when)."""
        if isinstance(self._backend, DatesRegistration):
            return self._backend.registered_at(customer)
        return None

    # --- password tokens -----------------------------------------------------------

    def token_eligibility(self, customer: CustomerSummary) -> TokenEligibility:
        if not isinstance(self._backend, SupportsPasswordTokens):
            reason = (
                self._backend.password_token_refusal
                if isinstance(self._backend, ExplainsNoPasswordTokens)
                else "This store offers no way to issue password tokens."
            )
            return TokenEligibility(allowed=False, reason=reason)
        eligibility = self._backend.token_eligibility(customer)
        if not self.online:
            # Tokens are never queued: a reset link sent hours later would surprise everyone.
            # The action keeps its name (the button must not turn into another one).
            return TokenEligibility(
                allowed=False,
                reason="The store's server is unreachable; tokens can be issued once it is back.",
                action=eligibility.action,
            )
        return eligibility

    async def issue_token(self, customer: CustomerSummary) -> TokenIssuance:
        if isinstance(self._backend, ExplainsNoPasswordTokens) and not isinstance(
            self._backend, SupportsPasswordTokens
        ):
            self._needs_online("Issuing a token")
            raise NotEligibleError(self._backend.password_token_refusal)
        tokens = self._need(SupportsPasswordTokens, "issue password tokens")
        self._needs_online("Issuing a token")
        try:
            issuance = await tokens.issue_password_token(customer)
        except ConnectionFailedError as exc:
            if self._mirror is not None:
                self._mirror.went_offline(exc)
            raise
        await self._record(token_activity(issuance, self._actor))
        return issuance


async def _created_meanwhile(
    book: SupportsAddresses, customer_id: str, draft: AddressDraft, unknown: OutcomeUnknownError
) -> Address:
    """After a create whose answer was lost: the store's address if it made one.

    Checked before anyone retries, so a lost answer never becomes a second address. Not
    there: nothing was applied, a plain connection failure (which may be queued and
    replayed). The store unreachable for the check too: the outcome stays unknown.
    """
    try:
        existing = await book.list_addresses(customer_id)
    except AppError:
        raise unknown from None
    wanted = draft.model_dump(mode="json")
    for address in reversed(existing):
        if address.model_dump(mode="json", exclude={"id", "customer_id"}) == wanted:
            return address
    raise ConnectionFailedError(
        "The connection broke while adding the address; the store did not save it.",
        details=unknown.details,
    ) from unknown
