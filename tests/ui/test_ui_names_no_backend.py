"""The UI names no backend: labels, hints and demo titles come from
`app.services.backend_info`, capabilities decide the rest (comments may give examples)."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"
BACKEND_WORDS = re.compile(r"\b(Medusa|Chec|Commerce\.js|Elastic ?Path|elasticpath|BackendKind)\b")


def _code_tokens(path: Path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    return [
        (tok.start[0], tok.string)
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE)
    ]


def test_no_ui_module_names_a_backend() -> None:
    found = [
        f"{path.relative_to(UI.parent)}:{line}: {text.strip()[:60]}"
        for path in sorted(UI.rglob("*.py"))
        for line, text in _code_tokens(path)
        if BACKEND_WORDS.search(text)
    ]
    assert found == []
