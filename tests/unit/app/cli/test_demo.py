"""`merchant-desk demo serve` without the optional uvicorn says how to install it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.cli.main import EXIT_USAGE, main


def test_serve_without_uvicorn_says_how_to_install_it(
    app_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # `import uvicorn` now fails
    assert main(["demo", "serve", "--port", "8765"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "pip install 'merchant-desk[serve]'" in err
    assert "Traceback" not in err
