"""PostgreSQL LIKE patterns as Python regexes: the mirror answers a pattern the way the
store's database would."""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=256)
def like_regex(pattern: str) -> re.Pattern[str]:
    """A PostgreSQL LIKE pattern (`%`, `_`, `\\` escape) as an anchored regex."""
    parts: list[str] = []
    escaped = False
    for char in pattern:
        if escaped:
            parts.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL)
