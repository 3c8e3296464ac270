"""The mirror database: file mode, schema versions, search semantics, keyset paging."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.domain.customer import Customer, CustomerGroup, CustomerSummary
from app.domain.errors import CacheUnavailableError
from app.domain.note import Note
from app.domain.query import MIRROR_ONLY_SORTS, RECORD_SORTS, CustomerQuery, Sort, SortField
from app.mirror import db, search, text
from app.mirror.repository import MirrorRepository
from app.mirror.schema import CURRENT, MIGRATIONS, Version
from app.mirror.search import Strategy
from tests.unit.app.mirror.orders import make_orders

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _customer(i: int, **fields: object) -> Customer:
    values: dict[str, object] = {
        "id": f"cus_{i:04}",
        "email": f"user{i}@example.com" if i % 3 else None,
        "first_name": ["Anna", "Jürgen", "ΣΟΦΙΑ", "Zoë", None][i % 5],
        "last_name": ["Müller", "Öztürk", "Åberg", None][i % 4],
        "phone": f"+49 30 555-{i:04}" if i % 2 else None,
        "company": "ACME_Corp" if i % 7 == 0 else None,
        "has_account": i % 2 == 0,
        "created_at": T0 + timedelta(hours=i % 13),
        "updated_at": T0 + timedelta(hours=i % 11),
        "groups": (CustomerGroup(id="g1", name="VIP"),) if i % 4 == 0 else (),
    }
    values.update(fields)
    return Customer.model_validate(values)


@pytest.fixture
def repo(tmp_path: Path) -> MirrorRepository:
    repository = MirrorRepository(db.connect(tmp_path / "m.sqlite3"))
    repository.upsert_customers([_customer(i) for i in range(60)])
    return repository


def test_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "m.sqlite3"
    repository = MirrorRepository(db.connect(path))
    repository.upsert_customers([_customer(1)])
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        assert stat.S_IMODE(os.stat(file).st_mode) == 0o600, file
    repository.close()


def test_newer_major_schema_is_refused_newer_minor_is_read(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    db.connect(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {Version(CURRENT.major, CURRENT.minor + 1).encode()}")
    conn.commit()
    conn.close()
    db.connect(path).close()  # additive minor changes stay readable

    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {Version(CURRENT.major + 1, 0).encode()}")
    conn.commit()
    conn.close()
    with pytest.raises(CacheUnavailableError, match="newer Merchant Desk"):
        db.connect(path)


def test_tokens_and_lowering() -> None:
    assert text.tokens("  Anna\u00a0MÜLLER\ufeffx ") == ["anna", "müller", "x"]
    assert text.pg_lower("İSTANBUL") == "istanbul"
    assert text.pg_lower("ΟΔΟΣ") == "οδοσ"  # per character: no final sigma
    assert text.phone_query_digits("+49 (30) 555-0202") == "49305550202"
    assert text.phone_query_digits("anna 5550202") is None
    assert text.phone_query_digits("123") is None


def _ids(repo: MirrorRepository, query: CustomerQuery) -> list[str]:
    out: list[str] = []
    token: str | None = None
    while True:
        page = repo.search(query, token)
        out.extend(c.id for c in page.items)
        token = page.next_token
        if token is None:
            return out


def _brute(repo: MirrorRepository, predicate: object) -> list[str]:
    return [i for i in repo.ids() if predicate(repo.get_customer(i))]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("query_text", "expected"),
    [
        ("anna", lambda c: c.first_name == "Anna"),
        ("AN", lambda c: any("an" in (v or "").lower() for v in _fields(c))),
        ("σοφ", lambda c: c.first_name == "ΣΟΦΙΑ"),
        # Folded: "ü" is "u" or "ue", so every u is found (Jürgen, Müller, user1@...).
        ("ü", lambda c: any("u" in text.fold(v or "") for v in _fields(c))),
        ("acme_", lambda c: c.company == "ACME_Corp"),
        ("a_me", lambda c: c.company == "ACME_Corp"),  # `_` is ILIKE's any-character
        ("zoë user1", lambda c: c.first_name == "Zoë" and "user1" in (c.email or "")),
        ('"anna', lambda c: False),
        ("5550013", lambda c: c.phone == "+49 30 555-0013"),  # by digits, despite the dash
    ],
)
def test_search_semantics(repo: MirrorRepository, query_text: str, expected: object) -> None:
    assert _ids(repo, CustomerQuery(text=query_text, page_size=7)) == _brute(repo, expected)


def _fields(c: Customer) -> list[str | None]:
    return [c.first_name, c.last_name, c.email, c.phone, c.company]


def test_folding_transliterates_latin_letters_only() -> None:
    assert text.fold("SCHRÖDER Straße Łódź São Işık Øre Ærø Đorđe Çelik Niño") == (
        "schroder strasse lodz sao isik ore aero dorde celik nino"
    )
    assert text.umlaut_fold("Müller Schröder Bär") == "mueller schroeder baer"
    assert text.fold("Schro\u0308der") == "schroder"  # decomposed: the diacritic goes
    assert text.fold("李 σοφία") == "李 σοφία"  # other scripts are not transliterated
    assert text.folded_forms("schröder") == ("schroder", "schroeder")
    assert text.folded_forms("lodz") == ("lodz",)


_NAMED = [
    ("Anna", "Schröder", "anna.schroeder@example.com", None),
    ("Jörg", "Schröder", "js@example.com", None),
    ("Ben", "SCHRÖDER", None, None),
    ("Paul", "Schroeder", "paul@example.com", None),
    ("Eva", "Müller", "eva@example.com", "Müller & Söhne"),
    ("Max", "Mueller", None, None),
    ("Ola", "Muller", None, "Łódź Bakery"),
    ("Ida", "Weiß", None, "Hauptstraße 1 GmbH"),
    ("João", "Silva", None, "São Paulo Ltda"),
    ("Ayşe", "Işık", None, None),
]


@pytest.fixture
def named(tmp_path: Path) -> MirrorRepository:
    repository = MirrorRepository(db.connect(tmp_path / "named.sqlite3"))
    repository.upsert_customers(
        [
            _customer(i, first_name=f, last_name=la, email=e, company=co, phone=None)
            for i, (f, la, e, co) in enumerate(_NAMED)
        ]
    )
    return repository


@pytest.mark.parametrize(
    ("queries", "last_names"),
    [
        (["schroder", "Schroder"], ["Schröder", "Schröder", "SCHRÖDER"]),
        # With an umlaut a query also finds the second spelling (and its own).
        (["schroeder", "schröder", "SCHRÖDER"], ["Schröder", "Schröder", "SCHRÖDER", "Schroeder"]),
        (["muller"], ["Müller", "Muller"]),
        (["mueller"], ["Müller", "Mueller"]),
        (["müller", "MÜLLER"], ["Müller", "Mueller", "Muller"]),
        (["lodz", "łódź", "ŁÓDŹ"], ["Muller"]),
        (["strasse", "straße"], ["Weiß"]),
        (["sao paulo", "são paulo", "joao"], ["Silva"]),
        (["isik", "ışık", "ayse"], ["Işık"]),
        (["weiss", "weiß"], ["Weiß"]),
    ],
)
def test_names_are_found_however_they_are_typed(
    named: MirrorRepository, queries: list[str], last_names: list[str]
) -> None:
    for query_text in queries:
        query = CustomerQuery(text=query_text)
        found = [c.last_name for c in named.search(query).items]
        assert sorted(found) == sorted(last_names), query_text  # type: ignore[type-var]
        assert named.count_matches(query) == len(last_names), query_text


def test_names_sort_by_collation_not_code_points(tmp_path: Path) -> None:
    """Schäfer before Schröder, lower case among upper, diacritics after their letter;
    missing names last, as the backend puts them."""
    repository = MirrorRepository(db.connect(tmp_path / "sort.sqlite3"))
    names = [
        ("Otto", "Schröder"),
        ("anna", "schmidt"),
        ("Zoe", "Schäfer"),
        ("Émile", "Zola"),
        ("Ada", "Abel"),
        ("Bo", "Schafer"),
        ("Åsa", None),
        (None, "Ærø"),
    ]
    repository.upsert_customers(
        [_customer(i, first_name=f, last_name=la) for i, (f, la) in enumerate(names)]
    )

    def listed(field: SortField, descending: bool = False) -> list[str]:
        query = CustomerQuery(sort=Sort(field=field, descending=descending), page_size=3)
        return [
            " ".join(p for p in (c.first_name, c.last_name) if p) for c in _all(repository, query)
        ]

    assert listed(SortField.LAST_NAME) == [
        "Ada Abel",
        "Ærø",
        "Bo Schafer",
        "Zoe Schäfer",
        "anna schmidt",
        "Otto Schröder",
        "Émile Zola",
        "Åsa",
    ]
    assert listed(SortField.LAST_NAME, descending=True) == list(
        reversed(listed(SortField.LAST_NAME))
    )
    assert listed(SortField.FIRST_NAME) == [
        "Ada Abel",
        "anna schmidt",
        "Åsa",
        "Bo Schafer",
        "Émile Zola",
        "Otto Schröder",
        "Zoe Schäfer",
        "Ærø",
    ]


def _all(repo: MirrorRepository, query: CustomerQuery) -> list[CustomerSummary]:
    out: list[CustomerSummary] = []
    token: str | None = None
    while True:
        page = repo.search(query, token)
        out.extend(page.items)
        token = page.next_token
        if token is None:
            return out


@pytest.mark.parametrize("field", [*sorted(RECORD_SORTS), *sorted(MIRROR_ONLY_SORTS)])
@pytest.mark.parametrize("descending", [False, True])
def test_keyset_paging_matches_one_sorted_read(
    repo: MirrorRepository, field: SortField, descending: bool
) -> None:
    # Orders for most customers (ties among those without, and among equal counts).
    repo.upsert_listed_orders(make_orders([f"cus_{i:04}" for i in range(45)], 120))
    repo.delete_unseen_orders(repo.order_generation(), {})  # a pass ends: the main currency
    sort = Sort(field=field, descending=descending)
    everything = [c.id for c in repo.search(CustomerQuery(sort=sort, page_size=1000)).items]
    assert len(everything) == 60
    assert _ids(repo, CustomerQuery(sort=sort, page_size=7)) == everything
    if field in MIRROR_ONLY_SORTS:  # by the figures, ties by id
        figures = {i: repo.figures(i) for i in everything}

        def key(cid: str) -> tuple[object, str]:
            f = figures[cid]
            spent = next((c.spent.amount for c in f.currencies if c.currency == "EUR"), 0)
            at = f.last_order_at or datetime.min.replace(tzinfo=UTC)
            value = {SortField.ORDER_COUNT: f.order_count, SortField.SPENT: spent}.get(field, at)
            return value, cid

        assert everything == sorted(everything, key=key, reverse=descending)
    if field in (SortField.EMAIL, SortField.PHONE):  # PostgreSQL: NULLs last ascending
        values = [getattr(repo.get_customer(i), field.value) for i in everything]
        nulls = [v is None for v in values]
        assert nulls == sorted(nulls, reverse=descending)


def test_outbox_and_drafts_round_trip(repo: MirrorRepository) -> None:
    seq = repo.outbox_add("k1", "customer_update", "cus_0001", None, {"fields": {}}, {})
    assert [e.seq for e in repo.outbox()] == [seq]
    repo.outbox_set_state(seq, "done")
    assert repo.outbox() == []
    repo.put_draft("customer:cus_0001", {"phone": "1"})
    assert repo.drafts() == {"customer:cus_0001": {"phone": "1"}}
    repo.delete_draft("customer:cus_0001")
    assert repo.drafts() == {}


@pytest.mark.parametrize(
    "sort",
    [
        Sort(),
        Sort(field=SortField.EMAIL, descending=True),
        Sort(field=SortField.LAST_NAME),
        Sort(field=SortField.FIRST_NAME, descending=True),
    ],
)
@pytest.mark.parametrize(
    "query_text",
    [
        *("a", "an", "müller", "user1", "555", "+49 30 555", "acme_", "zoë user", "xyz", "ann a"),
        *("mueller", "ü", "öz", "aberg juer", "ÖZTÜRK"),  # folded forms, one or two per token
    ],
)
def test_every_search_strategy_gives_the_same_pages_and_counts(
    repo: MirrorRepository, monkeypatch: pytest.MonkeyPatch, query_text: str, sort: Sort
) -> None:
    """Scan, walk (its window short or whole) and collect (with or without the probing
    scan) agree exactly, page by page, tokens included; so do both ways of counting."""
    query = CustomerQuery(text=query_text, sort=sort, page_size=4)
    chosen = search.plan

    def pages(forced: Strategy | None, probe: int = 0) -> list[tuple[list[str], str | None]]:
        def plan(*args: int) -> Strategy:
            return forced if forced else chosen(*args)

        monkeypatch.setattr(search, "plan", plan)
        monkeypatch.setattr(search, "PROBE_WINDOW", probe)
        out, token = [], None
        while True:
            page = repo.search(query, token, count=False)
            out.append(([c.id for c in page.items], page.next_token))
            token = page.next_token
            if token is None:
                return out

    expected = pages(Strategy.SCAN)
    for forced in (Strategy.COLLECT, Strategy.WALK):
        assert pages(forced) == expected, forced
    # A walk's window: too short for a page (then collect, or walk on), or the whole order.
    for slack, collect in ((0.01, True), (0.01, False), (1e9, False)):
        monkeypatch.setattr(search, "WALK_SLACK", slack)
        monkeypatch.setattr(search, "collect_after_walk", lambda *_, v=collect: v)
        assert pages(Strategy.WALK) == expected, (slack, collect)
    for probe in (1, 5, 100):  # the probing scan finds the page, or gives way to the plan
        assert pages(None, probe) == expected, probe
    # The probe scans on (a window too short for a page, one just long enough, everything)
    # or gives way to the plan.
    for window in (None, 3, 12, 10**9):
        monkeypatch.setattr(search, "scan_on", lambda *_, v=window: v)
        for probe in (1, 2):
            assert pages(None, probe) == expected, (window, probe)

    total = sum(len(ids) for ids, _ in expected)
    for by_scan in (True, False):
        monkeypatch.setattr(search, "count_by_scan", lambda *_, v=by_scan: v)
        monkeypatch.setattr(search, "refine_by_scan", lambda *_, v=by_scan: v)
        repo.upsert_customers([])  # a write: forget the last search's matches
        assert repo.count_matches(query) == total, by_scan


def test_scan_on_goes_on_for_a_dense_term_and_collects_a_rare_one() -> None:
    # 20 matches in a 1,000-row probe at 1,000,000 rows: ~20,000 matches to collect,
    # a page within ~5,000 rows to scan.
    window = search.scan_on(20, 1000, 1_000_000, 100, search.SCAN_PER_ROW_COVERED)
    assert window == 5050 * search.SCAN_SLACK
    # The same density where scanning a row costs a table lookup, or in a small mirror:
    # collecting the few matches is cheaper.
    assert search.scan_on(20, 1000, 1_000_000, 100, 100.0) is None
    assert search.scan_on(20, 1000, 10_000, 100, search.SCAN_PER_ROW_COVERED) is None
    assert search.scan_on(0, 1000, 1_000_000, 100, search.SCAN_PER_ROW_COVERED) is None
    assert search.scan_cost(SortField.ID) < search.scan_cost(SortField.PHONE)


def test_a_search_in_the_default_order_scans_the_text_index_alone(
    repo: MirrorRepository,
) -> None:
    repo.upsert_customers([_customer(i) for i in range(30)])
    query = CustomerQuery(text="müller", page_size=3)
    match = search.text_match(query.text)
    assert match is not None
    statements: list[str] = []
    repo.conn.set_trace_callback(statements.append)
    try:
        rows = repo._scan_window(query, match, [], [], 100)
    finally:
        repo.conn.set_trace_callback(None)
    assert [r[0] for r in rows] == [c.id for c in repo.search(query, count=False).items] + [
        repo.search(query, repo.search(query, count=False).next_token).items[0].id
    ]
    plan = repo.conn.execute(f"EXPLAIN QUERY PLAN {statements[-1]}").fetchall()
    assert any("COVERING INDEX customer_by_id_text" in str(row) for row in plan), plan


def test_migrating_a_4_0_mirror_adds_the_id_text_index(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    first = MirrorRepository(db.connect(path))
    first.upsert_customers([_customer(1, email="kept@example.com")])
    first.conn.close()
    conn = sqlite3.connect(path, isolation_level=None)  # as 4.0 left it: 4.1 is the index
    conn.execute("DROP INDEX customer_by_id_text")
    conn.execute(f"PRAGMA user_version = {Version(4, 0).encode()}")
    conn.close()

    repository = MirrorRepository(db.connect(path))
    assert db.schema_version(repository.conn) == CURRENT == Version(4, 1)
    names = {r[0] for r in repository.conn.execute("SELECT name FROM sqlite_master")}
    assert "customer_by_id_text" in names
    assert repository.search(CustomerQuery(text="kept")).total == 1


def test_migrating_a_1_0_mirror_keeps_its_rows_and_search(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in MIGRATIONS[Version(1, 0)]:
        conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {Version(1, 0).encode()}")
    conn.execute(
        "INSERT INTO customer(id, email, first_name, last_name, phone, company, has_account, "
        "created_at, updated_at, fetched_at, k_first_name, k_last_name, k_email, k_phone, "
        "k_company, k_phone_digits) VALUES ('cus_1', 'A@x.io', 'Änne', NULL, '+49 30 1', "
        "'ACME', 1, 0, 0, 0, 'änne', NULL, 'a@x.io', '+49 30 1', 'acme', '49301')"
    )
    conn.execute("INSERT INTO draft(key, data, saved_at) VALUES ('k', '{}', 0)")
    conn.close()

    repository = MirrorRepository(db.connect(path))
    assert db.schema_version(repository.conn) == CURRENT
    assert repository.drafts() == {"k": {}}
    for query_text, found in [("änne acme", 1), ("x.io", 1), ("nn", 1), ("49301", 1), ("zz", 0)]:
        query = CustomerQuery(text=query_text)
        assert repository.search(query).total == found, query_text
        assert repository.count_matches(query) == found
    repository.upsert_customers([_customer(7, first_name="Bert")])
    assert repository.search(CustomerQuery(text="bert")).total == 1  # triggers in place


def test_migrating_a_2_0_mirror_folds_its_search_text_and_sorts_names(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for version in (Version(1, 0), Version(2, 0)):
        for statement in MIGRATIONS[version]:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {Version(2, 0).encode()}")
    sep = text.SEPARATOR
    for i, (first, last, email) in enumerate(
        [("Jörg", "Schröder", "js@x.io"), ("Zoe", "Schäfer", None), ("Åsa", "Zorn", None)]
    ):
        conn.execute(  # as 2.0 wrote rows: the lowered fields, no sort keys
            "INSERT INTO customer(id, email, first_name, last_name, has_account, created_at, "
            "updated_at, fetched_at, k_text) VALUES (?, ?, ?, ?, 1, 0, 0, 0, ?)",
            (f"cus_{i}", email, first, last, sep.join([first.lower(), last.lower(), email or ""])),
        )
    conn.close()

    repository = MirrorRepository(db.connect(path))
    assert db.schema_version(repository.conn) == CURRENT
    for query_text, found in [("schroeder", 1), ("schroder jorg", 1), ("asa", 1), ("zz", 0)]:
        query = CustomerQuery(text=query_text)
        assert repository.search(query).total == found, query_text
        assert repository.count_matches(query) == found
    by_name = CustomerQuery(sort=Sort(field=SortField.LAST_NAME))
    assert [c.last_name for c in repository.search(by_name).items] == [
        "Schäfer",
        "Schröder",
        "Zorn",
    ]
    repository.upsert_customers([_customer(7, first_name="Bärbel", last_name="Abel")])
    assert repository.search(CustomerQuery(text="baerbel")).total == 1  # triggers in place
    assert repository.search(by_name).items[0].last_name == "Abel"


def test_first_page_without_count_then_count(repo: MirrorRepository) -> None:
    query = CustomerQuery(text="a", page_size=5)
    page = repo.search(query, count=False)
    assert page.total is None
    assert page.next_token is not None
    assert repo.count_matches(query) == len(_ids(repo, query)) == repo.search(query).total
    # A term the trigram index answers alone is counted for free with the rows (unless
    # the probing scan found the page first).
    query = CustomerQuery(text="user1", page_size=20)
    assert repo.search(query, count=False).total == len(_ids(repo, query)) > 5


def test_usual_country_is_the_most_common_address_country(repo: MirrorRepository) -> None:
    from app.domain.customer import Address

    assert repo.common_country() is None  # no addresses mirrored yet
    countries = ["de", "AT", "at", None, "fr", "at", "de"]
    for i, code in enumerate(countries):
        repo.put_address(Address(id=f"addr_{i}", country_code=code), f"cus_{i:04}")
    assert repo.common_country() == "AT"


def test_a_3_0_mirror_gains_the_notes_table_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function("search_text", 5, lambda *a: "", deterministic=True)
    conn.create_function("name_key", 2, lambda *a: None, deterministic=True)
    for version in (Version(1, 0), Version(2, 0), Version(3, 0)):
        for statement in MIGRATIONS[version]:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {Version(3, 0).encode()}")
    conn.execute("INSERT INTO draft(key, data, saved_at) VALUES ('k', '{}', 0)")
    conn.close()

    repository = MirrorRepository(db.connect(path))
    assert db.schema_version(repository.conn) >= Version(3, 1)
    assert repository.drafts() == {"k": {}}
    note = Note(
        id="n1",
        body="called",
        author="a@example.com",
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
        updated_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    repository.merge_notes("cus_1", [note])
    tomb = note.model_copy(update={"body": "", "deleted_at": note.updated_at})
    repository.merge_notes("cus_1", [tomb])
    repository.merge_notes("cus_1", [note])  # an older copy arriving late
    assert repository.notes("cus_1") == [tomb]
    assert repository.notes("cus_2") == []
