"""Running `merchant-desk` in-process against a hostile store, timed, output captured."""

from __future__ import annotations

import functools
import io
import time
from dataclasses import dataclass

import pytest

from app.cli import commands
from app.cli.main import main
from app.gateway import GatewayOptions, RetryPolicy
from tests.faults.hostile import ADMIN_EMAIL, ADMIN_PASSWORD

# Short deadlines (0.8 s) via the CLI's own option keep the suite quick; the defaults are tested
# in tests/unit/app/gateway.
TIMEOUT = "0.8"
QUICK = RetryPolicy(initial_delay=0.02, max_delay=0.05)


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    seconds: float


def add_store(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store profile for `url`, and quick retries for this test's CLI runs."""
    monkeypatch.setattr(commands, "GatewayOptions", functools.partial(GatewayOptions, retry=QUICK))
    monkeypatch.setattr("sys.stdin", io.StringIO(ADMIN_PASSWORD + "\n"))
    code = main(
        [
            "store",
            "add",
            "hostile",
            "--backend",
            "medusa",
            "--url",
            url,
            "--email",
            ADMIN_EMAIL,
            "--password-stdin",
            "--default",
        ]
    )
    capsys.readouterr()
    assert code == 0


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    capsys.readouterr()
    started = time.monotonic()
    code = main(["--timeout", TIMEOUT, *argv])
    seconds = time.monotonic() - started
    out, err = capsys.readouterr()
    return Run(code, out, err, seconds)
