"""`merchant-desk` run in-process by the CLI tests: its exit code, stdout and stderr."""

from __future__ import annotations

import pytest

from app.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()  # what earlier steps printed is not this run's output
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
