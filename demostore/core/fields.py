"""The ``fields`` query parameter, parsed like Medusa's ``FieldParser`` and applied to rows.

A list without modifiers replaces the defaults (``id`` is always kept);
``+f``/`` f`` add, ``-f`` removes, ``*rel``/``rel.*`` select a whole relation
and ``rel.f`` picks fields of a relation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

_MODIFIER = re.compile(r"^[+ \t-]+")


def _strip(name: str) -> str:
    return _MODIFIER.sub("", name).strip()


@dataclass(frozen=True)
class RelationSpec:
    """How a relation prints: its star fields, and whether ``rel.f`` also returns ``id``."""

    star_fields: tuple[str, ...]
    adds_id: bool = False


@dataclass
class Selection:
    """Top-level fields (ordered) plus, per relation, the sub-fields asked for."""

    fields: list[str] = field(default_factory=list)
    # Printed after the scalar fields, as Medusa does; None means all fields.
    relations: dict[str, list[str] | None] = field(default_factory=dict)

    @property
    def relation_names(self) -> set[str]:
        return set(self.relations)


def field_names(text: str) -> tuple[str, ...]:
    """``"id email *groups"`` -> a tuple of field names (keeps long field lists compact)."""
    return tuple(text.split())


def parse_fields(raw: str | None, defaults: Sequence[str]) -> Selection:
    chosen: list[str] = list(defaults)
    if raw is not None:
        custom = [part for part in raw.split(",") if part]
        replaces = not custom or any(
            not (p.startswith(("-", "+", " ", "*")) or p.endswith(".*")) for p in custom
        )
        if replaces:
            chosen = list(dict.fromkeys(_strip(p) for p in custom))
        else:
            for part in custom:
                if part.startswith(("+", " ")):
                    name = _strip(part)
                    if name not in chosen:
                        chosen.append(name)
                elif part.startswith("-"):
                    name = _strip(part)
                    chosen = [
                        f
                        for f in chosen
                        if f.lstrip("*") != name and not f.lstrip("*").startswith(name + ".")
                    ]
                elif part not in chosen:
                    chosen.append(part)
        if "id" not in chosen:
            chosen.append("id")
    selection = Selection()
    for name in chosen:
        if name.startswith("*") or name.endswith(".*"):
            relation = re.sub(r"(^\*|\.\*$)", "", name)
            selection.relations[relation] = None
        elif "." in name:
            relation, sub = name.split(".", 1)
            current = selection.relations.get(relation, [])
            if current is not None and sub not in current:
                selection.relations[relation] = [*current, sub]
        elif name not in selection.fields:
            selection.fields.append(name)
    return selection


def project(
    row: Mapping[str, Any],
    selection: Selection,
    relation_specs: Mapping[str, RelationSpec],
) -> dict[str, Any]:
    """Pick the selected keys of a fully rendered row; unknown fields are ignored like Medusa."""
    out: dict[str, Any] = {name: row[name] for name in selection.fields if name in row}
    for name, subfields in selection.relations.items():
        spec = relation_specs.get(name)
        if spec is None or name not in row:
            continue
        out[name] = _project_relation(row[name], subfields, spec)
    return out


def _project_relation(value: Any, subfields: list[str] | None, spec: RelationSpec) -> Any:
    wanted = list(spec.star_fields) if subfields is None else list(subfields)
    if subfields is not None and spec.adds_id and "id" not in wanted:
        wanted.append("id")

    def pick(item: Mapping[str, Any]) -> dict[str, Any]:
        return {key: item[key] for key in wanted if key in item}

    if isinstance(value, list):
        return [pick(item) for item in value]
    if isinstance(value, Mapping):
        return pick(value)
    return value
