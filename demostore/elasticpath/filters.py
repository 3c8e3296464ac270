"""Elastic Path's `filter` query parameter, parsed and turned into SQL conditions.

Syntax (guides/Getting-Started/filtering.md): `op(field,operand)` joined by `:` (AND), at
most 10 filters; operands may be quoted with `'` or `"` (escape with `\\`); `*` is the
`like` wildcard ("contains the specified string"). A malformed filter or an operator the
field does not support is a 400 "Could not parse the supplied filter". Whether `like` is
case-sensitive is not documented: this emulation matches case-insensitively (unverified).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from demostore.core.clock import stored_from_datetime
from demostore.elasticpath.errors import bad_filter

MAX_FILTERS = 10


@dataclass(frozen=True, slots=True)
class Filter:
    op: str
    field: str
    value: str


def parse_filter(text: str) -> list[Filter]:
    out: list[Filter] = []
    pos = 0
    n = len(text)
    while pos < n:
        paren = text.find("(", pos)
        if paren < 0:
            raise bad_filter()
        op = text[pos:paren].strip()
        comma = text.find(",", paren)
        if comma < 0:
            raise bad_filter()
        field = text[paren + 1 : comma].strip()
        pos = comma + 1
        while pos < n and text[pos] == " ":
            pos += 1
        if pos < n and text[pos] in "'\"":
            quote = text[pos]
            pos += 1
            chars: list[str] = []
            while pos < n and text[pos] != quote:
                if text[pos] == "\\" and pos + 1 < n:
                    pos += 1
                chars.append(text[pos])
                pos += 1
            if pos >= n:
                raise bad_filter()
            value = "".join(chars)
            pos += 1
            if pos >= n or text[pos] != ")":
                raise bad_filter()
        else:
            close = text.find(")", pos)
            if close < 0:
                raise bad_filter()
            value = text[pos:close].strip()
            pos = close
        pos += 1  # past ")"
        if not op.isidentifier() or not field:
            raise bad_filter()
        out.append(Filter(op, field, value))
        if pos < n:
            if text[pos] != ":":
                raise bad_filter()
            pos += 1
            if pos >= n:
                raise bad_filter()
    if len(out) > MAX_FILTERS:
        raise bad_filter()
    return out


def glob_to_like(pattern: str) -> str:
    """`*swan*` → `%swan%` (PostgreSQL LIKE with `\\` escapes, for `pg_like`)."""
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


def stored_time(value: str) -> str:
    """A filter date (ISO timestamp, `YYYY-MM-DD` or epoch milliseconds) in stored form."""
    text = value.strip()
    if text.isdigit():
        return stored_from_datetime(datetime.fromtimestamp(int(text) / 1000, tz=UTC))
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise bad_filter() from None
    return stored_from_datetime(moment)


_COMPARE = {"eq": "=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}
Condition = tuple[str, list[Any]]
Kind = str  # "text" (eq, like), "key" (eq, gt, ge, lt, le), "time" (same, dates), "never"


def conditions(
    filters: list[Filter],
    columns: Mapping[str, tuple[str, Kind]],
    ops: Mapping[str, frozenset[str]],
) -> Condition:
    clauses: list[str] = []
    params: list[Any] = []
    for f in filters:
        if f.field not in columns or f.op not in ops.get(f.field, frozenset()):
            raise bad_filter()
        expr, kind = columns[f.field]
        if kind == "never":
            clauses.append("0")
        elif f.op == "like":
            clauses.append(f"pg_like({expr}, ?, 1) = 1")
            params.append(glob_to_like(f.value))
        elif kind == "time":
            clauses.append(f"{expr} {_COMPARE[f.op]} ?")
            params.append(stored_time(f.value))
        else:
            clauses.append(f"{expr} {_COMPARE[f.op]} ?")
            params.append(f.value)
    return (" AND ".join(clauses) or "1"), params
