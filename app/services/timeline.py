"""`TimelineService`: one customer's history across kinds, newest first.

Assembled from what the desk knows, online or not: the customer record (created, and
registered where the store dates sign-ups), the orders (the store's answer, or the
mirror's copy offline), the mirror's activity record (changes sent from this desk, tokens
issued, payment and fulfilment transitions it noticed) and staff notes (an injected
source, so the notes service plugs in without this module knowing its storage). A source
that cannot answer leaves a notice instead of failing the whole timeline.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, replace

from babel import Locale

from app.domain.activity import Activity, FieldChange
from app.domain.capabilities import Capability
from app.domain.customer import CustomerSummary
from app.domain.errors import AppError
from app.domain.note import Note
from app.domain.order import OrderSummary
from app.domain.timeline import EventKind, TimelineEvent
from app.gateway.pagination import PageGuard
from app.services.customers import CustomerService
from app.services.figures_text import money

# Staff notes for a customer (`NotesService.notes`): the timeline reads, never writes them.
NoteSource = Callable[[str], Awaitable[Sequence[Note]]]

# Equal times read newest first too: what follows in a customer's life comes on top.
_RANK = {kind: rank for rank, kind in enumerate(EventKind)}
ORDER_PAGE = 100
MAX_ORDERS = 1000  # a timeline, not an export: the newest are what staff read
ORDER_KINDS = frozenset({EventKind.ORDER, EventKind.PAYMENT, EventKind.FULFILMENT})
_NOTE_TITLE = 80


@dataclass(frozen=True, slots=True)
class Timeline:
    customer_id: str
    events: tuple[TimelineEvent, ...]  # newest first
    notices: tuple[str, ...] = ()  # what it cannot show, and why

    def only(self, kinds: Collection[EventKind] | None) -> Timeline:
        if kinds is None:
            return self
        return replace(self, events=tuple(e for e in self.events if e.kind in kinds))


def newest_first(events: Sequence[TimelineEvent]) -> tuple[TimelineEvent, ...]:
    """By time, newest first; equal times by kind (later in a customer's life on top),
    then as the sources gave them, so the order never depends on chance."""
    ranked = sorted(
        enumerate(events), key=lambda p: (p[1].at, _RANK[p[1].kind], -p[0]), reverse=True
    )
    return tuple(e for _, e in ranked)


def order_event(order: OrderSummary, locale: Locale | None = None) -> TimelineEvent:
    """`locale`: the total as the editor header writes money (`£173.42`); None keeps the
    plain `173.42 GBP` (the CLI, whose output scripts read)."""
    state = "cancelled" if order.cancelled else order.status.replace("_", " ")
    number = order.display_number.lstrip("#")
    detail = []
    if order.payment_status:
        detail.append(f"payment: {order.payment_status.replace('_', ' ')}")
    if order.fulfillment_status:
        detail.append(f"fulfilment: {order.fulfillment_status.replace('_', ' ')}")
    if order.item_count is not None:
        detail.append(f"{order.item_count} item{'s' if order.item_count != 1 else ''}")
    total = money(order.total, locale) if locale is not None else str(order.total)
    return TimelineEvent(
        kind=EventKind.ORDER,
        at=order.created_at,
        title=f"Order #{number} · {total} · {state}",
        detail=" · ".join(detail),
        ref=order.id,
    )


def _change_line(change: FieldChange) -> str:
    def shown(value: object) -> str:
        return "—" if value is None or value == "" else str(value)

    if change.old is None and change.field in ("address", "valid for"):
        return f"{change.field}: {shown(change.new)}"
    return f"{change.field}: {shown(change.old)} → {shown(change.new)}"


def activity_event(activity: Activity) -> TimelineEvent:
    return TimelineEvent(
        kind=activity.kind,
        at=activity.at,
        title=activity.summary,
        detail="\n".join(_change_line(c) for c in activity.changes),
        actor=activity.actor,
        ref=activity.ref,
    )


def note_event(note: Note) -> TimelineEvent:
    first = note.body.strip().splitlines()[0] if note.body.strip() else "(empty note)"
    title = first if len(first) <= _NOTE_TITLE else first[: _NOTE_TITLE - 1] + "…"
    detail = note.body if note.body.strip() != first else ""  # the title says it all
    if note.updated_at > note.created_at:
        detail = f"{detail}\n(edited {note.updated_at:%Y-%m-%d %H:%M} UTC)".strip()
    return TimelineEvent(
        kind=EventKind.NOTE,
        at=note.created_at,
        title=f"Note: {title}",
        detail=detail,
        actor=note.author,
        ref=note.id,
    )


class TimelineService:
    def __init__(
        self,
        customers: CustomerService,
        notes: NoteSource | None = None,
        *,
        max_orders: int = MAX_ORDERS,
        locale: Locale | None = None,
    ) -> None:
        self._customers = customers
        self.locale = locale  # how order totals read (see `order_event`)
        self.notes = notes  # set by whoever composes the desk (None: no notes shown)
        self.max_orders = max_orders

    async def timeline(
        self, customer: CustomerSummary, kinds: Collection[EventKind] | None = None
    ) -> Timeline:
        """The customer's events of these kinds (None: all), newest first."""
        wanted = frozenset(kinds) if kinds is not None else frozenset(EventKind)
        events: list[TimelineEvent] = []
        notices: list[str] = []
        events += self._record_events(customer, wanted, notices)
        if wanted & {EventKind.ORDER}:
            events += await self._order_events(customer.id, notices)
        if wanted & {EventKind.CHANGE, EventKind.TOKEN, EventKind.PAYMENT, EventKind.FULFILMENT}:
            events += await self._activity_events(customer.id, notices)
        if EventKind.NOTE in wanted:
            events += await self._note_events(customer.id, notices)
        return Timeline(
            customer.id,
            newest_first([e for e in events if e.kind in wanted]),
            tuple(notices),
        )

    def _record_events(
        self, customer: CustomerSummary, wanted: frozenset[EventKind], notices: list[str]
    ) -> list[TimelineEvent]:
        out = [
            TimelineEvent(kind=EventKind.CREATED, at=customer.created_at, title="Customer created")
        ]
        registered = self._customers.registered_at(customer)
        if registered is not None:
            out.append(
                TimelineEvent(
                    kind=EventKind.REGISTERED,
                    at=registered,
                    title="Registered an account",
                )
            )
        elif customer.has_account and EventKind.REGISTERED in wanted:
            # A flag without a date: say so rather than invent a time.
            notices.append("Has an account; the store does not say since when.")
        return out

    async def _order_events(self, customer_id: str, notices: list[str]) -> list[TimelineEvent]:
        if Capability.ORDERS not in self._customers.capabilities:
            return []
        mirror = self._customers.mirror
        if mirror is not None and mirror.orders_mirrored:
            # Every order of the store is in the mirror (kept by the sync): no request.
            try:
                page = await mirror.orders(customer_id, None, self.max_orders)
            except AppError as exc:
                notices.append(f"Orders are left out: {exc.user_message}")
                return []
            if page is not None:
                if page.next_token is not None:
                    notices.append(f"Only the first {len(page.items):,} orders are shown.")
                return [order_event(o, self.locale) for o in page.items]
        orders: list[OrderSummary] = []
        token: str | None = None
        guard = PageGuard()
        try:
            while True:
                page = await self._customers.orders(customer_id, token, ORDER_PAGE)
                repeated = guard.check(
                    token, (o.id for o in page.items), page.next_token, page.total
                )
                orders += [o for o in page.items if o.id not in repeated]
                token = page.next_token
                if token is None:
                    break
                if len(orders) >= self.max_orders:
                    notices.append(f"Only the first {len(orders):,} orders are shown.")
                    break
        except AppError as exc:
            notices.append(f"Orders are left out: {exc.user_message}")
        return [order_event(o, self.locale) for o in orders]

    async def _activity_events(self, customer_id: str, notices: list[str]) -> list[TimelineEvent]:
        mirror = self._customers.mirror
        if mirror is None:
            notices.append(
                "Changes and tokens sent from this desk are recorded in the store's local "
                "copy, which is not open here."
            )
            return []
        try:
            return [activity_event(a) for a in await mirror.activity(customer_id)]
        except AppError as exc:
            notices.append(f"Changes made from this desk are left out: {exc.user_message}")
            return []

    async def _note_events(self, customer_id: str, notices: list[str]) -> list[TimelineEvent]:
        if self.notes is None:
            return []
        try:
            notes = await self.notes(customer_id)
        except AppError as exc:
            notices.append(f"Notes are left out: {exc.user_message}")
            return []
        return [note_event(n) for n in notes if not n.deleted]
