"""Medusa list filters (values, lists, operator maps, ``$and``/``$or``) as SQLite SQL.

Text comparisons use SQLite's BINARY collation, i.e. UTF-8 byte order, which
is what PostgreSQL's C.UTF-8 collation gives Medusa.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from demostore.core.clock import parse_filter_timestamp
from demostore.core.errors import unknown_error

ColumnKind = Literal["text", "bool", "json", "time", "int"]
Condition = tuple[str, list[Any]]
SpecialFilter = Callable[[Any], Condition | None]

# JavaScript's \s, which Medusa's free-text search splits on.
_JS_WHITESPACE = re.compile(
    "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+"
)
SEARCH_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class TableSpec:
    table: str
    alias: str
    columns: Mapping[str, ColumnKind]
    soft_delete: bool = True
    # Columns that are never NULL sort without the NULL-placement term.
    not_null: frozenset[str] = frozenset({"id", "created_at", "updated_at"})
    special: Mapping[str, SpecialFilter] = field(default_factory=dict)

    def col(self, name: str) -> str:
        return f'{self.alias}."{name}"'


_SIMPLE_CASE = {0x130: "i"}  # İ: PostgreSQL (towlower) gives "i", Python's lower() "i̇"


def pg_lower(text: str) -> str:
    """Lower-case like PostgreSQL's ``lower()``/ILIKE under C.UTF-8: one character at a time.

    Python's ``str.lower`` applies context rules (a final Σ becomes ς) and full mappings
    (İ becomes two characters); glibc's per-character ``towlower`` does neither.
    """
    if text.isascii():
        return text.lower()
    lowered = text.translate(_SIMPLE_CASE)
    if "Σ" in lowered:
        return "".join([char.lower() for char in lowered])
    return lowered.lower()


@functools.lru_cache(maxsize=256)
def like_regex(pattern: str) -> re.Pattern[str]:
    """PostgreSQL LIKE pattern (``%``, ``_``, ``\\`` escape) as an anchored regex."""
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


def _pg_like(value: str | None, pattern: str | None, insensitive: int) -> int | None:
    if value is None or pattern is None:
        return None
    if insensitive:
        value, pattern = pg_lower(value), pg_lower(pattern)
    return 1 if like_regex(pattern).fullmatch(value) else 0


def _blob_like(blob: str | None, pattern: str) -> int:
    if not blob:
        return 0
    regex = like_regex(pattern)
    return int(any(regex.fullmatch(part) for part in blob.split(SEARCH_SEPARATOR)[1:]))


def _regexp(value: str | None, pattern: str | None) -> int | None:
    if value is None or pattern is None:
        return None
    try:
        return 1 if re.search(pattern, value) else 0
    except re.error:
        return 0


def register_functions(conn: sqlite3.Connection) -> None:
    conn.create_function("pg_like", 3, _pg_like, deterministic=True)
    conn.create_function("blob_like", 2, _blob_like, deterministic=True)
    conn.create_function("pg_regexp", 2, _regexp, deterministic=True)
    conn.create_function("py_search_blob", -1, lambda *v: search_blob(v), deterministic=True)


def search_blob(values: Sequence[str | None]) -> str:
    """Lower-cased searchable fields, each prefixed by U+001F.

    NULL fields are left out: in PostgreSQL ``NULL ILIKE '%'`` is not true.
    """
    return "".join(SEARCH_SEPARATOR + pg_lower(value) for value in values if value is not None)


def free_text_condition(q: str, blob_column: str) -> Condition | None:
    """Medusa's ``q``: each whitespace token must ILIKE ``%token%`` some searchable field."""
    tokens = [token for token in _JS_WHITESPACE.split(q) if token]
    if not tokens:
        return None
    clauses: list[str] = []
    params: list[Any] = []
    for token in tokens:
        lowered = pg_lower(token)
        if any(ch in lowered for ch in "%_\\" + SEARCH_SEPARATOR):
            clauses.append(f"blob_like({blob_column}, ?)")
            params.append(f"%{lowered}%")
        else:
            clauses.append(f"instr({blob_column}, ?) > 0")
            params.append(lowered)
    return " AND ".join(clauses), params


def _coerce(kind: ColumnKind, value: Any) -> Any:
    if kind == "time":
        stored = parse_filter_timestamp(str(value))
        if stored is None:
            raise unknown_error()  # PostgreSQL rejects the cast: Medusa answers 500
        return stored
    if kind == "bool":
        return 1 if str(value).lower() == "true" else 0
    return value


def _column_condition(spec: TableSpec, name: str, value: Any) -> Condition | None:
    kind = spec.columns[name]
    column = spec.col(name)
    if isinstance(value, str):
        return f"{column} = ?", [_coerce(kind, value)]
    if isinstance(value, bool):
        return f"{column} = ?", [1 if value else 0]
    if isinstance(value, list):
        if not value:
            return "0", []
        return f"{column} IN ({','.join('?' * len(value))})", [_coerce(kind, v) for v in value]
    if not isinstance(value, dict):
        return None
    clauses: list[str] = []
    params: list[Any] = []
    for operator, operand in value.items():
        if operator == "$eq":
            sub = _column_condition(spec, name, operand)
        elif operator == "$ne":
            inner = _column_condition(spec, name, operand)
            sub = (f"NOT ({inner[0]})", inner[1]) if inner else None
        elif operator == "$in":
            sub = _column_condition(spec, name, list(operand))
        elif operator == "$nin":
            inner = _column_condition(spec, name, list(operand))
            sub = (f"NOT ({inner[0]})", inner[1]) if inner else None
        elif operator in ("$gt", "$gte", "$lt", "$lte"):
            sql_op = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}[operator]
            sub = f"{column} {sql_op} ?", [_coerce(kind, operand)]
        elif operator in ("$like", "$ilike"):
            sub = f"pg_like({column}, ?, {1 if operator == '$ilike' else 0})", [operand]
        elif operator == "$re":
            sub = f"pg_regexp({column}, ?)", [operand]
        else:
            raise unknown_error()  # e.g. $contains on a text column fails in PostgreSQL
        if sub is not None:
            clauses.append(f"({sub[0]})")
            params.extend(sub[1])
    if not clauses:
        return None
    return " AND ".join(clauses), params


def where_clause(spec: TableSpec, filters: Mapping[str, Any]) -> Condition:
    """All filters ANDed, plus the soft-delete guard."""
    clauses: list[str] = []
    params: list[Any] = []
    condition = _conditions(spec, filters)
    if spec.soft_delete:
        # Alone, the guard lets SQLite count from a partial "deleted_at IS NULL" index.
        # With other filters the unary + stops it from driving the scan through that
        # index and then fetching every row out of order (3x slower on 100k rows).
        plus = "+" if condition is not None else ""
        clauses.append(f"{plus}{spec.col('deleted_at')} IS NULL")
    if condition is not None:
        clauses.append(condition[0])
        params.extend(condition[1])
    return (" AND ".join(clauses) or "1"), params


def _conditions(spec: TableSpec, filters: Mapping[str, Any]) -> Condition | None:
    clauses: list[str] = []
    params: list[Any] = []
    for key, value in filters.items():
        sub: Condition | None
        if key in ("$and", "$or") and isinstance(value, list):
            parts = [_conditions(spec, item) for item in value if isinstance(item, dict)]
            present = [part for part in parts if part is not None]
            if not present:
                continue
            joiner = " AND " if key == "$and" else " OR "
            sub = joiner.join(f"({p[0]})" for p in present), [x for p in present for x in p[1]]
        elif key in spec.special:
            sub = spec.special[key](value)
        elif key in spec.columns:
            sub = _column_condition(spec, key, value)
        else:
            continue
        if sub is not None:
            clauses.append(f"({sub[0]})")
            params.extend(sub[1])
    if not clauses:
        return None
    return " AND ".join(clauses), params


def order_clause(spec: TableSpec, order: str | None, default: str = "id") -> str:
    """One order field (``-`` for descending); NULLs placed as PostgreSQL does; id breaks ties."""
    text = order if order is not None else default
    descending = text.startswith("-")
    name = text[1:] if descending else text
    if name not in spec.columns:
        raise unknown_error()  # Medusa: unknown field / several fields -> 500
    direction = "DESC" if descending else "ASC"
    column = spec.col(name)
    # PostgreSQL puts NULLs last ascending and first descending; SQLite does the opposite.
    # "(col IS NULL)" in the same direction fixes that and matches the sort indexes.
    parts = [f"{column} {direction}"]
    if name not in spec.not_null:
        parts.insert(0, f"({column} IS NULL) {direction}")
    if name != "id" and "id" in spec.columns:
        parts.append(f"{spec.col('id')} {direction}")
    return ", ".join(parts)


def page_clause(limit: int, offset: int) -> tuple[str, list[Any]]:
    if limit < 0 or offset < 0:
        raise unknown_error()  # PostgreSQL rejects negative LIMIT/OFFSET
    return "LIMIT ? OFFSET ?", [limit, offset]
