"""Sort keys for names, so the mirror lists names as a reader expects them.

The backend sorts by code points (Medusa's PostgreSQL uses C.UTF-8), which puts
"Schröder" before "Schäfer" and every "anna" after every "Zoe". The mirror sorts names by
a key that compares as a multi-level collation does: first the letters without case or
diacritics (`text.fold`: "schafer" < "schroder"), then the diacritics ("Muller" before
"Müller"), then the case; a plain byte comparison of the key (SQLite's BINARY) gives
that order, so the sort indexes serve it.
"""

from __future__ import annotations

import functools
import re

from app.mirror import text

# Between the levels of a key: below every character a name holds (control characters
# are dropped), so a shorter name sorts before a longer one it begins.
_LEVEL = "\x01"
_CONTROLS = re.compile(r"[\x00-\x1f]")


@functools.lru_cache(maxsize=16384)  # names repeat: each part is computed once
def _levels(value: str) -> tuple[str, str, str]:
    clean = _CONTROLS.sub("", value)
    return text.fold(clean), text.pg_lower(clean), clean


def collation_key(value: str) -> str:
    """The sort key of one text: letters, then diacritics, then case."""
    return _LEVEL.join(_levels(value))


def name_key(name: str | None, other: str | None) -> str | None:
    """The key of a name followed by the other part of the name (the first name after the
    last, or the last after the first), as the list shows them; NULL when `name` is NULL,
    so missing names sort last, as the backend puts them."""
    if name is None:
        return None
    if not other:
        return collation_key(name)
    # Each level maps character by character: the key of "name other" from its parts'.
    return _LEVEL.join(f"{a} {b}" for a, b in zip(_levels(name), _levels(other), strict=True))
