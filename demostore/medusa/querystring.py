"""Query strings parsed like Express (``qs``) and then normalised like Medusa.

``qs`` turns ``id[$gt]=x`` into ``{"id": {"$gt": "x"}}``, ``email[]=a`` into a
list and repeated keys into lists; Medusa then splits one-element lists on
commas (``email[]=a,b`` is two emails, ``email=a,b`` is one) and folds
``groups.id=x`` into ``{"groups": {"id": "x"}}``.
"""

from __future__ import annotations

import re
from itertools import count
from typing import Any
from urllib.parse import unquote_plus

from demostore.core.errors import ErrorKind, MedusaError

_ARRAY_LIMIT = 20  # qs: indices above this become object keys
_DEPTH = 5
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


def _split_key(key: str) -> list[str]:
    bracket = key.find("[")
    if bracket <= 0:
        return [key]
    segments = [key[:bracket]]
    rest = key[bracket:]
    position = 0
    for match in _SEGMENT.finditer(rest):
        if match.start() != position or len(segments) > _DEPTH:
            break
        segments.append(match.group(1))
        position = match.end()
    if position < len(rest):
        segments.append(rest[position:])  # qs keeps an unparsable tail as a literal key
    return segments


class _Appended(int):
    """Marker for a ``[]`` segment: appended in arrival order."""


def parse_query(raw: str) -> dict[str, Any]:
    tree: dict[Any, Any] = {}
    sequence = count()
    for part in raw.split("&"):
        if not part:
            continue
        key_text, _, value_text = part.partition("=")
        key = unquote_plus(key_text)
        value = unquote_plus(value_text)
        if not key:
            continue
        segments: list[Any] = []
        for segment in _split_key(key):
            if segment == "" and segments:
                segments.append(_Appended(next(sequence) + 10_000))
            elif segment.isdigit() and segments and int(segment) <= _ARRAY_LIMIT:
                segments.append(int(segment))
            else:
                segments.append(segment)
        node = tree
        for segment in segments[:-1]:
            child = node.get(segment)
            if not isinstance(child, dict):
                child = {} if child is None else {0: child}
                node[segment] = child
            node = child
        leaf = segments[-1]
        existing = node.get(leaf)
        if existing is None:
            node[leaf] = value
        elif isinstance(existing, list):
            existing.append(value)
        elif isinstance(existing, str):
            node[leaf] = [existing, value]
    result = _finalise(tree)
    assert isinstance(result, dict)
    return result


def _finalise(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(key, int) for key in node):
        return [_finalise(node[key]) for key in sorted(node)]
    return {str(key): _finalise(value) for key, value in node.items()}


def normalize_query(query: dict[str, Any]) -> dict[str, Any]:
    normalized: dict[str, Any] = {}
    for key, value in query.items():
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            value = value[0].split(",")
        if "." in key:
            parent, child, *others = key.split(".")
            if others:
                raise MedusaError(
                    ErrorKind.INVALID_ARGUMENT, f"Key accessor more than 2 levels deep: {key}"
                )
            container = normalized.get(parent)
            if not isinstance(container, dict):
                container = {}
            normalized[parent] = {**container, child: value}
        else:
            normalized[key] = value
    return normalized
