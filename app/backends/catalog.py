"""The backends side by side, as docs/backends.md shows them: capabilities, sorts, evidence.

The generated sections of that file come from here (`python -m app.backends.catalog
docs/backends.md` rewrites them) and a test fails when the file and the code disagree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from app.backends.chec import ChecAdapter
from app.backends.elasticpath import ElasticPathAdapter
from app.backends.medusa import MedusaAdapter
from app.backends.routes import Route
from app.domain.capabilities import Capability
from app.domain.query import RECORD_SORTS, SortField

Adapter = type[MedusaAdapter] | type[ChecAdapter] | type[ElasticPathAdapter]
# The adapters, in the order of the document's columns (each demo dialect uses its
# vendor's adapter, so it declares the same).
ADAPTERS: dict[str, Adapter] = {
    "medusa": MedusaAdapter,
    "chec": ChecAdapter,
    "elasticpath": ElasticPathAdapter,
}


def routes_of(adapter: Adapter) -> tuple[Route, ...]:
    """The routes an adapter declares with their evidence."""
    return adapter.routes


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def capability_matrix() -> str:
    names = list(ADAPTERS)
    rows = [
        [f"`{(flag.name or '').lower()}`"]
        + ["yes" if flag in ADAPTERS[n].capabilities else "—" for n in names]
        for flag in Capability
    ]
    return _table(["capability", *names], rows)


def sort_matrix() -> str:
    names = list(ADAPTERS)
    rows = [
        [f"`{field.value}`"] + ["yes" if field in ADAPTERS[n].sort_fields else "—" for n in names]
        for field in [f for f in SortField if f in RECORD_SORTS]
    ]
    return _table(["sort by", *names], rows)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def evidence_table(routes: tuple[Route, ...]) -> str:
    rows: list[list[str]] = []
    for route in routes:
        what = f"`{route.method} {route.path}`"
        for ev in route.evidence:
            rows.append(
                [what, _cell(route.purpose), "route", ev.kind, _cell(ev.source), _cell(ev.note)]
            )
        for name, ev in route.params:
            rows.append([what, "", f"`{_cell(name)}`", ev.kind, _cell(ev.source), _cell(ev.note)])
    return _table(["request", "purpose", "for", "kind", "source", "note"], rows)


def sections() -> dict[str, str]:
    """Generated section name -> its Markdown."""
    out = {"capability-matrix": capability_matrix(), "sort-matrix": sort_matrix()}
    for name, adapter in ADAPTERS.items():
        routes = routes_of(adapter)
        if routes:
            out[f"evidence-{name}"] = evidence_table(routes)
    return out


def _marker(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(<!-- generated: {re.escape(name)} -->\n)(.*?)(<!-- end: {re.escape(name)} -->)",
        re.DOTALL,
    )


def render(document: str) -> str:
    """`document` with every generated section it marks replaced by the current one."""
    for name, body in sections().items():

        def fill(match: re.Match[str], body: str = body) -> str:
            return match.group(1) + body + "\n" + match.group(3)

        document = _marker(name).sub(fill, document)
    return document


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "docs/backends.md")
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
