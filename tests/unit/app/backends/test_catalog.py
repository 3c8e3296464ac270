"""docs/backends.md agrees with the code: capability and sort matrices, evidence tables."""

from __future__ import annotations

import re
from pathlib import Path

from app.backends.catalog import ADAPTERS, render, routes_of, sections

DOC = Path(__file__).resolve().parents[4] / "docs" / "backends.md"
SOURCE = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40} \S+")


def test_the_generated_sections_match_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in sections():
        assert f"<!-- generated: {name} -->" in text, f"docs/backends.md lacks section {name}"
        assert f"<!-- end: {name} -->" in text
    # Stale tables: run `python -m app.backends.catalog docs/backends.md`.
    assert render(text) == text


def test_the_matrix_has_a_row_per_capability_and_a_column_per_backend() -> None:
    matrix = sections()["capability-matrix"].splitlines()
    assert matrix[0] == "| capability | " + " | ".join(ADAPTERS) + " |"
    assert "| `filter_group` | yes | — | — |" in matrix  # Medusa alone has customer groups


def test_every_declared_route_cites_evidence() -> None:
    for name, adapter in ADAPTERS.items():
        for route in routes_of(adapter):
            assert route.evidence, f"{name}: {route.method} {route.path}"
            for ev in (*route.evidence, *(e for _, e in route.params)):
                if ev.kind == "vendor-source":
                    assert SOURCE.match(ev.source), ev.source  # repository@commit path
                assert ev.source.strip()
    for name, adapter in ADAPTERS.items():
        assert routes_of(adapter), f"the {name} adapter declares its routes"
