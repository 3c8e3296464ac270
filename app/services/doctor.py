"""The store doctor: a read-only probe of every route the desk relies on, against the live shop.

For each feature the adapter declares (sign-in, the list with each filter and sort it would
send, one customer, its addresses, its orders, the store-wide order listing, groups,
changed-since) the doctor calls the
adapter exactly as the desk does and reports what the shop answered:

* works: a success, and the answer honours the request;
* degraded: a success that ignores the request (a filter that lets other rows through, a
  date sort out of order, a search that misses the customer it was given) or a body we
  cannot read;
* refused: an error status (a 400 for an unknown sort, a 404 for a route the shop lacks).

An adapter that degrades by itself (Chec's address list answering 405: the customer's
default addresses stand in) answers with a success; its `Limitation` makes the feature
degraded, with the status that taught it. The desk already copes (it shows the notice),
so such a feature is not disabled.

It never writes. Every request goes through a `ReadOnlyGuard` (a gateway observer for the
doctor's task only) that stops anything but a GET or the adapter's own sign-in before it is
sent; writes, password tokens and group membership changes are listed as not probed.
What works less than declared becomes the store's `Restrictions`, kept per store profile,
so the desk disables a sort or filter this shop refuses.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from app.backends.protocols import (
    Backend,
    DeclaresSignIn,
    ReportsLimitations,
    SupportsAddresses,
    SupportsChangedSince,
    SupportsCustomerDirectory,
    SupportsGroups,
    SupportsOrderDirectory,
    SupportsOrderHistory,
)
from app.domain.capabilities import Capability
from app.domain.customer import CustomerSummary
from app.domain.errors import AppError, BadResponseError, HttpStatusError
from app.domain.limitations import Feature, Limitation
from app.domain.query import CustomerQuery, DateRange, Sort, SortField
from app.gateway.observe import observing
from app.services.context import Services, StoreContext, store_identity
from app.services.restrictions import Restrictions

SAMPLE_SIZE = 50  # customers read to pick samples from (one with a phone, one with a company…)
PROBE_PAGE = 100
DEFAULTS_ONLY = "addresses from the customer's defaults only"
ORDER_TRIES = 10  # customers asked for orders until one has an order to read

# Declared capabilities that only a write could prove: listed, never exercised.
WRITES = {
    Capability.CUSTOMER_CREATE: "creating a customer",
    Capability.CUSTOMER_UPDATE: "changing a customer",
    Capability.CUSTOMER_DELETE: "deleting a customer",
    Capability.GROUP_MEMBERSHIP: "changing group membership",
    Capability.PASSWORD_TOKENS: "issuing a token (it sends the customer a message)",
}


class Outcome(StrEnum):
    WORKS = "works"
    DEGRADED = "degraded"
    REFUSED = "refused"
    NOT_PROBED = "not probed"


_PROBLEMS = (Outcome.DEGRADED, Outcome.REFUSED)


@dataclass(frozen=True, slots=True)
class Exchange:
    method: str
    path: str
    status: int | None  # None: no answer (the connection failed)


@dataclass(frozen=True, slots=True)
class FeatureResult:
    feature: str  # "sign-in", "filter-email", "sort:-created_at", …
    capability: Capability | None  # what the desk disables when this fails
    outcome: Outcome
    status: int | None  # the last HTTP status seen for this feature
    detail: str = ""
    exchanges: tuple[Exchange, ...] = ()
    sort: SortField | None = None
    # Degraded by the adapter itself (it fell back and says so): nothing for the desk to disable.
    limitation: Limitation | None = None


@dataclass(frozen=True, slots=True)
class DoctorReport:
    store: str
    backend: str
    results: tuple[FeatureResult, ...]
    restrictions: Restrictions

    @property
    def problems(self) -> tuple[FeatureResult, ...]:
        """The features found degraded or refused."""
        return tuple(r for r in self.results if r.outcome in _PROBLEMS)

    @property
    def healthy(self) -> bool:
        return not self.problems

    def result(self, feature: str) -> FeatureResult:
        for r in self.results:
            if r.feature == feature:
                return r
        raise KeyError(feature)

    @property
    def exchanges(self) -> tuple[Exchange, ...]:
        return tuple(e for r in self.results for e in r.exchanges)


class WriteAttemptError(AppError):
    """A probe tried to send something that changes the store. A bug: stopped unsent."""

    default_message = "The store check tried to change the store and was stopped (a bug)."


class ReadOnlyGuard:
    """Records every request of the doctor's task; stops any but a GET or the sign-in."""

    def __init__(self, sign_in: frozenset[tuple[str, str]]) -> None:
        self._sign_in = sign_in
        self.exchanges: list[Exchange] = []

    def sending(self, method: str, path: str) -> None:
        if method != "GET" and (method, path) not in self._sign_in:
            raise WriteAttemptError(f"The store check refused to send {method} {path}.")

    def answered(self, method: str, path: str, status: int | None) -> None:
        self.exchanges.append(Exchange(method, path, status))


class _MismatchError(Exception):
    """A success whose answer ignores what was asked (degraded)."""


class _LimitedError(Exception):
    """A success the adapter only got by falling back (see `Limitation`): degraded."""

    def __init__(self, detail: str, limitation: Limitation) -> None:
        super().__init__(detail)
        self.limitation = limitation


class _SkipError(Exception):
    """Nothing in this shop to probe the feature with (no customer with a phone, …)."""


@dataclass
class _Samples:
    customers: list[CustomerSummary] = field(default_factory=list)
    total: int | None = None  # customers in the whole unfiltered list, when the shop says
    focus: CustomerSummary | None = None  # the customer for detail, addresses, orders

    def having(self, what: str, test: Callable[[CustomerSummary], object]) -> CustomerSummary:
        pool = ([self.focus] if self.focus else []) + self.customers
        for c in pool:
            if test(c):
                return c
        raise _SkipError(f"no customer {what} among the first {len(self.customers)}")


def _ids(rows: Sequence[CustomerSummary]) -> set[str]:
    return {r.id for r in rows}


class _Prober:
    def __init__(self, backend: Backend, guard: ReadOnlyGuard, customer_id: str | None) -> None:
        self.backend = backend
        self.guard = guard
        self.customer_id = customer_id
        self.results: list[FeatureResult] = []
        self.samples = _Samples()

    async def run(
        self,
        feature: str,
        capability: Capability | None,
        probe: Callable[[], Awaitable[str]],
        sort: SortField | None = None,
    ) -> FeatureResult:
        start = len(self.guard.exchanges)
        status: int | None = None
        limitation: Limitation | None = None
        try:
            detail = await probe()
            outcome = Outcome.WORKS
        except _SkipError as exc:
            outcome, detail = Outcome.NOT_PROBED, str(exc)
        except _MismatchError as exc:
            outcome, detail = Outcome.DEGRADED, str(exc)
        except _LimitedError as exc:
            outcome, detail, limitation = Outcome.DEGRADED, str(exc), exc.limitation
        except BadResponseError as exc:
            outcome, detail = Outcome.DEGRADED, "the answer is not in the expected shape"
            status = exc.details.status
        except HttpStatusError as exc:
            outcome, detail, status = Outcome.REFUSED, exc.user_message, exc.status
        seen = tuple(self.guard.exchanges[start:])
        if status is None and limitation is not None:
            # The answer the adapter fell back from (the 405), not the fallback's success.
            status = limitation.status
        if status is None and seen:
            # A feature that works reports its last success: a fallback on the way (Chec's
            # address list answering 405 while a customer is read) is the addresses' finding.
            works = outcome is Outcome.WORKS
            ok = [e for e in seen if not works or (e.status or 0) < 400]
            status = (ok or seen)[-1].status
        result = FeatureResult(feature, capability, outcome, status, detail, seen, sort, limitation)
        self.results.append(result)
        return result

    def directory(self) -> SupportsCustomerDirectory:
        assert isinstance(self.backend, SupportsCustomerDirectory)
        return self.backend

    async def listing(self, query: CustomerQuery) -> list[CustomerSummary]:
        page = await self.directory().list_customers(query)
        return list(page.items)

    async def narrowed(self, query: CustomerQuery, what: str) -> list[CustomerSummary]:
        """The rows of a search for one customer; every customer of a shop with more than
        one coming back means the shop ignored the search."""
        page = await self.directory().list_customers(query)
        everyone = self.samples.total
        _check(
            page.total is None or everyone is None or everyone < 2 or page.total < everyone,
            f"searching {what} returned every customer: the search was ignored",
        )
        return list(page.items)


def _limitation(backend: object, feature: Feature) -> Limitation | None:
    """The limitation the adapter found for `feature` so far, if it reports any."""
    if not isinstance(backend, ReportsLimitations):
        return None
    found = [lim for lim in backend.limitations if lim.feature.value == feature.value]
    return found[0] if found else None


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise _MismatchError(message)


async def probe_backend(
    backend: Backend, *, store: str = "", customer_id: str | None = None
) -> DoctorReport:
    """Probe `backend` read-only (see the module docstring). A store that cannot be reached
    raises `ConnectionFailedError`; everything the shop answers becomes a result."""
    sign_in = backend.sign_in_routes if isinstance(backend, DeclaresSignIn) else frozenset()
    guard = ReadOnlyGuard(sign_in)
    prober = _Prober(backend, guard, customer_id)
    with observing(guard):
        await _probe_all(prober)
    results = tuple(prober.results)
    return DoctorReport(store, backend.name, results, restrictions_from(results, backend))


async def _probe_all(p: _Prober) -> None:
    caps = p.backend.capabilities

    async def sign_in() -> str:
        await p.backend.check_connection()
        return "signed in and read one page"

    # A refused sign-in (401/403) is a result; an unreachable store raises.
    await p.run("sign-in", None, sign_in)
    if p.results[-1].outcome is not Outcome.WORKS:
        return  # nothing else can answer without a session
    if not isinstance(p.backend, SupportsCustomerDirectory):
        return

    await p.run("list", Capability.CUSTOMER_LIST, lambda: _list(p))
    if p.results[-1].outcome is Outcome.WORKS:
        await _probe_customer(p)
        await _probe_search_and_filters(p, caps)
        if Capability.SORT in caps:
            for field_ in sorted(p.directory().sort_fields):
                for descending in (False, True):
                    sort = Sort(field=field_, descending=descending)
                    await p.run(f"sort:{sort}", Capability.SORT, _sort_probe(p, sort), sort=field_)
    if Capability.CHANGED_SINCE in caps and isinstance(p.backend, SupportsChangedSince):
        changed = p.backend
        await p.run("changed-since", Capability.CHANGED_SINCE, lambda: _changed_since(p, changed))
    if isinstance(p.backend, SupportsOrderDirectory):
        # No capability flag of its own: a refusal is reported, never taken from the desk
        # (the per-customer order history does not depend on it).
        every = p.backend
        await p.run("order-directory", None, lambda: _order_directory(every))
    if Capability.GROUPS in caps and isinstance(p.backend, SupportsGroups):
        groups = p.backend

        async def list_groups() -> str:
            return f"{len(await groups.list_groups())} groups"

        await p.run("groups", Capability.GROUPS, list_groups)
    for capability, what in WRITES.items():
        if capability in caps:
            p.results.append(
                FeatureResult(
                    capability.name.lower() if capability.name else "",
                    capability,
                    Outcome.NOT_PROBED,
                    None,
                    f"{what} writes to the store; the check never writes",
                )
            )


async def _list(p: _Prober) -> str:
    page = await p.directory().list_customers(CustomerQuery(page_size=SAMPLE_SIZE))
    p.samples.customers = list(page.items)
    p.samples.total = page.total
    total = "" if page.total is None else f" of {page.total}"
    return f"{len(page.items)}{total} customers"


async def _probe_customer(p: _Prober) -> None:
    directory = p.directory()

    async def detail() -> str:
        wanted = p.customer_id or (p.samples.customers[0].id if p.samples.customers else None)
        if wanted is None:
            raise _SkipError("the store has no customers")
        customer = await directory.get_customer(wanted)
        _check(customer.id == wanted, f"asked for {wanted}, got {customer.id}")
        p.samples.focus = customer
        return f"read {customer.id}"

    await p.run("customer", Capability.CUSTOMER_LIST, detail)
    focus = p.samples.focus
    caps = p.backend.capabilities
    if Capability.ADDRESSES in caps and isinstance(p.backend, SupportsAddresses):
        addresses_api = p.backend

        async def addresses() -> str:
            if focus is None:
                raise _SkipError("no customer to read addresses of")
            found = await addresses_api.list_addresses(focus.id)
            _check(
                all(a.customer_id in (None, focus.id) for a in found),
                "addresses of another customer came back",
            )
            limited = _limitation(addresses_api, Feature.ADDRESS_BOOK)
            if limited is not None:
                raise _LimitedError(DEFAULTS_ONLY, limited)
            return f"{len(found)} addresses"

        await p.run("addresses", Capability.ADDRESSES, addresses)
    if Capability.ORDERS in caps and isinstance(p.backend, SupportsOrderHistory):
        orders_api = p.backend
        first_order: list[str] = []

        async def orders() -> str:
            if focus is None:
                raise _SkipError("no customer to read orders of")
            # The focus customer first; a few others until one has an order to read.
            others = [c for c in p.samples.customers if c.id != focus.id][:ORDER_TRIES]
            for owner in (focus, *others):
                page = await orders_api.list_orders(owner.id, page_size=5)
                if page.items:
                    first_order.append(page.items[0].id)
                    return f"{len(page.items)} orders of {owner.id} on the first page"
            return f"no orders among {1 + len(others)} customers"

        await p.run("orders", Capability.ORDERS, orders)

        async def order() -> str:
            if not first_order:
                raise _SkipError("no customer with an order to read")
            detail = await orders_api.get_order(first_order[0])
            _check(detail.id == first_order[0], "another order came back")
            return f"read {detail.id}"

        await p.run("order", Capability.ORDERS, order)


async def _probe_search_and_filters(p: _Prober, caps: Capability) -> None:
    s = p.samples

    def search_for(
        what: str, pick: Callable[[CustomerSummary], str | None]
    ) -> Callable[[], Awaitable[str]]:
        async def probe() -> str:
            sample = s.having(what, pick)
            text = pick(sample) or ""
            rows = await p.narrowed(CustomerQuery(text=text, page_size=PROBE_PAGE), what)
            _check(sample.id in _ids(rows), f"searching {what} did not find {sample.id}")
            return f"{len(rows)} matches"

        return probe

    if Capability.CUSTOMER_SEARCH in caps:

        async def search() -> str:
            # What free text matches differs by backend: a search that finds the customer
            # by email or by last name works; one that finds it by neither is degraded.
            sample = s.having("with an email or a last name", lambda c: c.email or c.last_name)
            for what, text in (("email", sample.email), ("last name", sample.last_name)):
                if text:
                    query = CustomerQuery(text=text, page_size=PROBE_PAGE)
                    rows = await p.narrowed(query, f"by {what}")
                    if sample.id in _ids(rows):
                        return f"found by {what} ({len(rows)} matches)"
            raise _MismatchError(f"searching its email or last name did not find {sample.id}")

        await p.run("search", Capability.CUSTOMER_SEARCH, search)
    if Capability.SEARCH_BY_PHONE in caps:
        probe = search_for("with a phone", lambda c: c.phone)
        await p.run("search-phone", Capability.SEARCH_BY_PHONE, probe)
    if Capability.SEARCH_BY_COMPANY in caps:
        probe = search_for("with a company", lambda c: c.company)
        await p.run("search-company", Capability.SEARCH_BY_COMPANY, probe)

    if Capability.FILTER_HAS_ACCOUNT in caps:

        async def has_account() -> str:
            counts = []
            for flag in (True, False):
                rows = await p.listing(CustomerQuery(has_account=flag, page_size=PROBE_PAGE))
                _check(
                    all(r.has_account is flag for r in rows),
                    f"has_account={str(flag).lower()} let other customers through",
                )
                counts.append(len(rows))
            return f"{counts[0]} with, {counts[1]} without an account"

        await p.run("filter-has-account", Capability.FILTER_HAS_ACCOUNT, has_account)

    if Capability.FILTER_EMAIL in caps:

        async def by_email() -> str:
            sample = s.having("with an email", lambda c: c.email)
            email = sample.email or ""
            rows = await p.listing(CustomerQuery(email=email, page_size=PROBE_PAGE))
            _check(sample.id in _ids(rows), f"the email filter did not find {sample.id}")
            _check(
                all((r.email or "").casefold() == email.casefold() for r in rows),
                "the email filter let other emails through",
            )
            return f"{len(rows)} matches"

        await p.run("filter-email", Capability.FILTER_EMAIL, by_email)

    if Capability.FILTER_GROUP in caps:

        async def by_group() -> str:
            sample = s.having("in a group", lambda c: c.groups)
            group = sample.groups[0]
            rows = await p.listing(
                CustomerQuery(group_ids=frozenset({group.id}), page_size=PROBE_PAGE)
            )
            _check(sample.id in _ids(rows), f"the group filter did not find {sample.id}")
            _check(
                all(any(g.id == group.id for g in r.groups) for r in rows),
                "the group filter let customers of other groups through",
            )
            return f"{len(rows)} in {group.name}"

        await p.run("filter-group", Capability.FILTER_GROUP, by_group)

    for capability, feature, attr in (
        (Capability.FILTER_CREATED, "filter-created", "created_at"),
        (Capability.FILTER_UPDATED, "filter-updated", "updated_at"),
    ):
        if capability in caps:
            await p.run(feature, capability, _date_probe(p, attr))


def _date_probe(p: _Prober, attr: str) -> Callable[[], Awaitable[str]]:
    async def probe() -> str:
        sample = p.samples.having("at all", lambda c: True)
        moment: datetime = getattr(sample, attr)
        # A one-second window around the sample: it must be in, nothing outside may be.
        start = moment.replace(microsecond=0)
        window = DateRange(start=start, end=start + timedelta(seconds=1))
        query = (
            CustomerQuery(created=window, page_size=PROBE_PAGE)
            if attr == "created_at"
            else CustomerQuery(updated=window, page_size=PROBE_PAGE)
        )
        rows = await p.listing(query)
        _check(sample.id in _ids(rows), f"the {attr} range did not find {sample.id}")
        _check(
            all(window.contains(getattr(r, attr)) for r in rows),
            f"the {attr} range let other dates through",
        )
        return f"{len(rows)} in the window"

    return probe


def _sort_probe(p: _Prober, sort: Sort) -> Callable[[], Awaitable[str]]:
    async def probe() -> str:
        rows = await p.listing(CustomerQuery(sort=sort, page_size=PROBE_PAGE))
        # Only dates have one order every shop agrees on; text collations differ (case,
        # accents, where empty values go), so for those a success is all we can ask.
        if sort.field in (SortField.CREATED_AT, SortField.UPDATED_AT):
            moments = [getattr(r, sort.field.value) for r in rows]
            expected = sorted(moments, reverse=sort.descending)
            _check(moments == expected, f"rows are not in {sort} order")
        return f"{len(rows)} rows"

    return probe


async def _changed_since(p: _Prober, changed: SupportsChangedSince) -> str:
    since = p.samples.focus.updated_at if p.samples.focus else datetime.now(UTC)
    page = await changed.list_changed_since(since, page_size=PROBE_PAGE)
    _check(all(c.updated_at >= since for c in page.items), "older customers came back")
    if p.samples.focus is not None:
        _check(len(page.items) > 0, "the customer changed at that moment did not come back")
    return f"{len(page.items)} changed since {since:%Y-%m-%d %H:%M:%S}"


async def _order_directory(directory: SupportsOrderDirectory) -> str:
    page = await directory.list_orders_changed_since(None, page_size=PROBE_PAGE)
    ids = [o.id for o in page.items]
    _check(len(ids) == len(set(ids)), "an order came twice on one page")
    stamps = [o.updated_at for o in page.items if o.updated_at is not None]
    _check(len(stamps) == len(ids), "orders came without their last change")
    if not directory.filters_orders_by_updated_at or not stamps:
        return f"{len(ids)} orders on the first page"
    since = max(stamps)
    changed = await directory.list_orders_changed_since(since, page_size=PROBE_PAGE)
    _check(
        all(o.updated_at is not None and o.updated_at >= since for o in changed.items),
        "older orders came back",
    )
    _check(len(changed.items) > 0, "the order changed at that moment did not come back")
    return f"{len(ids)} orders on the first page, {len(changed.items)} changed since the newest"


def restrictions_from(results: Sequence[FeatureResult], backend: Backend) -> Restrictions:
    """What the desk should stop offering: the capability of every degraded or refused
    feature, and each sort field refused in either direction (all of them: no sort)."""
    removed = Capability(0)
    unsortable: set[SortField] = set()
    essential = {None, Capability.CUSTOMER_LIST}  # without these there is no desk to adjust
    for r in results:
        if r.outcome not in _PROBLEMS or r.capability in essential:
            continue
        if r.limitation is not None:
            continue  # the adapter already falls back and the desk shows its notice
        if r.sort is not None:
            unsortable.add(r.sort)
        elif r.capability is not None:
            removed |= r.capability
    # Every declared sort field refused: no sort. (A backend that declares none, like Chec,
    # has nothing to take away.)
    if (
        Capability.SORT in backend.capabilities
        and isinstance(backend, SupportsCustomerDirectory)
        and unsortable >= backend.sort_fields
    ):
        removed |= Capability.SORT
    return Restrictions(removed, frozenset(unsortable))


class DoctorService:
    """Check an open store and remember what it refuses (per store profile)."""

    def __init__(self, services: Services) -> None:
        self._services = services

    async def check(self, context: StoreContext, customer_id: str | None = None) -> DoctorReport:
        report = await probe_backend(
            context.backend, store=context.profile.name, customer_id=customer_id
        )
        profile = context.profile
        self._services.restrictions.save(profile.name, store_identity(profile), report.restrictions)
        context.customers.restrict(report.restrictions)
        return report
