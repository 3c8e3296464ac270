"""Ids in URL paths: impossible ids are refused, the rest escaped as one segment."""

from __future__ import annotations

import pytest

from app.domain.errors import ValidationFailedError
from app.gateway.paths import segment


@pytest.mark.parametrize(
    "bad",
    [
        "",
        ".",
        "..",
        "../users/me",
        "x/../../orders",
        "a?b=1",
        "a#b",
        "a%2Fb",
        "a b",
        "a\nb",
        "a\\b",
        "\x00",
        "x" * 201,
    ],
)
def test_impossible_ids_are_refused(bad: str) -> None:
    with pytest.raises(ValidationFailedError) as caught:
        segment(bad, "customer id")
    assert "not a valid customer id" in caught.value.user_message


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("cus_01ABC", "cus_01ABC"),
        ("a:b", "a%3Ab"),
        ("müller", "m%C3%BCller"),
        ("a+b&c", "a%2Bb%26c"),
    ],
)
def test_other_ids_are_escaped_as_one_segment(value: str, escaped: str) -> None:
    assert segment(value) == escaped
