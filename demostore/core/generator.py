"""Deterministic, realistic demo data: international customers, addresses, groups, orders.

``generate(store, customers=2000, seed=1)`` fills an opened store. The same
seed and anchor time give the same data (ids included). Everything runs on the
store's worker thread, in a few big ``executemany`` transactions, so 100,000
customers take seconds and the GUI thread is never blocked.
"""

from __future__ import annotations

import functools
import json
import random
import time
import unicodedata
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate
from typing import Any

from demostore.core.clock import stored_from_ms
from demostore.core.database import Database
from demostore.core.ids import encode_ulid
from demostore.core.jsvalues import dumps_compact, jsonb
from demostore.core.money import decimal_text
from demostore.core.passwords import hash_password
from demostore.core.sample_data import (
    COMPANY_STEMS,
    CURRENCY_RATES,
    EMAIL_TAGS,
    GROUP_NAMES,
    LOCALES,
    METADATA_SOURCES,
    PRODUCTS,
    REGIONS,
    Locale,
)
from demostore.core.sqlfilters import search_blob
from demostore.core.store import DemoStore

DEMO_CUSTOMER_PASSWORD = "demo-password"
"""Password of every generated customer account (hashed once: generated accounts share it)."""

_DAY_MS = 86_400_000
_SPAN_MS = 3 * 365 * _DAY_MS
_BATCH = 20_000
# Locale weights: mostly German/US/UK/French shops' customers, with a long international tail.
_LOCALE_WEIGHTS = {
    "de": 24,
    "us": 16,
    "gb": 10,
    "fr": 10,
    "es": 6,
    "se": 3,
    "pl": 5,
    "gr": 3,
    "ua": 4,
    "jp": 5,
    "cn": 3,
    "kr": 2,
    "ae": 3,
    "br": 3,
    "tr": 3,
}
_ADDRESS_COUNT_WEIGHTS = (15, 40, 25, 10, 6, 4)  # 0..5 addresses
_ADDRESS_NAMES = ("Home", "Work", "Office", "Parents", None)
_STATUS_WEIGHTS = (
    ("completed", 70),
    ("pending", 15),
    ("canceled", 8),
    ("archived", 5),
    ("requires_action", 2),
)


@dataclass(frozen=True)
class GenerationReport:
    customers: int
    accounts: int
    addresses: int
    groups: int
    orders: int
    line_items: int
    seconds: float


class _Picker:
    """Weighted choice with precomputed cumulative weights (much faster than ``choices``)."""

    def __init__(self, rng: random.Random, items: Sequence[Any], weights: Sequence[float]) -> None:
        self._rng = rng
        self._items = list(items)
        self._cum = list(accumulate(weights))

    def __call__(self) -> Any:
        return self._items[bisect(self._cum, self._rng.random() * self._cum[-1])]


@functools.lru_cache(maxsize=4096)
def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch in ".-")


@functools.lru_cache(maxsize=256)
def _digit_template(pattern: str) -> tuple[str, int]:
    """``"0#-###"`` -> (``"0{}-{}"``-like template for one zero-padded number, hole count)."""
    holes = pattern.count("#")
    return pattern.replace("{", "{{").replace("}", "}}").replace("#", "{}"), holes


def _digits(rng: random.Random, pattern: str) -> str:
    """Fill each ``#`` of ``pattern`` with a random digit (one draw for all of them)."""
    template, holes = _digit_template(pattern)
    if not holes:
        return pattern
    return template.format(*f"{int(rng.random() * 10**holes):0{holes}d}")


def _pick(rng: random.Random, items: Sequence[Any]) -> Any:
    # ``random.choice`` goes through getrandbits loops; this is ~3x cheaper and still seeded.
    return items[int(rng.random() * len(items))]


class _Ids:
    """Monotonic ULIDs per prefix with seeded randomness (single-threaded, so no lock)."""

    def __init__(self, rng: random.Random) -> None:
        self._bits = rng.getrandbits
        self._last: dict[str, tuple[int, int]] = {}

    def parts(self, prefix: str, ts_ms: int) -> tuple[int, int]:
        last_ts, last_rand = self._last.get(prefix, (-1, 0))
        if ts_ms <= last_ts:
            ts_ms, rand = last_ts, last_rand + 1
        else:
            rand = self._bits(76)
        self._last[prefix] = (ts_ms, rand)
        return ts_ms, rand

    def __call__(self, prefix: str, ts_ms: int) -> str:
        return f"{prefix}_{encode_ulid(*self.parts(prefix, ts_ms))}"


async def generate(
    store: DemoStore, customers: int = 2000, seed: int = 1, *, now: datetime | None = None
) -> GenerationReport:
    """Fill ``store`` with ``customers`` generated customers (plus their data).

    ``now`` anchors the ~3-year time span (default: the store's clock), so a
    fixed ``now`` makes the output fully reproducible.
    """
    anchor_ms = None
    if now is not None:
        anchor_ms = int((now if now.tzinfo else now.replace(tzinfo=UTC)).timestamp() * 1000)
    started = time.perf_counter()
    report = await store.call(_generate, customers, seed, anchor_ms)
    return GenerationReport(**{**report.__dict__, "seconds": time.perf_counter() - started})


def _generate(db: Database, count: int, seed: int, anchor_ms: int | None) -> GenerationReport:
    if count == 0:  # an empty shop, as Medusa is right after its migrations
        with db.transaction():
            db.set_setting("generated", json.dumps({"customers": 0, "seed": seed}))
        return GenerationReport(0, 0, 0, 0, 0, 0, 0.0)
    rng = random.Random(seed)
    order_rng = random.Random(f"{seed}:orders")
    ids = _Ids(rng)
    now_ms = anchor_ms if anchor_ms is not None else db.millis.now_ms()
    start_ms = now_ms - _SPAN_MS
    admin_id = db.admin_user_id
    locales = {locale.country: locale for locale in LOCALES}
    pick_locale: Callable[[], Locale] = _Picker(
        rng, [locales[c] for c in _LOCALE_WEIGHTS], list(_LOCALE_WEIGHTS.values())
    )
    pick_address_count = _Picker(rng, range(6), _ADDRESS_COUNT_WEIGHTS)
    account_hash = hash_password(DEMO_CUSTOMER_PASSWORD, salt=rng.randbytes(16))

    # Bulk load of consistent data: no FK checks, a bigger page cache, and secondary
    # indexes rebuilt once at the end (much cheaper than maintaining them row by row).
    db.conn.execute("PRAGMA foreign_keys = OFF")
    (cache_size,) = db.conn.execute("PRAGMA cache_size").fetchone()
    db.conn.execute("PRAGMA cache_size = -131072")
    try:
        with db.transaction() as conn:
            index_sql = _drop_secondary_indexes(db)
            region_of_country = _insert_regions(db, ids, start_ms)
            group_ids = _insert_groups(db, rng, ids, start_ms, admin_id)
            span = now_ms - 3_600_000 - start_ms
            created = sorted(start_ms + int(rng.random() * span) for _ in range(count))
            customer_rows: list[tuple[Any, ...]] = []
            identity_rows: list[tuple[Any, ...]] = []
            member_rows: list[tuple[Any, ...]] = []
            address_rows: list[tuple[Any, ...]] = []
            order_plan: list[tuple[int, int]] = []  # (created_ms, customer index)
            profiles: list[tuple[str, str | None, Locale, list[tuple[str, str]]]] = []
            # Generating into a non-empty store must not collide with existing e-mails.
            used_emails = {r[0] for r in conn.execute("SELECT email FROM customer") if r[0]}
            used_emails.update(r[0] for r in conn.execute("SELECT entity_id FROM auth_identity"))
            for index, created_ms in enumerate(created):
                locale = pick_locale()
                customer = _customer(rng, locale, used_emails)
                customer_id = ids("cus", created_ms)
                created_at = stored_from_ms(created_ms)
                has_account = rng.random() < 0.25 and customer["email"] is not None
                updated_ms = created_ms
                if rng.random() >= 0.6:
                    updated_ms += int(rng.random() * (now_ms - created_ms))
                deleted_at = stored_from_ms(updated_ms) if rng.random() < 0.005 else None
                fields = (
                    customer["company_name"],
                    customer["first_name"],
                    customer["last_name"],
                    customer["email"],
                    customer["phone"],
                )
                customer_rows.append(
                    (
                        customer_id,
                        *fields,
                        1 if has_account else 0,
                        customer["metadata"],
                        None if has_account else admin_id,
                        created_at,
                        stored_from_ms(updated_ms),
                        deleted_at,
                        search_blob(fields),
                    )
                )
                if has_account:
                    identity_rows.append(
                        (
                            ids("authid", created_ms),
                            customer["email"],
                            account_hash,
                            json.dumps({"customer_id": customer_id}),
                            created_at,
                            created_at,
                        )
                    )
                roll = rng.random()
                memberships = min(len(group_ids), 0 if roll < 0.6 else 1 if roll < 0.9 else 2)
                for group_id in rng.sample(group_ids, memberships):
                    member_rows.append(
                        (ids("cusgc", created_ms), customer_id, group_id, admin_id, created_at)
                    )
                addresses = _addresses(
                    rng,
                    ids,
                    locale,
                    customer,
                    customer_id,
                    created_ms,
                    pick_address_count(),
                    address_rows,
                )
                profiles.append((customer_id, customer["email"], locale, addresses))
                # Skewed: about a third never ordered, a few are regulars (capped at 20).
                orders = min(20, int(rng.expovariate(1 / 2.2))) if deleted_at is None else 0
                for _ in range(orders):
                    order_plan.append(
                        (created_ms + int(rng.random() * (now_ms - created_ms)), index)
                    )
                # Repeat orders, ~0.6 per customer, so a 100k-customer store has ~230k orders
                # (bench.customer360); from their own generator, so the customers and their
                # first orders stay what they were.
                repeats = int(order_rng.expovariate(1.0)) if deleted_at is None else 0
                for _ in range(min(repeats, 20 - orders)):
                    order_plan.append(
                        (created_ms + int(order_rng.random() * (now_ms - created_ms)), index)
                    )
            conn.executemany(
                "INSERT INTO customer (id, company_name, first_name, last_name, email, phone, "
                "has_account, metadata, created_by, created_at, updated_at, deleted_at, "
                "search_blob) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                customer_rows,
            )
            conn.executemany(
                "INSERT INTO auth_identity (id, entity_id, password_hash, app_metadata, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                identity_rows,
            )
            conn.executemany(
                "INSERT INTO customer_group_customer (id, customer_id, customer_group_id, "
                "created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                member_rows,
            )
            conn.executemany(
                "INSERT INTO customer_address (id, customer_id, address_name, company, first_name, "
                "last_name, address_1, address_2, city, country_code, province, postal_code, "
                "phone, is_default_shipping, is_default_billing, metadata, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                address_rows,
            )
            orders, items = _insert_orders(
                db, rng, ids, order_plan, profiles, locales, region_of_country, now_ms
            )
            for sql in index_sql:
                conn.execute(sql)
            db.set_setting("generated", json.dumps({"customers": count, "seed": seed}))
    finally:
        db.conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
        db.conn.execute("PRAGMA foreign_keys = ON")
    for table in ("customer", '"order"'):
        newest = db.conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
        if newest:
            db.ids.observe(newest)  # live ids must sort after generated ones
    return GenerationReport(
        customers=count,
        accounts=len(identity_rows),
        addresses=len(address_rows),
        groups=len(group_ids),
        orders=orders,
        line_items=items,
        seconds=0.0,
    )


def _drop_secondary_indexes(db: Database) -> list[str]:
    """Drop the explicit indexes of the bulk-loaded tables; returns the SQL to recreate them."""
    rows = db.conn.execute(
        "SELECT name, sql FROM sqlite_master "
        "WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
        "('customer', 'customer_address', 'order', 'customer_group_customer')"
    ).fetchall()
    for row in rows:
        db.conn.execute(f'DROP INDEX "{row["name"]}"')
    return [str(row["sql"]) for row in rows]


def _insert_regions(db: Database, ids: _Ids, start_ms: int) -> dict[str, str]:
    taken = {
        row[0]: row[1] for row in db.conn.execute("SELECT iso_2, region_id FROM region_country")
    }
    created_at = stored_from_ms(start_ms)
    for name, currency, countries in REGIONS:
        free = [c for c in countries if c not in taken]
        if not free:
            continue
        region_id = ids("reg", start_ms)
        db.conn.execute(
            "INSERT INTO region (id, name, currency_code, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (region_id, name, currency, created_at, created_at),
        )
        for country in free:
            db.conn.execute(
                "INSERT INTO region_country (iso_2, region_id, updated_at) VALUES (?, ?, ?)",
                (country, region_id, created_at),
            )
            taken[country] = region_id
    return taken


def _insert_groups(
    db: Database, rng: random.Random, ids: _Ids, start_ms: int, admin_id: str
) -> list[str]:
    existing = {
        row[0]
        for row in db.conn.execute("SELECT name FROM customer_group WHERE deleted_at IS NULL")
    }
    names = [n for n in rng.sample(GROUP_NAMES, rng.randint(3, 5)) if n not in existing]
    group_ids = []
    for name in names:
        group_id = ids("cusgroup", start_ms)
        created_at = stored_from_ms(start_ms)
        metadata = dumps_compact(jsonb({"color": _pick(rng, ["gold", "blue", "green", "grey"])}))
        db.conn.execute(
            "INSERT INTO customer_group (id, name, metadata, created_by, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (group_id, name, metadata, admin_id, created_at, created_at),
        )
        group_ids.append(group_id)
    return group_ids


def _customer(rng: random.Random, locale: Locale, used: set[str]) -> dict[str, Any]:
    first, first_latin = _pick(rng, locale.first_names)
    last, last_latin = _pick(rng, locale.last_names)
    first_ascii, last_ascii = _ascii(first_latin), _ascii(last_latin)
    shape = rng.random()
    if shape < 0.55:
        local = f"{first_ascii}.{last_ascii}"
    elif shape < 0.75:
        local = f"{first_ascii[0]}{last_ascii}"
    elif shape < 0.9:
        local = f"{last_ascii}.{first_ascii}"
    else:
        local = f"{first_ascii}{70 + int(rng.random() * 1936)}"
    domain = _pick(rng, locale.domains)
    tag = f"+{_pick(rng, EMAIL_TAGS)}" if rng.random() < 0.05 else ""
    capitalised = rng.random() < 0.02  # stored as typed, like Medusa
    base, suffix = local, 1
    while True:
        plain = f"{local}@{domain}"
        typed = f"{local.capitalize() if capitalised else local}{tag}@{domain}"
        if plain not in used and typed not in used:
            break
        suffix += 1
        local = f"{base}{suffix}"
    used.update((plain, typed))
    email = None if rng.random() < 0.005 else typed
    company = None
    if rng.random() < 0.3:
        stem = _pick(rng, COMPANY_STEMS) if rng.random() < 0.5 else last
        form = _pick(rng, locale.company_forms)
        company = f"{form} {stem}" if form in ("株式会社", "주식회사", "ТОВ") else f"{stem} {form}"
    phone = None
    if rng.random() < 0.85:
        low = 10 ** (locale.national_digits - 1)
        phone = f"+{locale.dial_code}{low + int(rng.random() * 9 * low)}"
    metadata = None
    if rng.random() < 0.3:
        metadata = dumps_compact(
            jsonb(
                {
                    "source": _pick(rng, METADATA_SOURCES),
                    "loyalty_points": int(rng.random() * 500) * 10,
                    **({"newsletter": True} if rng.random() < 0.4 else {}),
                }
            )
        )
    return {
        "first_name": first,
        "last_name": last,
        "email": email,
        "company_name": company,
        "phone": phone,
        "metadata": metadata,
    }


def _addresses(
    rng: random.Random,
    ids: _Ids,
    home: Locale,
    customer: dict[str, Any],
    customer_id: str,
    created_ms: int,
    count: int,
    rows: list[tuple[Any, ...]],
) -> list[tuple[str, str]]:
    """Insert rows for ``count`` addresses; returns (address id, country) pairs."""
    default_shipping = 0 if count and rng.random() < 0.8 else -1
    default_billing = int(rng.random() * count) if count and rng.random() < 0.65 else -1
    out = []
    for index in range(count):
        locale = home if rng.random() < 0.85 else _pick(rng, LOCALES)
        city, province, postal = _pick(rng, locale.cities)
        name = _ADDRESS_NAMES[min(index, 4)] if rng.random() < 0.7 else None
        stamp_ms = created_ms + index * 1000
        stamp = stored_from_ms(stamp_ms)
        address_id = ids("cuaddr", stamp_ms)
        rows.append(
            (
                address_id,
                customer_id,
                name,
                customer["company_name"] if name in ("Work", "Office") else None,
                customer["first_name"],
                customer["last_name"],
                f"{_pick(rng, locale.streets)} {int(rng.random() * 180) + 1}",
                f"Apt {int(rng.random() * 40) + 1}" if rng.random() < 0.15 else None,
                city,
                locale.country,
                province,
                _digits(rng, postal),
                customer["phone"],
                1 if index == default_shipping else 0,
                1 if index == default_billing else 0,
                None,
                stamp,
                stamp,
            )
        )
        out.append((address_id, locale.country))
    return out


def _statuses(rng: random.Random, status: str, age_days: float) -> tuple[str, str, str]:
    if age_days > 30 and status in ("pending", "requires_action") and rng.random() < 0.8:
        status = "completed"
    if status in ("completed", "archived"):
        roll = rng.random()
        payment = "captured" if roll < 0.9 else "partially_refunded" if roll < 0.95 else "refunded"
        fulfillment = "delivered" if rng.random() < 0.85 else "shipped"
    elif status == "canceled":
        payment, fulfillment = "canceled", "canceled"
    elif status == "requires_action":
        payment, fulfillment = "requires_action", "not_fulfilled"
    else:
        payment = _pick(rng, ("not_paid", "awaiting", "authorized", "captured"))
        fulfillment = "not_fulfilled" if rng.random() < 0.7 else "partially_fulfilled"
    return status, payment, fulfillment


def _price(eur: str, currency: str) -> Decimal:
    rate, decimals = CURRENCY_RATES[currency]
    return (Decimal(eur) * Decimal(rate)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def _insert_orders(
    db: Database,
    rng: random.Random,
    ids: _Ids,
    plan: list[tuple[int, int]],
    profiles: Sequence[tuple[str, str | None, Locale, list[tuple[str, str]]]],
    locales: dict[str, Locale],
    region_of_country: dict[str, str],
    now_ms: int,
) -> tuple[int, int]:
    plan.sort()
    first_display = (
        int(db.conn.execute('SELECT coalesce(max(display_id), 0) FROM "order"').fetchone()[0]) + 1
    )
    channel = db.conn.execute("SELECT id FROM sales_channel ORDER BY id LIMIT 1").fetchone()[0]
    pick_status = _Picker(rng, [s for s, _ in _STATUS_WEIGHTS], [w for _, w in _STATUS_WEIGHTS])
    pick_quantity = _Picker(rng, (1, 2, 3, 4), (70, 20, 7, 3))
    pick_item_count = _Picker(rng, (1, 2, 3, 4, 5), (45, 25, 15, 9, 6))
    # Prices per (product, currency) and shipping fees, computed once.
    prices = {(p, c): _price(eur, c) for p, (_, eur) in enumerate(PRODUCTS) for c in CURRENCY_RATES}
    price_text = {key: decimal_text(value) for key, value in prices.items()}
    discounts = {key: decimal_text((value / 10).quantize(value)) for key, value in prices.items()}
    shipping = {
        c: [decimal_text(_price(fee, c)) for fee in ("0", "4.90", "6.90", "9.90")]
        for c in CURRENCY_RATES
    }
    order_rows: list[tuple[Any, ...]] = []
    item_rows: list[tuple[Any, ...]] = []
    total_items = 0
    product_count = len(PRODUCTS)
    for offset, (created_ms, customer_index) in enumerate(plan):
        customer_id, email, home, addresses = profiles[customer_index]
        address_id, country = (
            addresses[int(rng.random() * len(addresses))] if addresses else (None, home.country)
        )
        locale = locales.get(country, home)
        currency = locale.currency
        order_ts, order_rand = ids.parts("order", created_ms)
        order_id = f"order_{encode_ulid(order_ts, order_rand)}"
        status, payment, fulfillment = _statuses(
            rng, pick_status(), (now_ms - created_ms) / _DAY_MS
        )
        created_at = stored_from_ms(created_ms)
        # Last touched within two weeks of the order, and never after `now`: clamping to
        # `now` would stamp thousands of recent orders with the very same updated_at, which
        # every `updated_at >= mark` refresh would then re-read.
        updated_ms = created_ms + int(rng.random() * min(14 * _DAY_MS, now_ms - created_ms))
        order_rows.append(
            (
                order_id,
                first_display + offset,
                status,
                payment,
                fulfillment,
                region_of_country.get(country),
                channel,
                customer_id,
                email,
                currency,
                locale.tax_rate,
                shipping[currency][int(rng.random() * 4)],
                address_id,
                address_id if address_id is not None and rng.random() < 0.5 else None,
                created_at,
                stored_from_ms(updated_ms),
            )
        )
        delivered = fulfillment in ("delivered", "shipped")
        for position in range(pick_item_count()):
            product = int(rng.random() * product_count)
            quantity = pick_quantity()
            key = (product, currency)
            done = quantity if delivered else 0
            item_rows.append(
                (
                    # Item ids extend the order's ULID (76 random bits + position): unique, sorted.
                    order_id,
                    f"ordli_{encode_ulid(order_ts, order_rand << 3 | position)}",
                    PRODUCTS[product][0],
                    f"DEMO-{product:03d}",
                    price_text[key],
                    quantity,
                    discounts[key] if rng.random() < 0.1 else "0",
                    done,
                    done,
                    done if fulfillment == "delivered" else 0,
                )
            )
        if len(item_rows) >= _BATCH:
            total_items += _flush_orders(db, order_rows, item_rows)
    total_items += _flush_orders(db, order_rows, item_rows)
    return len(plan), total_items


def _flush_orders(db: Database, orders: list[tuple[Any, ...]], items: list[tuple[Any, ...]]) -> int:
    db.conn.executemany(
        'INSERT INTO "order" (id, display_id, status, payment_status, fulfillment_status, '
        "region_id, sales_channel_id, customer_id, email, currency_code, tax_rate, "
        "shipping_subtotal, shipping_address_ref, billing_address_ref, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        orders,
    )
    db.conn.executemany(
        "INSERT INTO order_line_item (order_id, id, title, variant_sku, unit_price, quantity, "
        "discount_total, fulfilled_quantity, shipped_quantity, delivered_quantity) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        items,
    )
    count = len(items)
    orders.clear()
    items.clear()
    return count
