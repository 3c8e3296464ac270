"""`merchant-desk sync` stopped by Ctrl-C (SIGINT) or SIGTERM: it stops at once, says so in
one line, exits 130 / 143, and the next sync continues where it stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.cli.main import main
from tests.unit.app.cli.main_runner import run

STOP_WITHIN = 5.0  # seconds from the signal to the exit, interpreter teardown included


# A job started in the background by a non-interactive shell (as the test runner may be)
# inherits SIGINT ignored, so the child first takes SIGINT as a foreground process does.
COMMAND = (
    "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from app.cli.main import main; raise SystemExit(main(['sync']))"
)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_sync_stops_at_once_and_the_next_one_resumes(
    app_home: Path, capsys: pytest.CaptureFixture[str], signum: signal.Signals, code: int
) -> None:
    assert main(["demo", "reset", "--customers", "900", "--seed", "4"]) == 0
    env = {**os.environ, "MERCHANT_DESK_DEMO_FAULTS": "latency=0.3"}  # a slow network
    process = subprocess.Popen(
        [sys.executable, "-c", COMMAND],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    first = process.stderr.readline()  # the first page of customers is stored
    assert first.startswith("full: "), first
    process.send_signal(signum)
    sent = time.monotonic()
    out, err = process.communicate(timeout=30)
    stopped = time.monotonic() - sent
    assert process.returncode == code, err
    assert stopped < STOP_WITHIN
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (
        "merchant-desk: interrupted; the next 'merchant-desk sync' continues where it stopped."
    )
    assert out == ""  # no report of a pass that did not finish

    code, out, err = run(capsys, "sync")
    assert code == 0, err
    assert out.startswith("Full mirror:")  # the customers' pass, resumed
    read = int(out.split(" customers read")[0].rsplit(" ", 1)[-1])
    assert 0 < read < 900  # not from the start: the pages stored before the signal stay
