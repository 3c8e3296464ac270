"""`PageGuard`: endless listings stop; rows merely shifted between pages do not."""

from __future__ import annotations

import pytest

from app.domain.errors import EndlessPagesError
from app.gateway.pagination import PageGuard, check_advances


def test_a_page_served_again_stops_the_listing() -> None:
    guard = PageGuard()
    guard.check(None, ["a", "b"], "o:2", 1200)
    with pytest.raises(EndlessPagesError):
        guard.check("o:2", ["a", "b"], "o:4")


def test_a_token_handed_out_twice_stops_the_listing() -> None:
    guard = PageGuard()
    guard.check(None, ["a"], "k:a", 1200)
    guard.check("k:a", ["b"], "k:b")
    with pytest.raises(EndlessPagesError):
        guard.check("k:b", ["c"], "k:a")


def test_far_more_rows_than_counted_stops_the_listing() -> None:
    guard = PageGuard()
    guard.check(None, [f"r{i}" for i in range(10)], "o:10", 10)
    for page in range(1, 11):  # 100 rows beyond the count: the slack for new signups
        guard.check(f"o:{page * 10}", [f"r{page}-{i}" for i in range(10)], f"o:{page * 10 + 10}")
    with pytest.raises(EndlessPagesError):
        guard.check("o:110", ["one-too-many"], "o:111")


def test_rows_shifted_onto_the_next_page_are_reported_not_fatal() -> None:
    # Offset paging on a key with ties: a row of page 1 shows up again on page 2.
    guard = PageGuard()
    assert guard.check(None, ["a", "b", "c"], "o:3", 6) == frozenset()
    assert guard.check("o:3", ["c", "d", "e"], "o:6") == {"c"}
    assert guard.check("o:6", ["e"], None) == {"e"}  # a last page of repeats ends quietly


@pytest.mark.parametrize(
    ("previous", "last", "descending"), [("b", "b", False), ("b", "a", False), ("b", "c", True)]
)
def test_a_keyset_page_that_does_not_advance(previous: str, last: str, descending: bool) -> None:
    with pytest.raises(EndlessPagesError):
        check_advances(previous, last, descending=descending)


def test_a_keyset_page_that_advances() -> None:
    check_advances("b", "c")
    check_advances("b", "a", descending=True)
    check_advances(None, "a")
