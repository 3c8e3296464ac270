"""Phone numbers as staff type them: national forms, digits split by spaces."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.domain.customer import Address, Customer
from app.domain.query import CustomerQuery
from app.mirror import db, search
from app.mirror.repository import MirrorRepository
from app.mirror.search import Strategy

T0 = datetime(2026, 1, 1, tzinfo=UTC)
PHONES = ["+496905108941", "+49 30 5550202", "06905108941", "+4369051089410", "+33 1 23 45 67 89"]


def _customer(i: int, phone: str, country: str | None = None) -> Customer:
    addresses = () if country is None else (Address(id=f"a{i}", country_code=country),)
    return Customer(
        id=f"cus_{i}",
        email=f"c{i}@example.com",
        phone=phone,
        has_account=False,
        created_at=T0,
        updated_at=T0,
        addresses=addresses,
    )


@pytest.fixture
def repo(tmp_path: Path) -> MirrorRepository:
    repository = MirrorRepository(db.connect(tmp_path / "m.sqlite3"))
    repository.upsert_customers([_customer(i, p) for i, p in enumerate(PHONES)])
    return repository


def _phones(repo: MirrorRepository, query_text: str, region: str | None) -> list[str | None]:
    page = repo.search(CustomerQuery(text=query_text), phone_region=region)
    assert page.total == repo.count_matches(CustomerQuery(text=query_text), region)
    return sorted((c.phone for c in page.items), key=str)


def test_a_national_number_finds_its_international_form(repo: MirrorRepository) -> None:
    # In Germany "0690 5108941" is +49 690 5108941; the Austrian number that holds the
    # same digits after its country code ("+43 690 5108941 0") is not that number.
    assert _phones(repo, "0690 5108941", "DE") == ["+496905108941", "06905108941"]
    assert _phones(repo, "0690 5108941", None) == ["06905108941"]  # no country: digits only
    assert _phones(repo, "0690 5108941", "AT") == ["+4369051089410", "06905108941"]
    assert _phones(repo, "030 555 0202", "DE") == ["+49 30 5550202"]


def test_digits_split_by_spaces_are_one_number(repo: MirrorRepository) -> None:
    assert _phones(repo, "69 05 10 89 41", None) == [
        "+4369051089410",
        "+496905108941",
        "06905108941",
    ]
    assert _phones(repo, "01 23 45 67 89", "FR") == ["+33 1 23 45 67 89"]


@pytest.mark.parametrize("strategy", list(Strategy))
def test_every_strategy_finds_national_forms_alike(
    repo: MirrorRepository, monkeypatch: pytest.MonkeyPatch, strategy: Strategy
) -> None:
    monkeypatch.setattr(search, "plan", lambda *_: strategy)
    monkeypatch.setattr(search, "PROBE_WINDOW", 0)
    assert _phones(repo, "0690 5108941", "DE") == ["+496905108941", "06905108941"]


def test_the_most_common_address_country_is_the_guess(tmp_path: Path) -> None:
    repository = MirrorRepository(db.connect(tmp_path / "m.sqlite3"))
    assert repository.common_country() is None
    countries = ["de", "fr", "DE", "", None, "at", "de"]
    repository.upsert_customers(
        [_customer(i, "1", c) for i, c in enumerate(countries)]  # no country: not counted
    )
    assert repository.common_country() == "DE"
