"""The mirror's activity record: appended, read newest first; order status transitions
noticed by the order upsert; the 3.2 table added to an older mirror in place."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from app.domain.activity import Activity, FieldChange
from app.domain.money import Money
from app.domain.order import OrderSummary
from app.domain.timeline import EventKind
from app.mirror import collation, db, text
from app.mirror.repository import MirrorRepository
from app.mirror.schema import CURRENT, MIGRATIONS, Version

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _order(
    payment: str | None = "awaiting",
    fulfilment: str | None = "not_fulfilled",
    updated: datetime | None = None,
    customer_id: str | None = None,
) -> OrderSummary:
    return OrderSummary(
        id="order_1",
        customer_id=customer_id,
        display_number="1042",
        status="pending",
        payment_status=payment,
        fulfillment_status=fulfilment,
        total=Money(amount=Decimal("120.00"), currency="EUR"),
        created_at=T0,
        updated_at=updated,
    )


def test_activity_reads_newest_first_and_per_customer(tmp_path: Path) -> None:
    repo = MirrorRepository(db.connect(tmp_path / "m.sqlite3"))
    first = Activity(kind=EventKind.CHANGE, customer_id="c1", at=T0, summary="first")
    same_time = first.model_copy(update={"summary": "second"})
    later = first.model_copy(update={"summary": "later", "at": T0 + timedelta(minutes=1)})
    other = first.model_copy(update={"customer_id": "c2"})
    repo.add_activity([first, same_time, later, other])
    assert [a.summary for a in repo.activity("c1")] == ["later", "second", "first"]
    assert repo.activity("c2") == [other]


def test_order_upsert_records_payment_and_fulfilment_transitions(tmp_path: Path) -> None:
    repo = MirrorRepository(db.connect(tmp_path / "m.sqlite3"))
    repo.put_orders("c1", [_order(updated=T0)], first=True)
    assert repo.activity("c1") == []  # a first sight is no transition
    repo.put_orders("c1", [_order(updated=T0)], first=True)
    assert repo.activity("c1") == []  # nothing moved
    moved = T0 + timedelta(hours=2)
    repo.put_orders("c1", [_order("captured", "shipped", updated=moved)], first=True)
    fulfilment, payment = sorted(repo.activity("c1"), key=lambda a: a.kind)
    assert payment.kind is EventKind.PAYMENT
    assert payment.at == moved
    assert payment.summary == "Order #1042: payment captured (was awaiting)"
    assert payment.changes == (FieldChange(field="payment_status", old="awaiting", new="captured"),)
    assert payment.ref == "order_1"
    assert payment.actor is None
    assert fulfilment.kind is EventKind.FULFILMENT
    assert fulfilment.changes[0].old == "not_fulfilled"
    assert fulfilment.changes[0].new == "shipped"


def test_a_transition_without_a_store_time_is_dated_when_noticed(tmp_path: Path) -> None:
    repo = MirrorRepository(db.connect(tmp_path / "m.sqlite3"))
    repo.put_orders("c1", [_order()], first=True)
    before = datetime.now(UTC)
    repo.put_orders("c1", [_order("refunded")], first=False)
    (refund,) = repo.activity("c1")
    assert refund.at >= before
    assert refund.summary == "Order #1042: payment refunded (was awaiting)"


def test_migrating_a_3_0_mirror_adds_the_activity_table(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function("search_text", 5, text.search_text, deterministic=True)
    conn.create_function("name_key", 2, collation.name_key, deterministic=True)
    for version in (Version(1, 0), Version(2, 0), Version(3, 0)):
        for statement in MIGRATIONS[version]:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {Version(3, 0).encode()}")
    conn.close()
    repo = MirrorRepository(db.connect(path))
    assert db.schema_version(repo.conn) == CURRENT
    repo.add_activity([Activity(kind=EventKind.TOKEN, customer_id="c", at=T0, summary="t")])
    assert len(repo.activity("c")) == 1


def test_the_store_wide_listing_records_transitions_too(tmp_path: Path) -> None:
    repo = MirrorRepository(db.connect(tmp_path / "m.sqlite3"))
    repo.upsert_listed_orders([_order(updated=T0, customer_id="c1")])
    assert repo.activity("c1") == []
    moved = T0 + timedelta(days=1)
    repo.upsert_listed_orders([_order("captured", updated=moved, customer_id="c1")])
    (payment,) = repo.activity("c1")
    assert payment.summary == "Order #1042: payment captured (was awaiting)"
    assert payment.at == moved
    # A customer's own history read afterwards sees the same status: nothing new.
    repo.put_orders("c1", [_order("captured", updated=moved)], first=True)
    assert len(repo.activity("c1")) == 1
