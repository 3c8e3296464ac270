"""The store-wide order listing against a real Medusa 2.21.2: what `app.backends.medusa.wire`
cites as measured for `GET /admin/orders` (keyset by `id[$gt]`, `updated_at[$gte]`, the
list's `summary`), first on the wire, then through the adapter."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

import pytest

from app.backends.medusa import MedusaAdapter
from app.domain.order import OrderSummary
from tests.contract.medusa_harness import MedusaDialectHarness

pytestmark = [pytest.mark.peer, pytest.mark.asyncio]


async def _customer(harness: MedusaDialectHarness, name: str) -> str:
    email = f"{name}.{uuid.uuid4().hex[:10]}@example.com"
    return await harness.register_customer(email, name.title(), "Order")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_the_wire_pages_by_id_filters_by_updated_at_and_shows_refunds(
    harness: MedusaDialectHarness,
) -> None:
    customer = await _customer(harness, "wira")
    first = await harness.create_order(customer, [("Tea", Decimal("4.50"), 2)])
    second = await harness.create_order(customer, [("Cup", Decimal("7"), 3)])

    # id[$gt] is honoured (the count too) in id order: a keyset pass continues after `first`.
    after = await harness.admin_request(
        "GET",
        "/admin/orders",
        params={"order": "id", "id[$gt]": first, "fields": "id", "limit": 50},
    )
    ids = [o["id"] for o in after["orders"]]
    assert first not in ids
    assert second in ids
    assert ids == sorted(ids)
    assert after["count"] == len(ids)

    # The list's `summary` carries refunded_total; items come whatever `fields` says.
    row = (
        await harness.admin_request(
            "GET", "/admin/orders", params={"id": second, "fields": "id,summary,updated_at"}
        )
    )["orders"][0]
    assert Decimal(str(row["summary"]["refunded_total"])) == 0
    assert [i["quantity"] for i in row["items"]] == [3]

    # A cancel moves updated_at; updated_at[$gte] at the old value brings the order back.
    cancelled = (await harness.admin_request("POST", f"/admin/orders/{second}/cancel"))["order"]
    assert cancelled["status"] == "canceled"
    assert _moment(cancelled["updated_at"]) > _moment(row["updated_at"])
    changed = await harness.admin_request(
        "GET",
        "/admin/orders",
        params={"updated_at[$gte]": cancelled["updated_at"], "fields": "id,status", "limit": 50},
    )
    assert {o["id"]: o["status"] for o in changed["orders"]}.get(second) == "canceled"
    assert first not in {o["id"] for o in changed["orders"]}


async def _all(adapter: MedusaAdapter, since: datetime | None, size: int) -> list[OrderSummary]:
    out: list[OrderSummary] = []
    token: str | None = None
    while True:
        page = await adapter.list_orders_changed_since(since, token, size)
        out.extend(page.items)
        if page.next_token is None:
            return out
        token = page.next_token


async def test_the_adapter_lists_every_order_and_then_the_cancelled_one(
    harness: MedusaDialectHarness, adapter: MedusaAdapter
) -> None:
    buyers = [await _customer(harness, n) for n in ("ada", "bob")]
    placed = {
        await harness.create_order(buyers[i % 2], [("Line", Decimal("2.25"), i + 1)]): i
        for i in range(5)
    }
    everything = await _all(adapter, None, 2)
    ids = [o.id for o in everything]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids)
    mine = {o.id: o for o in everything if o.id in placed}
    assert set(mine) == set(placed)
    for order_id, i in placed.items():
        summary = mine[order_id]
        assert summary.customer_id == buyers[i % 2]
        assert summary.item_count == i + 1
        assert summary.total.amount == Decimal("2.25") * (i + 1)
        assert summary.refunded is not None
        assert summary.refunded.amount == 0
        assert summary.status == "pending"
        assert not summary.cancelled
    watermark = max(o.updated_at for o in everything if o.updated_at is not None)

    victim = next(iter(placed))
    await harness.admin_request("POST", f"/admin/orders/{victim}/cancel")

    later = {o.id: o for o in await _all(adapter, watermark, 2)}
    assert victim in later
    assert later[victim].cancelled
    assert later[victim].status == "canceled"
    before = mine[victim].updated_at
    after = later[victim].updated_at
    assert before is not None
    assert after is not None
    assert after > before
    # `$gte`: besides the cancelled order, only those last changed at the watermark itself.
    assert {o for o in set(later) & set(placed) if mine[o].updated_at != watermark} == {victim}
    assert all(o.updated_at is not None and o.updated_at >= watermark for o in later.values())


async def test_a_refund_moves_updated_at_and_a_capture_does_not(
    harness: MedusaDialectHarness, adapter: MedusaAdapter
) -> None:
    """Paid through the admin's own routes (payment collection, mark as paid), then refunded
    in part: the listing shows the refund, and only the refund reaches an incremental pass."""
    customer = await _customer(harness, "rhea")
    order_id = await harness.create_order(customer, [("Kettle", Decimal("10"), 1)])
    placed = await _all(adapter, None, 100)
    before = next(o for o in placed if o.id == order_id)

    collection = await harness.admin_request(
        "POST", "/admin/payment-collections", json={"order_id": order_id, "amount": 10}
    )
    collection_id = collection["payment_collection"]["id"]
    await harness.admin_request(
        "POST",
        f"/admin/payment-collections/{collection_id}/mark-as-paid",
        json={"order_id": order_id},
    )
    paid = {o.id: o for o in await _all(adapter, None, 100)}[order_id]
    assert paid.payment_status == "captured"
    assert paid.updated_at == before.updated_at  # a capture leaves the order's stamp alone

    detail = await harness.admin_request(
        "GET", f"/admin/orders/{order_id}", params={"fields": "id,*payment_collections.payments"}
    )
    payment_id = detail["order"]["payment_collections"][0]["payments"][0]["id"]
    await harness.admin_request("POST", f"/admin/payments/{payment_id}/refund", json={"amount": 4})

    assert before.updated_at is not None
    changed = {o.id: o for o in await _all(adapter, before.updated_at, 100)}
    refunded = changed[order_id]
    assert refunded.updated_at is not None
    assert refunded.updated_at > before.updated_at
    assert refunded.payment_status == "partially_refunded"
    assert refunded.refunded is not None
    assert refunded.refunded.amount == Decimal(4)
    assert not refunded.cancelled
