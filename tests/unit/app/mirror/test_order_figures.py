"""The order mirror: figures equal a count over the store's own listing, through full,
resumed and incremental passes; order sorts and filters; migrating a 3.0 file."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pytest
import pytest_asyncio

from app.backends.protocols import Backend
from app.domain.customer import Customer
from app.domain.errors import ConnectionFailedError
from app.domain.money import Money
from app.domain.order import OrderSummary
from app.domain.query import CustomerQuery, DateRange, OrderFilter, Sort, SortField
from app.mirror import collation, db, search, text
from app.mirror.repository import MirrorRepository
from app.mirror.schema import CURRENT, MIGRATIONS, Version
from app.mirror.store import MirrorStore
from app.mirror.sync import SyncEngine, SyncProgress
from tests.unit.app.mirror.orders import (
    T0,
    OrderBook,
    expected_figures,
    main_currency,
    make_orders,
    same_figures,
)

CUSTOMERS = [f"cus_{i:03}" for i in range(50)]


def _customer(i: int) -> Customer:
    return Customer(
        id=CUSTOMERS[i],
        email=f"user{i}@example.com",
        first_name=["Anna", "Ben", "Cleo"][i % 3],
        last_name="Smith" if i % 2 else "Jones",
        has_account=i % 2 == 0,
        created_at=T0,
        updated_at=T0,
    )


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[MirrorStore]:
    mirror = MirrorStore(tmp_path / "m.sqlite3")
    await mirror.open()
    # The last ten customers are not stored before their orders (see the refresh test).
    await mirror.call(MirrorRepository.upsert_customers, [_customer(i) for i in range(40)])
    yield mirror
    await mirror.aclose()


def _engine(book: OrderBook, store: MirrorStore) -> SyncEngine:
    return SyncEngine(cast(Backend, book), store, order_page_size=37)


async def _check(store: MirrorStore, book: OrderBook) -> None:
    """Every customer's figures and list row equal a count over the book's listing."""
    listing = list(book.orders.values())
    for cid in CUSTOMERS:
        figures = await store.call(MirrorRepository.figures, cid)
        assert same_figures(figures, expected_figures(listing, cid)), cid
    main = main_currency(listing)
    assert await store.call(MirrorRepository.main_currency) == main
    page = await store.call(MirrorRepository.search, CustomerQuery(page_size=1000))
    for row in page.items:
        want = expected_figures(listing, row.id)
        assert row.orders is not None
        assert row.orders.order_count == want.order_count
        assert row.orders.last_order_at == want.last_order_at
        spent = next((c.spent for c in want.currencies if c.currency == main), None)
        assert row.orders.spent == spent


@pytest.mark.asyncio
async def test_figures_equal_a_count_over_the_listing(store: MirrorStore) -> None:
    book = OrderBook({o.id: o for o in make_orders(CUSTOMERS[:40], 400)})
    seen: list[SyncProgress] = []
    assert await _engine(book, store).full_orders(seen.append) == 400
    assert [p.phase for p in seen] == ["orders"] * 11
    assert seen[-1].done == seen[-1].total == 400
    assert (await store.call(MirrorRepository.meta, "orders.bulk")) is None  # indexes built
    await _check(store, book)
    assert any(o.cancelled and o.customer_id for o in book.orders.values())
    assert any(o.refunded for o in book.orders.values())


@pytest.mark.asyncio
async def test_cancelled_orders_do_not_count_and_refunds_are_subtracted(
    store: MirrorStore,
) -> None:
    def order(n: int, total: str, currency: str = "EUR", **fields: object) -> OrderSummary:
        return OrderSummary.model_validate(
            {
                "id": f"o{n}",
                "display_number": str(n),
                "status": "completed",
                "total": Money(amount=Decimal(total), currency=currency),
                "created_at": T0 + timedelta(days=n),
                "updated_at": T0 + timedelta(days=n),
                "customer_id": CUSTOMERS[0],
                **fields,
            }
        )

    book = OrderBook(
        {
            o.id: o
            for o in [
                order(1, "10.10"),
                order(2, "20.20", refunded=Money(amount=Decimal("5.05"), currency="EUR")),
                order(3, "999.99", status="canceled", cancelled=True),
                order(4, "0.30"),
                order(5, "7.00", "USD"),
            ]
        }
    )
    await _engine(book, store).full_orders()
    figures = await store.call(MirrorRepository.figures, CUSTOMERS[0])
    assert figures.order_count == 4
    assert figures.cancelled_count == 1
    eur, usd = figures.currencies
    assert (eur.currency, eur.order_count, eur.spent.amount, eur.refunded.amount) == (
        "EUR",
        3,
        Decimal("25.55"),  # 10.10 + 20.20 - 5.05 + 0.30, exactly
        Decimal("5.05"),
    )
    assert (usd.order_count, usd.spent.amount) == (1, Decimal("7.00"))
    assert figures.first_order_at == T0 + timedelta(days=1)
    assert figures.last_order_at == T0 + timedelta(days=5)  # the cancelled 3rd is no order


@pytest.mark.asyncio
@pytest.mark.parametrize("filters", [True, False])
async def test_refresh_picks_up_changes_and_new_customers(
    store: MirrorStore, filters: bool
) -> None:
    book = OrderBook(
        {o.id: o for o in make_orders(CUSTOMERS, 300)}, filters_orders_by_updated_at=filters
    )
    engine = _engine(book, store)
    await engine.full_orders()
    target = next(
        o for o in book.orders.values() if not o.cancelled and o.customer_id == CUSTOMERS[1]
    )
    later = datetime.now(UTC)  # the server stamps a change with its time
    book.orders[target.id] = target.model_copy(
        update={"status": "canceled", "cancelled": True, "updated_at": later}
    )
    moved = next(o for o in book.orders.values() if o.customer_id == CUSTOMERS[2])
    book.orders[moved.id] = moved.model_copy(
        update={"customer_id": CUSTOMERS[3], "updated_at": later}
    )
    fetched = await engine.refresh_orders()
    if filters:  # only what changed since the newest change mirrored before
        assert fetched < 10
        assert book.since_asked[-1] is not None
    else:
        assert fetched == 300
    # Customers stored after their orders (a refresh of customers met them later) take
    # the figures already counted.
    await store.call(MirrorRepository.upsert_customers, [_customer(i) for i in range(40, 50)])
    await _check(store, book)


@pytest.mark.asyncio
async def test_an_interrupted_full_pass_resumes(store: MirrorStore) -> None:
    book = OrderBook({o.id: o for o in make_orders(CUSTOMERS, 400)}, fail_after_pages=4)
    engine = _engine(book, store)
    with pytest.raises(ConnectionFailedError):
        await engine.full_orders()
    status = await engine.status()
    assert status.orders_resumable
    assert not status.orders_complete
    assert await store.call(MirrorRepository.figures, CUSTOMERS[0]) is not None
    book.fail_after_pages = None
    seen: list[SyncProgress] = []
    fetched = await engine.full_orders(seen.append)
    assert 0 < fetched <= 400 - 3 * 37  # at least the stored pages are not read again
    assert seen[-1].done == seen[-1].total == 400
    assert len(book.since_asked) == 1  # the second pass continued from the cursor
    status = await engine.status()
    assert status.orders_complete
    assert not status.orders_resumable
    await _check(store, book)


@pytest.mark.asyncio
async def test_a_deleted_order_disappears_after_a_full_pass(store: MirrorStore) -> None:
    book = OrderBook({o.id: o for o in make_orders(CUSTOMERS, 200)})
    engine = _engine(book, store)
    await engine.full_orders()
    gone = next(o for o in book.orders.values() if o.customer_id and not o.cancelled)
    del book.orders[gone.id]
    await engine.refresh_orders()  # a listing of changes cannot show a deletion
    still = await store.call(MirrorRepository.orders, gone.customer_id or "")
    assert gone.id in [o.id for o in still]
    await engine.full_orders(restart=True)
    left = await store.call(MirrorRepository.orders, gone.customer_id or "")
    assert gone.id not in [o.id for o in left]
    await _check(store, book)


# --- sorts and filters -------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> MirrorRepository:
    repository = MirrorRepository(db.connect(tmp_path / "r.sqlite3"))
    repository.upsert_customers([_customer(i) for i in range(50)])
    repository.upsert_listed_orders(make_orders(CUSTOMERS[:40], 300))
    repository.delete_unseen_orders(0, {"orders.last_full": "x"})  # the pass completes
    return repository


def _pages(repo: MirrorRepository, query: CustomerQuery) -> list[str]:
    out: list[str] = []
    token: str | None = None
    while True:
        page = repo.search(query, token)
        out.extend(c.id for c in page.items)
        token = page.next_token
        if token is None:
            return out


MID = T0 + timedelta(days=180)


@pytest.mark.parametrize(
    "wanted",
    [
        OrderFilter(has_orders=True),
        OrderFilter(has_orders=False),
        OrderFilter(min_spent=Decimal("2000")),
        OrderFilter(min_spent=Decimal("0.01"), has_orders=True),
        OrderFilter(last_order=DateRange(start=MID)),
        OrderFilter(last_order=DateRange(end=MID)),
        OrderFilter(ordered=DateRange(start=MID, end=MID + timedelta(days=30))),
    ],
)
@pytest.mark.parametrize("text", ["", "anna", "smith"])
@pytest.mark.parametrize("field", [SortField.SPENT, SortField.ORDER_COUNT, SortField.EMAIL])
def test_order_filters_page_like_one_sorted_read(
    repo: MirrorRepository, wanted: OrderFilter, text: str, field: SortField
) -> None:
    orders = [o for cid in CUSTOMERS for o in repo.orders(cid)]
    main = main_currency(orders)

    def passes(cid: str) -> bool:
        f = expected_figures(orders, cid)
        spent = next((c.spent.amount for c in f.currencies if c.currency == main), None)
        customer = repo.get_customer(cid)
        assert customer is not None
        words = f"{customer.first_name} {customer.last_name}".lower()
        return (
            (wanted.has_orders is None or f.has_orders == wanted.has_orders)
            and (wanted.min_spent is None or (spent is not None and spent >= wanted.min_spent))
            and (
                wanted.last_order.is_open()
                or (f.last_order_at is not None and wanted.last_order.contains(f.last_order_at))
            )
            and (
                wanted.ordered.is_open()
                or any(
                    o.customer_id == cid
                    and not o.cancelled
                    and wanted.ordered.contains(o.created_at)
                    for o in orders
                )
            )
            and text in words
        )

    query = CustomerQuery(text=text, orders=wanted, sort=Sort(field=field, descending=True))
    whole = [c.id for c in repo.search(query.model_copy(update={"page_size": 1000})).items]
    assert sorted(whole) == sorted(c for c in CUSTOMERS if passes(c))
    assert _pages(repo, query.model_copy(update={"page_size": 4})) == whole
    assert repo.count_matches(query) == len(whole)
    assert 0 < len(whole) < 50 or wanted.has_orders is not None or text


# --- order filters with free text: the plan ----------------------------------------------

MANY = [f"cus_{i:04}" for i in range(400)]


@pytest.fixture
def many(tmp_path: Path) -> tuple[MirrorRepository, list[OrderSummary]]:
    repository = MirrorRepository(db.connect(tmp_path / "m.sqlite3"))
    repository.upsert_customers(
        [
            Customer(
                id=cid,
                email=f"u{i}@example.com",
                first_name=["Anna", "Ben", "Cleo", "Jürgen"][i % 4],
                last_name=["Müller", "Smith", "Jones"][i % 3],
                created_at=T0,
                updated_at=T0,
            )
            for i, cid in enumerate(MANY)
        ]
    )
    orders = make_orders(MANY, 1200, seed=15)
    repository.upsert_listed_orders(orders)
    repository.delete_unseen_orders(0, {"orders.last_full": "x"})
    return repository, orders


def _spy_plans(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """What `plan_filtered` chose for each page, what `_range_count` answered."""
    plans: dict[str, list[Any]] = {"page": [], "count": []}

    planned = search.plan_filtered

    def plan(*args: Any, **kwargs: Any) -> search.Strategy:
        plans["page"].append(planned(*args, **kwargs))
        return cast(search.Strategy, plans["page"][-1])

    original = MirrorRepository._range_count

    def count(self: MirrorRepository, *args: Any) -> int | None:
        plans["count"].append(original(self, *args))
        return cast(int | None, plans["count"][-1])

    monkeypatch.setattr(search, "plan_filtered", plan)
    monkeypatch.setattr(MirrorRepository, "_range_count", count)
    return plans


def test_a_rare_term_in_a_selective_filter_collects_its_matches(
    many: tuple[MirrorRepository, list[OrderSummary]], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, orders = many
    main = main_currency(orders)
    rich = sorted(
        cid
        for cid in MANY
        for c in expected_figures(orders, cid).currencies
        if c.currency == main and c.spent.amount >= Decimal("2500")
    )
    plans = _spy_plans(monkeypatch)
    for sort in (Sort(), Sort(field=SortField.EMAIL, descending=True)):
        email = f"u{int(rich[0][4:])}@example.com"
        query = CustomerQuery(
            text=email, orders=OrderFilter(min_spent=Decimal("2500")), sort=sort, page_size=4
        )
        assert _pages(repo, query) == [rich[0]]
        assert _pages(repo, query.model_copy(update={"text": "zzz@"})) == []
    assert plans["page"] == [search.Strategy.COLLECT] * 4


@pytest.mark.parametrize(
    ("min_spent", "ranged"),
    [(Decimal("2500"), True), (Decimal("1"), False)],  # few pass / most pass
)
@pytest.mark.parametrize("text", ["anna", "müller", "e", "an m"])
@pytest.mark.parametrize(
    "sort",
    [Sort(), Sort(descending=True), Sort(field=SortField.EMAIL), Sort(field=SortField.SPENT)],
)
def test_spent_at_least_with_text_pages_like_brute_force_whichever_plan(
    many: tuple[MirrorRepository, list[OrderSummary]],
    monkeypatch: pytest.MonkeyPatch,
    min_spent: Decimal,
    ranged: bool,
    text: str,
    sort: Sort,
) -> None:
    """A selective "spent at least" reads the spent index's range (RANGE, and
    `_range_count` for the count), a broad one walks the sort order; a figure sort on spent
    walks its own index. Each pages and counts exactly like the brute-force answer."""
    repo, orders = many
    main = main_currency(orders)
    plans = _spy_plans(monkeypatch)
    spent: dict[str, Decimal] = {}
    for cid in MANY:
        figures = expected_figures(orders, cid)
        for c in figures.currencies:
            if c.currency == main:
                spent[cid] = c.spent.amount
    expected = []
    for cid in MANY:
        customer = repo.get_customer(cid)
        assert customer is not None
        words = text.lower().split()
        name = f"{customer.first_name} {customer.last_name} {customer.email}".lower()
        if spent.get(cid, Decimal(-1)) >= min_spent and all(w in name for w in words):
            key: object = (spent[cid], cid) if sort.field is SortField.SPENT else cid
            key = (customer.email, cid) if sort.field is SortField.EMAIL else key
            expected.append((key, cid))
    want = [cid for _, cid in sorted(expected, reverse=sort.descending)]
    query = CustomerQuery(text=text, orders=OrderFilter(min_spent=min_spent), sort=sort)
    assert _pages(repo, query.model_copy(update={"page_size": 4})) == want
    assert repo.count_matches(query) == len(want)
    assert 0 < len(want) < len(MANY)
    chosen = [p for p in plans["page"] if p is not None]
    assert (search.Strategy.RANGE in chosen) == (ranged and sort.field is not SortField.SPENT)
    # Without a trigram expression the count scans: any range under the cap is fewer rows.
    counted = any(p is not None for p in plans["count"])
    assert counted == (ranged or all(len(w) < 3 for w in text.split()))


def test_free_text_in_an_order_filter_takes_the_cheapest_plan() -> None:
    rows, page = 100_000, 100
    # 800 customers spent enough: their range beats walking for 1 in 125 rows a page.
    assert search.plan_filtered(800, 0.3, rows, page, fts=True) is search.Strategy.RANGE
    # A rare term among them: collecting its 50 matches is cheaper still.
    assert search.plan_filtered(800, 0.0005, rows, page, fts=True) is search.Strategy.COLLECT
    # A dense term the index cannot select ("e") in a broad filter: the walk is short.
    assert search.plan_filtered(15_000, 0.9, rows, page, fts=False) is search.Strategy.WALK
    assert search.plan_filtered(3_000, 0.05, rows, page, fts=False) is search.Strategy.RANGE


def test_a_range_plan_needs_the_figure_index(
    many: tuple[MirrorRepository, list[OrderSummary]],
) -> None:
    """While a bulk load has dropped the figure indexes the walk answers (no INDEXED BY
    of a missing index)."""
    repo, _ = many
    query = CustomerQuery(text="anna", orders=OrderFilter(min_spent=Decimal("2500")))
    before = _pages(repo, query)
    repo.conn.execute("DROP INDEX customer_by_spent")
    assert _pages(repo, query) == before != []


# --- migration ---------------------------------------------------------------------------


def test_migrating_a_3_0_mirror_keeps_customers_drafts_and_orders(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function("search_text", 5, text.search_text, deterministic=True)
    conn.create_function("name_key", 2, collation.name_key, deterministic=True)
    for version in (Version(1, 0), Version(2, 0), Version(3, 0)):
        for statement in MIGRATIONS[version]:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {Version(3, 0).encode()}")
    conn.execute(  # as 3.0 wrote rows
        "INSERT INTO customer(id, email, has_account, created_at, updated_at, fetched_at, "
        "k_text) VALUES (?, 'kept@example.com', 1, 0, 0, 0, 'kept@example.com')",
        (CUSTOMERS[0],),
    )
    conn.execute("INSERT INTO draft(key, data, saved_at) VALUES ('k', '{}', 0)")
    summary = make_orders([CUSTOMERS[0]], 1)[0].model_copy(
        update={"refunded": Money(amount=Decimal("1.5"), currency="EUR")}
    )
    conn.execute(
        "INSERT INTO order_summary(id, customer_id, data) VALUES (?, ?, ?)",
        (summary.id, CUSTOMERS[0], summary.model_dump_json()),
    )
    conn.execute("INSERT INTO meta(key, value) VALUES (?, '1')", (f"orders_known:{CUSTOMERS[0]}",))
    conn.close()

    repository = MirrorRepository(db.connect(path))
    assert db.schema_version(repository.conn) == CURRENT
    assert repository.drafts() == {"k": {}}
    customer = repository.get_customer(CUSTOMERS[0])
    assert customer is not None
    assert customer.email == "kept@example.com"
    assert repository.search(CustomerQuery(text="kept")).total == 1
    assert repository.orders(CUSTOMERS[0]) == [summary]  # every field, exactly
    page = repository.orders_page(CUSTOMERS[0], None, 10)
    assert page is not None
    assert page.items == (summary,)
    # The history read so far counts; `orders_mirrored` says it is not the whole story.
    assert (
        repository.figures(CUSTOMERS[0]).cancelled_count
        + repository.figures(CUSTOMERS[0]).order_count
        == 1
    )
    assert not repository.orders_mirrored()


def test_a_customer_history_write_keeps_listed_orders(repo: MirrorRepository) -> None:
    """A customer's first history page replaces the orders read from that history, not
    those of the store-wide listing (its later pages are not read yet)."""
    cid = next(c for c in CUSTOMERS if len(repo.orders(c)) >= 3)
    before = repo.figures(cid)
    listed = repo.orders(cid)
    repo.put_orders(cid, listed[:1], first=True)
    assert [o.id for o in repo.orders(cid)] == [o.id for o in listed]
    assert repo.figures(cid) == before
    extra = listed[0].model_copy(update={"id": "order_history_only", "updated_at": None})
    repo.put_orders(cid, [extra], first=False)
    assert repo.figures(cid).order_count == before.order_count + (0 if extra.cancelled else 1)
    repo.put_orders(cid, listed[:1], first=True)  # the store dropped it: gone again
    assert repo.figures(cid) == before
    # Optional fields a history listing leaves out keep what the listing had.
    bare = listed[0].model_copy(update={"refunded": None, "item_count": None, "updated_at": None})
    repo.put_orders(cid, [bare], first=True)
    kept = next(o for o in repo.orders(cid) if o.id == bare.id)
    assert kept == listed[0]


def test_amounts_stay_exact_beyond_the_sort_keys_precision(repo: MirrorRepository) -> None:
    """Sums are exact decimals; only the sort and filter key is in (clamped) millionths."""
    cid = CUSTOMERS[45]  # no orders yet
    base = make_orders([cid], 1)[0].model_copy(update={"cancelled": False, "refunded": None})
    amounts = [Decimal("0.0000001"), Decimal("0.1"), Decimal("0.2"), Decimal(10**15)]
    repo.upsert_listed_orders(
        [
            base.model_copy(update={"id": f"exact_{i}", "total": Money(amount=a, currency="EUR")})
            for i, a in enumerate(amounts)
        ]
    )
    figures = repo.figures(cid)
    assert figures.currencies[0].spent.amount == sum(amounts)  # 1000000000000000.3000001
    row = repo.order_stats([cid])[cid]
    assert row.spent is not None
    assert row.spent.amount == sum(amounts)
    richest = repo.search(CustomerQuery(sort=Sort(field=SortField.SPENT, descending=True)))
    assert richest.items[0].id == cid


@pytest.mark.asyncio
async def test_a_customers_orders_read_back_newest_first(store: MirrorStore) -> None:
    # As the stores list them (by created_at), whatever the ids (Elastic Path's are
    # UUIDs): the offline orders tab, and the timeline's newest orders when it caps.
    ids = ["f3a9", "0b1c", "7d2e"]  # newest first by creation, not by id
    orders = [
        OrderSummary(
            id=oid,
            display_number=str(n),
            status="completed",
            total=Money(amount=Decimal("10.00"), currency="EUR"),
            created_at=T0 - timedelta(days=n),
            customer_id=CUSTOMERS[0],
        )
        for n, oid in enumerate(ids)
    ]
    await store.call(MirrorRepository.put_orders, CUSTOMERS[0], orders[::-1], first=True)
    page = await store.call(MirrorRepository.orders_page, CUSTOMERS[0], None, 2)
    assert page is not None
    assert [o.id for o in page.items] == ids[:2]
    rest = await store.call(MirrorRepository.orders_page, CUSTOMERS[0], page.next_token, 2)
    assert rest is not None
    assert [o.id for o in rest.items] == ids[2:]
