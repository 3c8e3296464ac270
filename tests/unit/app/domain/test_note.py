"""Merge rules of staff notes: by id, newest wins, tombstones beat older edits; the
reserved metadata key is hidden and refused as ordinary metadata."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from itertools import permutations

import pytest

from app.domain.errors import ValidationFailedError
from app.domain.note import (
    NOTES_METADATA_KEY,
    Note,
    NotesUnreadableError,
    contains,
    decode_notes,
    encode_notes,
    merge_notes,
    ordinary_metadata,
    request_size,
    shown,
)
from app.domain.patch import CustomerPatch, MetadataPatch
from app.domain.validation import check_customer_patch

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def note(nid: str, body: str = "x", minutes: int = 0, deleted: int | None = None) -> Note:
    return Note(
        id=nid,
        body=body,
        author="a@example.com",
        created_at=T0,
        updated_at=T0 + timedelta(minutes=minutes),
        deleted_at=None if deleted is None else T0 + timedelta(minutes=deleted),
    )


def test_merge_keeps_every_id_and_the_newest_copy_of_each() -> None:
    merged = merge_notes([note("a", "old"), note("b")], [note("a", "new", minutes=5), note("c")])
    assert {n.id: n.body for n in merged} == {"a": "new", "b": "x", "c": "x"}


def test_a_tombstone_beats_an_older_edit_and_a_newer_edit_beats_it() -> None:
    edit_before = note("a", "edited", minutes=3)
    tomb = note("a", minutes=5, deleted=5)
    assert merge_notes([tomb], [edit_before]) == [tomb]
    assert merge_notes([edit_before], [tomb]) == [tomb]
    edit_after = note("a", "edited later", minutes=9)
    assert merge_notes([tomb], [edit_after]) == [edit_after]


def test_merge_is_the_same_in_any_order_and_idempotent() -> None:
    copies = [note("a", "one", 1), note("a", "two", 1), note("a", minutes=1, deleted=1)]
    results = {tuple(merge_notes(*[[c] for c in order])) for order in permutations(copies)}
    assert len(results) == 1  # every desk settles on the same copy
    (winner,) = results.pop()
    assert winner.deleted  # a tie goes to the tombstone
    once = merge_notes(copies)
    assert merge_notes(once, once) == once


def test_a_tombstone_is_the_same_with_or_without_its_body() -> None:
    """Tombstones are stored without their body: the read-back must still count as ours."""
    mine = Note(**{**note("a", "was here", minutes=2, deleted=2).model_dump()})
    stored = mine.model_copy(update={"body": ""})
    assert contains([stored], [mine])
    assert contains(decode_notes(encode_notes([mine])), [mine])


def test_contains_tells_whether_a_write_survived() -> None:
    mine = note("a", "mine", minutes=2)
    assert contains([mine, note("b")], [mine])
    assert not contains([note("b")], [mine])  # replaced by a concurrent write
    assert not contains([note("a", "older", minutes=1)], [mine])
    assert contains([note("a", minutes=4, deleted=4)], [mine])  # someone deleted it after


def test_shown_is_newest_first_without_tombstones() -> None:
    older = note("a")
    newer = Note(**{**note("b").model_dump(), "created_at": T0 + timedelta(hours=1)})
    assert [n.id for n in shown([older, newer, note("c", deleted=1)])] == ["b", "a"]


def test_encoding_round_trips_and_drops_tombstone_bodies() -> None:
    notes = [note("a", "called about #3057"), note("b", "secret", deleted=2)]
    value = encode_notes(notes)
    assert isinstance(value, str)
    assert "secret" not in value
    decoded = decode_notes(value)
    assert decoded[0] == notes[0]
    assert decoded[1].deleted
    assert decoded[1].body == ""
    assert decode_notes(None) == []
    assert decode_notes("") == []


@pytest.mark.parametrize(
    "value",
    ["not json", json.dumps({"v": 99, "notes": []}), json.dumps([1]), json.dumps({"v": 1})],
)
def test_a_value_that_is_not_our_notes_is_refused(value: str) -> None:
    with pytest.raises(NotesUnreadableError):
        decode_notes(value)


def test_the_reserved_key_is_hidden_and_refused_as_ordinary_metadata() -> None:
    metadata = {NOTES_METADATA_KEY: encode_notes([note("a")]), "vip": "yes"}
    assert ordinary_metadata(metadata) == {"vip": "yes"}
    for patch in (
        CustomerPatch(metadata=MetadataPatch(set={NOTES_METADATA_KEY: ""})),  # "" deletes
        CustomerPatch(metadata=MetadataPatch(remove=frozenset({NOTES_METADATA_KEY}))),
    ):
        with pytest.raises(ValidationFailedError) as caught:
            check_customer_patch(patch)
        assert caught.value.for_field(f"metadata.{NOTES_METADATA_KEY}")
    check_customer_patch(CustomerPatch(metadata=MetadataPatch(set={"vip": "no"})))


def test_the_size_counts_what_a_request_body_carries() -> None:
    quotes, plain = note("q", '"' * 100), note("p", "x" * 100)
    assert request_size(encode_notes([quotes])) > request_size(encode_notes([plain])) + 250
    assert request_size(encode_notes([note("u", "ü" * 100)])) >= 600  # \\u00fc each
