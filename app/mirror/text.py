"""Free-text search as pure functions: the backend's semantics, plus how people type names.

Medusa's `q` (and the demo store's copy of it): the text is split on whitespace; every
token must match `ILIKE '%token%'` against one of first name, last name, email, phone or
company. ILIKE lowers both sides per character (PostgreSQL `lower()` under C.UTF-8) and
treats `%`, `_` and `\\` in the token as pattern characters.

The mirror also folds what people type differently: Latin letters lose their diacritics
and are transliterated (`fold`: ö → o, ß → ss, ł → l, ı → i, æ → ae, by anyascii), and
German umlauts have their second spelling (`umlaut_fold`: ö → oe). It stores both folded
forms of the fields and tests each token's folded forms against them, so `schroder`,
`schroeder` and `SCHRÖDER` all find "Schröder". Both folds map one character at a time,
so a token that is a substring of a field stays one after folding: the mirror finds
everything the backend finds, and more (never less).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from anyascii import anyascii

from app.domain.like import like_regex
from app.domain.phone import international_digits

# Joins the lowered fields into one search text. No token can hold it: tokens come from
# `str.split()`, which splits on U+001F. So "token in text" is exactly "token in a field".
SEPARATOR = "\x1f"
LIKE_SPECIALS = frozenset("%_\\")
# JavaScript's \s that Python's str.split() lacks (Medusa splits `q` again in JS).
_JS_ONLY_WHITESPACE = "\ufeff"
_PHONE_LIKE = re.compile(r"^[\d\s+()./-]+$")
_NON_DIGITS = re.compile(r"\D+")
MIN_PHONE_DIGITS = 5


def pg_lower(text: str) -> str:
    """Lower-case one character at a time, like PostgreSQL's `lower()` under C.UTF-8.

    Python's `str.lower` applies context rules (final Σ → ς) and full mappings (İ → two
    characters); glibc's per-character `towlower` does neither.
    """
    if text.isascii():
        return text.lower()
    if "İ" in text:  # PostgreSQL's towlower gives "i", Python's lower() "i̇"
        text = text.replace("İ", "i")
    if "Σ" in text:
        return "".join([char.lower() for char in text])
    return text.lower()


def lowered(value: str | None) -> str | None:
    return None if value is None else pg_lower(value)


# Combining diacritics (a decomposed "ö" is "o" + U+0308): dropped, as anyascii does.
_COMBINING_DIACRITICS = range(0x300, 0x370)


class _FoldTable(dict[int, str]):
    """`str.translate` table of `fold`, filled as characters are first seen (a plain
    table would make `translate` raise and catch a KeyError for each unmapped one)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if code in _COMBINING_DIACRITICS:
            folded = ""
        elif unicodedata.name(char, "").startswith("LATIN"):
            folded = anyascii(char).lower()
        else:
            # Other scripts stay as they are: transliterated, "李" would be "li" and find
            # every "Linda".
            folded = char
        self[code] = folded
        return folded


_FOLD = _FoldTable((code, chr(code)) for code in range(128))
# The German second spelling of the umlauts (Müller = Mueller).
_UMLAUTS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"))


def fold(text: str) -> str:
    """Lowered (as `pg_lower`), Latin letters without diacritics or transliterated to
    ASCII: "SCHRÖDER" → "schroder", "Łódź" → "lodz", "Straße" → "strasse". Character by
    character, like `pg_lower`, so substrings stay substrings."""
    lowered_text = pg_lower(text)
    return lowered_text if lowered_text.isascii() else lowered_text.translate(_FOLD)


def umlaut_fold(text: str) -> str:
    """`fold` after spelling ä, ö, ü as ae, oe, ue: "Schröder" → "schroeder"."""
    lowered_text = pg_lower(text)
    for umlaut, spelled in _UMLAUTS:
        lowered_text = lowered_text.replace(umlaut, spelled)
    return fold(lowered_text)


@functools.lru_cache(maxsize=16384)  # names and companies repeat: computed once each
def folded_forms(text: str) -> tuple[str, ...]:
    """The distinct folded forms of a text (one, or two when it has umlauts)."""
    first = fold(text)
    if text.isascii() or not any(umlaut in text.lower() for umlaut, _ in _UMLAUTS):
        return (first,)
    return (first, umlaut_fold(text))


def search_text(*fields: str | None) -> str:
    """The searched fields (first, last name, email, phone, company) as one text: each
    field's `fold`, then the `umlaut_fold` of those that differ. A token's folded forms
    are substrings of it exactly when they are substrings of one field's form."""
    forms = [(v.lower(),) if v.isascii() else folded_forms(v) for v in (f or "" for f in fields)]
    return SEPARATOR.join([f[0] for f in forms] + [f[1] for f in forms if len(f) > 1])


def tokens(text: str) -> list[str]:
    """The lowered search tokens, split as the adapter (Python) and Medusa (JS) split."""
    out: list[str] = []
    for word in text.split():
        out.extend(pg_lower(part) for part in word.split(_JS_ONLY_WHITESPACE) if part)
    return out


def phone_digits(phone: str | None) -> str | None:
    if phone is None:
        return None
    digits = _NON_DIGITS.sub("", phone)
    return digits or None


def phone_query_digits(text: str) -> str | None:
    """The digits of a query that looks like a phone number ("+49 30 555-0202"), else None.

    The mirror then also matches phones by their digits alone, whatever their formatting.
    """
    stripped = text.strip()
    if not stripped or not _PHONE_LIKE.match(stripped):
        return None
    digits = _NON_DIGITS.sub("", stripped)
    return digits if len(digits) >= MIN_PHONE_DIGITS else None


def phone_query_forms(text: str, region: str | None = None) -> tuple[str, ...]:
    """The digit strings a phone-like query matches phones by: its digits, and for a
    national number of the store's country (`region`) its international digits, so
    "0690 5108941" finds "+496905108941". Empty when the query is no phone number."""
    digits = phone_query_digits(text)
    if digits is None:
        return ()
    international = international_digits(text, region)
    return (digits,) if international in (None, digits) else (digits, str(international))


def fts_phrase(token: str) -> str:
    """A token as an FTS5 string literal (no operator or column syntax leaks through)."""
    return '"' + token.replace('"', '""') + '"'


def has_like_specials(token: str) -> bool:
    return any(ch in LIKE_SPECIALS for ch in token)


def like_any(pattern: str, *values: str | None) -> int:
    """1 if any value, lowered, matches the lowered `pattern` (SQLite function `like_any`).

    Given the raw fields, not the search text: NULL never matches, as in PostgreSQL.
    """
    regex = like_regex(pattern)
    return int(any(v is not None and regex.fullmatch(pg_lower(v)) for v in values))
