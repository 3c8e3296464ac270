"""PostgreSQL LIKE semantics: `%` any run, `_` one character, `\\` escapes, anchored."""

from __future__ import annotations

from app.domain.like import like_regex


def test_wildcards_and_escapes() -> None:
    assert like_regex("%anna%").fullmatch("joanna k")
    assert like_regex("a_c").fullmatch("abc")
    assert not like_regex("a_c").fullmatch("abbc")
    assert like_regex(r"50\%").fullmatch("50%")
    assert not like_regex(r"50\%").fullmatch("500")
    assert like_regex("a.b").fullmatch("a.b")
    assert not like_regex("a.b").fullmatch("axb")  # regex syntax is literal
    assert like_regex("%").fullmatch("line\nbreak")
