"""The customer timeline (`TimelineService`) over the demo store and its real mirror:
events across kinds newest first, changes sent from the desk with old → new and author,
nothing for a refused write, tokens without the token, offline from the mirror."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from app.backends.protocols import SupportsOrderHistory
from app.domain.customer import Customer
from app.domain.errors import AppError
from app.domain.note import Note
from app.domain.patch import CustomerPatch, MetadataPatch
from app.domain.query import CustomerQuery
from app.domain.timeline import EventKind, TimelineEvent
from app.services.context import Services, StoreContext, staff_account
from app.services.timeline import NoteSource, TimelineService, newest_first
from demostore.core.database import Database
from tests.unit.app.mirror.helpers import mirror_of, set_offline

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


async def _open(name: str) -> StoreContext:
    context = await Services.create().open_store(name, demo_customers=120)
    assert context.mirror is not None
    await context.mirror.sync()
    return context


@pytest_asyncio.fixture
async def ctx(app_home: Path) -> AsyncIterator[StoreContext]:
    context = await _open("demo")
    yield context
    await context.aclose()


async def _customer_with_orders(ctx: StoreContext) -> Customer:
    page = await ctx.customers.search(CustomerQuery(has_account=True, page_size=50))
    for summary in page.items:
        if (await ctx.customers.orders(summary.id)).items:
            return await ctx.customers.get(summary.id)
    raise AssertionError("no demo customer with orders")


def _notes(*notes: Note) -> NoteSource:
    async def source(customer_id: str) -> Sequence[Note]:
        return notes

    return source


def _event(kind: EventKind, minutes: int, title: str = "") -> TimelineEvent:
    return TimelineEvent(kind=kind, at=T0 + timedelta(minutes=minutes), title=title or kind)


def test_newest_first_is_stable_for_equal_times() -> None:
    created = _event(EventKind.CREATED, 0)
    registered = _event(EventKind.REGISTERED, 0)
    change_a, change_b = _event(EventKind.CHANGE, 5, "a"), _event(EventKind.CHANGE, 5, "b")
    order = _event(EventKind.ORDER, 3)
    for events in (
        [created, registered, change_a, change_b, order],
        [order, change_a, change_b, registered, created],
    ):
        ordered = newest_first(events)
        # Equal kinds keep their sources' order; equal times put the later kind on top.
        assert ordered[-2:] == (registered, created)
        assert ordered[2] == order
    assert newest_first([change_a, change_b])[0] == change_a


@pytest.mark.asyncio
async def test_events_across_kinds_are_newest_first(ctx: StoreContext) -> None:
    customer = await _customer_with_orders(ctx)
    await ctx.customers.update(customer.id, CustomerPatch(company="Timeline GmbH"))
    # Notes from the store's notes service, as the desk wires it.
    written = await ctx.notes.add(customer.id, "Prefers phone calls")
    wired = await TimelineService(ctx.customers, ctx.notes.notes).timeline(
        customer, {EventKind.NOTE}
    )
    (wired_note,) = wired.events
    assert wired_note.title == "Note: Prefers phone calls"
    assert wired_note.actor == "demo staff"
    assert wired_note.ref == written.id
    note = Note(
        id="n1",
        body="Called about the parcel\nPromised a refund",
        author="ann@shop.example",
        created_at=customer.created_at + timedelta(seconds=1),
        updated_at=customer.created_at + timedelta(seconds=1),
    )
    service = TimelineService(ctx.customers, _notes(note))
    timeline = await service.timeline(customer)
    kinds = [e.kind for e in timeline.events]
    assert {
        EventKind.CREATED,
        EventKind.REGISTERED,
        EventKind.ORDER,
        EventKind.CHANGE,
        EventKind.NOTE,
    } <= set(kinds)
    times = [e.at for e in timeline.events]
    assert times == sorted(times, reverse=True)
    assert timeline.events[0].kind is EventKind.CHANGE  # just now
    assert timeline.events[-1].kind is EventKind.CREATED
    # Medusa makes an account's record at sign-up: registered when created.
    registered = next(e for e in timeline.events if e.kind is EventKind.REGISTERED)
    assert registered.at == customer.created_at
    noted = next(e for e in timeline.events if e.kind is EventKind.NOTE)
    assert noted.title == "Note: Called about the parcel"
    assert noted.actor == "ann@shop.example"
    orders = (await ctx.customers.orders(customer.id, page_size=100)).items
    order_events = [e for e in timeline.events if e.kind is EventKind.ORDER]
    assert sorted(e.ref or "" for e in order_events) == sorted(o.id for o in orders)
    first = next(e for e in order_events if e.ref == orders[0].id)
    assert first.title.startswith(f"Order #{orders[0].display_number.lstrip('#')} · ")
    assert str(orders[0].total) in first.title
    # The filter: only what was asked for, nothing fetched for the rest.
    only_notes = await service.timeline(customer, {EventKind.NOTE, EventKind.ORDER})
    assert {e.kind for e in only_notes.events} == {EventKind.NOTE, EventKind.ORDER}
    assert timeline.only({EventKind.NOTE}).events == (noted,)


@pytest.mark.asyncio
async def test_a_change_sent_from_the_desk_shows_old_new_and_author(ctx: StoreContext) -> None:
    customer = await _customer_with_orders(ctx)
    await ctx.customers.update(
        customer.id,
        CustomerPatch(phone="+49 30 1234567", metadata=MetadataPatch(set={"tier": "gold"})),
    )
    group = (await ctx.customers.groups())[0]
    await ctx.customers.change_groups(customer.id, add=frozenset({group.id}))
    timeline = await TimelineService(ctx.customers).timeline(customer, {EventKind.CHANGE})
    groups, edit = timeline.events[:2]
    assert edit.title == "Changed phone, metadata.tier"
    assert f"phone: {customer.phone or '—'} → +49 30 1234567" in edit.detail.splitlines()
    assert "metadata.tier: — → gold" in edit.detail.splitlines()
    assert edit.actor == staff_account(ctx.profile) == "demo staff"
    assert groups.title == "Changed groups"
    assert group.name in groups.detail


@pytest.mark.asyncio
async def test_a_refused_write_records_nothing(ctx: StoreContext) -> None:
    customer = await _customer_with_orders(ctx)
    with pytest.raises(AppError):  # the store refuses: no such customer
        await ctx.customers.update("cus_missing", CustomerPatch(company="x"))
    set_offline(ctx)
    await mirror_of(ctx).check()
    await ctx.customers.update(customer.id, CustomerPatch(company="Queued Ltd"))
    assert ctx.customers.last_write.queued
    service = TimelineService(ctx.customers)
    assert (await service.timeline(customer, {EventKind.CHANGE})).events == ()  # not sent yet
    # The store refuses the edit when it is replayed (someone deleted the customer).
    set_offline(ctx, False)
    await ctx.backend.delete_customer(customer.id)  # type: ignore[attr-defined]
    report = await mirror_of(ctx).replay()
    assert report.failed
    assert not report.sent
    assert await mirror_of(ctx).activity(customer.id) == []
    assert await mirror_of(ctx).activity("cus_missing") == []


@pytest.mark.asyncio
async def test_an_edit_replayed_from_the_outbox_is_recorded(ctx: StoreContext) -> None:
    customer = await _customer_with_orders(ctx)
    set_offline(ctx)
    await mirror_of(ctx).check()
    await ctx.customers.update(customer.id, CustomerPatch(company="Made Offline"))
    set_offline(ctx, False)
    assert (await mirror_of(ctx).replay()).sent == 1
    (event,) = (await TimelineService(ctx.customers).timeline(customer, {EventKind.CHANGE})).events
    assert event.title == "Changed company (made offline, sent when back online)"
    assert event.detail == f"company: {customer.company or '—'} → Made Offline"
    assert event.actor == "demo staff"


@pytest.mark.asyncio
async def test_a_token_issued_appears_without_the_token(app_home: Path) -> None:
    ctx = await _open("demo-chec")
    try:
        page = await ctx.customers.search(CustomerQuery(page_size=20))
        customer = next(c for c in page.items if ctx.customers.token_eligibility(c).allowed)
        issuance = await ctx.customers.issue_token(customer)
        assert issuance.secret is not None  # Chec hands the JWT to staff
        secret = issuance.secret.get_secret_value()
        timeline = await TimelineService(ctx.customers).timeline(customer, {EventKind.TOKEN})
        (event,) = timeline.events
        assert event.title == "Login token issued to staff"
        assert event.detail == "valid for: 24 h"
        assert event.actor == "demo staff"
        assert secret not in event.model_dump_json()
        path = Services.create().mirror_path("demo-chec")
    finally:
        await ctx.aclose()
    for file in path.parent.glob(path.name + "*"):
        assert secret.encode() not in file.read_bytes()


@pytest.mark.asyncio
async def test_offline_the_timeline_renders_from_the_mirror(ctx: StoreContext) -> None:
    customer = await _customer_with_orders(ctx)
    await ctx.customers.update(customer.id, CustomerPatch(first_name="Offline"))
    service = TimelineService(ctx.customers)
    online = await service.timeline(customer)
    set_offline(ctx)
    await mirror_of(ctx).check()
    offline = await service.timeline(customer)
    assert offline.events == online.events
    assert offline.notices == ()


@pytest.mark.asyncio
async def test_orders_come_from_the_store_wide_copy_even_for_customers_never_opened(
    ctx: StoreContext,
) -> None:
    mirror = mirror_of(ctx)
    assert mirror.orders_mirrored  # the demo Medusa lists every order: the sync copied them
    assert isinstance(ctx.backend, SupportsOrderHistory)
    page = await ctx.customers.search(CustomerQuery(page_size=50))
    for summary in page.items:  # asked of the store past the desk: never opened here
        orders = (await ctx.backend.list_orders(summary.id, None, 100)).items
        if orders:
            break
    set_offline(ctx)
    await mirror.check()
    timeline = await TimelineService(ctx.customers).timeline(summary, {EventKind.ORDER})
    assert sorted(e.ref or "" for e in timeline.events) == sorted(o.id for o in orders)
    assert timeline.notices == ()


@pytest.mark.asyncio
async def test_a_payment_captured_at_the_store_shows_once_the_orders_are_read(
    ctx: StoreContext,
) -> None:
    assert isinstance(ctx.backend, SupportsOrderHistory)
    page = await ctx.customers.search(CustomerQuery(page_size=50))
    order = None
    for summary in page.items:
        listed = (await ctx.backend.list_orders(summary.id, None, 100)).items
        order = next((o for o in listed if o.payment_status not in ("captured", None)), None)
        if order is not None:
            break
    assert order is not None
    before = order.payment_status
    assert before is not None

    def capture(db: Database) -> None:
        # As Medusa's capture does: the payment status moves, the order's updated_at
        # stays (docs/backends.md, measured on the peer), so the incremental listing
        # does not see it.
        with db.transaction():
            db.conn.execute(
                'UPDATE "order" SET payment_status = ? WHERE id = ?', ("captured", order.id)
            )

    assert ctx.demo is not None
    await ctx.demo.store.call(capture)  # type: ignore[attr-defined]
    noticed = datetime.now(UTC)
    await ctx.customers.orders(summary.id)  # the customer's Orders tab reads them
    timeline = await TimelineService(ctx.customers).timeline(summary, {EventKind.PAYMENT})
    (event,) = timeline.events
    number = order.display_number.lstrip("#")
    assert event.title == f"Order #{number}: payment captured (was {before.replace('_', ' ')})"
    assert event.ref == order.id
    assert event.detail == f"payment_status: {before} → captured"
    assert event.at >= noticed  # when the desk noticed: the store gave no time


@pytest.mark.asyncio
async def test_without_a_store_wide_order_copy_unknown_orders_leave_a_notice(
    app_home: Path,
) -> None:
    # Customers mirrored, the store-wide order copy not yet run (it follows the customer
    # pass): the orders of a customer never opened are unknown offline.
    ctx = await Services.create().open_store("demo-ep", demo_customers=120)
    try:
        mirror = mirror_of(ctx)
        await mirror.engine.full()
        await mirror._reload_state()  # publish what the customer pass left
        page = await ctx.customers.search(CustomerQuery(page_size=20))
        customer = page.items[0]
        set_offline(ctx)
        await mirror_of(ctx).check()
        timeline = await TimelineService(ctx.customers).timeline(customer)
        assert timeline.events[-1].kind is EventKind.CREATED  # the rest still shows
        assert any("Orders are left out" in n for n in timeline.notices)
        # Elastic Path tells that a customer has a password, not since when: no made-up
        # sign-up time, a notice instead.
        member = next(c for c in page.items if c.has_account)
        known = await TimelineService(ctx.customers).timeline(member, {EventKind.REGISTERED})
        assert known.events == ()
        assert known.notices == ("Has an account; the store does not say since when.",)
    finally:
        await ctx.aclose()


@pytest.mark.asyncio
async def test_a_resolved_conflict_records_only_what_was_sent(ctx: StoreContext) -> None:
    mirror = mirror_of(ctx)
    customer = await _customer_with_orders(ctx)
    set_offline(ctx)
    await ctx.customers.update(customer.id, CustomerPatch(first_name="Mine", company="Mine GmbH"))
    set_offline(ctx, False)
    await ctx.backend.update_customer(customer.id, CustomerPatch(first_name="Theirs"))  # type: ignore[attr-defined]
    (conflict,) = (await mirror.replay()).conflicts
    assert await mirror.activity(customer.id) == []  # held, not sent
    await mirror.resolve(conflict.seq, {"first_name": "theirs"})
    (event,) = (await TimelineService(ctx.customers).timeline(customer, {EventKind.CHANGE})).events
    assert event.title == "Changed company (made offline, sent when back online)"
    assert event.detail == f"company: {customer.company or '—'} → Mine GmbH"
