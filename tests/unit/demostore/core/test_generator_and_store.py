"""Generated data (determinism, realism, scale) and the store itself (thread, schema, files)."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from demostore.core import DemoStore, generate, open_demo
from demostore.core.database import Database
from demostore.core.generator import DEMO_CUSTOMER_PASSWORD
from demostore.core.schema import SCHEMA_VERSION
from demostore.medusa import DemoSettings, create_demo_app
from tests.unit.demostore.helpers import client_for, login

ANCHOR = datetime(2026, 6, 1, tzinfo=UTC)
E164 = re.compile(r"^\+[1-9]\d{7,14}$")


async def _dump(store: DemoStore) -> list[tuple[object, ...]]:
    def rows(db: Database) -> list[tuple[object, ...]]:
        # created_by is the store's own admin user id, which differs per store by design.
        customers = db.conn.execute(
            "SELECT id, email, first_name, last_name, company_name, phone, has_account, metadata, "
            "created_at, updated_at, deleted_at FROM customer ORDER BY id"
        ).fetchall()
        addresses = db.conn.execute("SELECT * FROM customer_address ORDER BY id").fetchall()
        orders = db.conn.execute(
            "SELECT o.id, o.display_id, o.status, o.currency_code, o.created_at, "
            'group_concat(i.id) FROM "order" o JOIN order_line_item i ON i.order_id = o.id '
            "GROUP BY o.id ORDER BY o.id"
        ).fetchall()
        return [tuple(r) for table in (customers, addresses, orders) for r in table]

    return await store.call(rows)


@pytest.mark.asyncio
async def test_generation_is_deterministic() -> None:
    dumps = []
    for _ in range(2):
        async with DemoStore(":memory:") as store:
            report = await generate(store, customers=300, seed=42, now=ANCHOR)
            assert report.customers == 300
            dumps.append(await _dump(store))
    assert dumps[0] == dumps[1]
    async with DemoStore(":memory:") as store:
        await generate(store, customers=300, seed=43, now=ANCHOR)
        assert await _dump(store) != dumps[0]


@pytest.mark.asyncio
async def test_generated_orders_are_over_two_per_customer() -> None:
    """The Customer 360 bench needs >= 200k orders for 100k customers (bench.customer360)."""
    async with DemoStore(":memory:") as store:
        report = await generate(store, customers=3000, seed=1, now=ANCHOR)
        assert report.orders >= 2 * report.customers
        ordering = await store.call(
            lambda db: db.conn.execute(
                'SELECT count(DISTINCT customer_id) FROM "order"'
            ).fetchone()[0]
        )
        assert 0.6 * report.customers < ordering < 0.8 * report.customers  # many never ordered
        # No pile-up of orders last changed at one instant (an `updated_at >= mark` refresh
        # re-reads every order stamped with the mark).
        (most,) = await store.call(
            lambda db: db.conn.execute(
                'SELECT max(n) FROM (SELECT count(*) AS n FROM "order" GROUP BY updated_at)'
            ).fetchone()
        )
        assert most <= 3


@pytest.mark.asyncio
async def test_generated_data_is_international_and_consistent() -> None:
    async with DemoStore(":memory:") as store:
        report = await generate(store, customers=1500, seed=1, now=ANCHOR)
        assert report.orders > 1000
        assert report.line_items >= report.orders
        assert 3 <= report.groups <= 5
        assert report.accounts > 200
        app = create_demo_app(store, settings=DemoSettings(test_routes=True))
        async with client_for(app) as client:
            client.headers["Authorization"] = f"Bearer {await login(client)}"
            body = (
                await client.get(
                    "/admin/customers", params={"limit": 5000, "fields": "*addresses,*groups"}
                )
            ).json()
            customers = body["customers"]
            assert body["count"] == len(customers) > 1450  # a few are soft-deleted
            names = "".join(f"{c['first_name']}{c['last_name']}" for c in customers)
            for script in (
                r"[äöüéèçñß]",
                r"[\u0400-\u04ff]",
                r"[\u0370-\u03ff]",
                r"[\u4e00-\u9fff]",
                r"[\u0600-\u06ff]",
            ):
                assert re.search(script, names), script
            phones = [c["phone"] for c in customers if c["phone"]]
            assert phones
            assert all(E164.match(p) for p in phones)
            assert any(c["company_name"] is None for c in customers)
            assert any(c["company_name"] for c in customers)
            assert any("+" in (c["email"] or "") for c in customers)
            assert {len(c["addresses"]) for c in customers} == {0, 1, 2, 3, 4, 5}
            for c in customers:
                for flag in ("is_default_shipping", "is_default_billing"):
                    assert sum(a[flag] for a in c["addresses"]) <= 1
            created = sorted(c["created_at"] for c in customers)
            assert created[0] < "2023-09-01"
            assert created[-1] > "2026-04-01"
            ids = [c["id"] for c in customers]
            assert ids == sorted(ids)
            assert [c["created_at"] for c in customers] == created

            account = next(c for c in customers if c["has_account"] and c["email"])
            login_ok = await client.post(
                "/auth/customer/emailpass",
                json={"email": account["email"], "password": DEMO_CUSTOMER_PASSWORD},
            )
            assert login_ok.status_code == 200
            await client.post(
                "/auth/customer/emailpass/reset-password", json={"identifier": account["email"]}
            )
            notes = await client.get("/admin/notifications", params={"to": account["email"]})
            assert notes.json()["count"] == 1

            orders = (
                await client.get(
                    "/admin/orders", params={"limit": 500, "fields": "+currency_code,+customer_id"}
                )
            ).json()
            assert {o["currency_code"] for o in orders["orders"]} >= {"eur", "usd", "gbp", "jpy"}
            assert {o["status"] for o in orders["orders"]} >= {"completed", "pending", "canceled"}
            assert max(len(o["items"]) for o in orders["orders"]) <= 5
            live = (await client.post("/admin/customers", json={"email": "new@example.com"})).json()
            assert live["customer"]["id"] > ids[-1]  # live ids sort after generated ones


@pytest.mark.asyncio
async def test_ten_thousand_customers_generate_quickly() -> None:
    async with DemoStore(":memory:") as store:
        started = time.perf_counter()
        report = await generate(store, customers=10_000, seed=3)
        elapsed = time.perf_counter() - started
        assert report.customers == 10_000
        assert elapsed < 8.0, f"10k customers took {elapsed:.1f} s"
        assert await store.customer_count() > 9_900


@pytest.mark.asyncio
async def test_database_work_runs_on_one_worker_thread(store: DemoStore) -> None:
    seen = await store.call(lambda db: threading.get_ident())
    again = await store.call(lambda db: threading.get_ident())
    assert seen == again != threading.get_ident()


@pytest.mark.asyncio
async def test_open_demo_generates_once_and_persists(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    store = await open_demo(path, customers=50, seed=9)
    try:
        assert await store.customer_count() > 45
        key = await store.publishable_key()
        app = create_demo_app(store, settings=DemoSettings(test_routes=True))
        async with client_for(app) as client:
            client.headers["Authorization"] = f"Bearer {await login(client)}"
            await client.post("/admin/customers", json={"email": "kept@example.com"})
        count = await store.customer_count()
    finally:
        await store.aclose()
    reopened = await open_demo(path, customers=50, seed=9)
    try:
        assert await reopened.customer_count() == count  # not generated twice
        assert await reopened.publishable_key() == key
    finally:
        await reopened.aclose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


@pytest.mark.asyncio
async def test_empty_store_and_a_newer_schema_is_refused(tmp_path: Path) -> None:
    store = await open_demo(tmp_path / "empty.sqlite3", customers=0)
    try:
        assert await store.customer_count() == 0
        app = create_demo_app(store, settings=DemoSettings(test_routes=True))
        async with client_for(app) as client:
            client.headers["Authorization"] = f"Bearer {await login(client)}"
            assert (await client.get("/admin/regions")).json()["count"] == 0
            channels = (await client.get("/admin/sales-channels")).json()["sales_channels"]
            assert [c["name"] for c in channels] == ["Default Sales Channel"]
    finally:
        await store.aclose()
    newer = tmp_path / "newer.sqlite3"
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="newer"):
        async with DemoStore(newer):
            pass
