"""pytest plugin: a real Medusa 2 server per test session (see peer.sh next to this file).

Register with ``pytest_plugins = ["tests.peers.medusa.fixtures"]``. The ``medusa_peer`` fixture
skips when node/npm/PostgreSQL are unavailable, or fails instead when
``MERCHANT_DESK_REQUIRE_PEERS=1`` (CI). First run: ~35-60 s npm install + ~15 s template
database; afterwards ~5 s per session (fresh database from the template + ``medusa start``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

PEER_SCRIPT = Path(__file__).with_name("peer.sh")
REQUIRE_ENV = "MERCHANT_DESK_REQUIRE_PEERS"

# Exit code of peer.sh for a missing prerequisite (skip rather than fail).
_MISSING = 3
# First run installs ~720 MB of npm packages; slow mirrors need the headroom.
_UP_TIMEOUT_S = 1800.0
_DOWN_TIMEOUT_S = 120.0
_OUTPUT_TAIL_LINES = 60

# peer.sh's stderr (step timings), shown in the terminal summary.
_timing_lines: list[str] = []

# Environment as of plugin import: tests may point HOME/XDG_CACHE_HOME at temp dirs, which
# must not move the ~720 MB install or lose track of a running server's PID file.
_LAUNCH_ENV = dict(os.environ)


@dataclass(frozen=True)
class MedusaPeer:
    url: str
    admin_email: str
    admin_password: str
    publishable_key: str
    database: str


class PeerScriptError(RuntimeError):
    def __init__(self, args: list[str], returncode: int, stdout: str, stderr: str) -> None:
        super().__init__(f"peer.sh {' '.join(args)} exited with {returncode}\n{_tail(stderr)}")
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr


def _tail(text: str, lines: int = _OUTPUT_TAIL_LINES) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def _run_peer_script(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Runs peer.sh in its own process group so a timeout or Ctrl-C stops npm & co. too."""
    proc = subprocess.Popen(
        ["bash", str(PEER_SCRIPT), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_LAUNCH_ENV,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except BaseException:
        # TimeoutExpired or KeyboardInterrupt: take the whole group down, then re-raise.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        # Bounded: a straggler holding our pipes must not hang the interrupted session.
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.communicate(timeout=10)
        raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"Medusa peer required ({REQUIRE_ENV}=1) but unavailable: {reason}")
    pytest.skip(f"Medusa peer unavailable: {reason}")


def _missing_reason(stderr: str) -> str:
    for line in stderr.splitlines():
        if "MISSING:" in line:
            return line.split("MISSING:", 1)[1].strip()
    return _tail(stderr, 5) or "prerequisite missing"


def _parse_env_lines(stdout: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in stdout.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip()] = value.strip()
    return values


def _cleanup_owner_sessions() -> None:
    """After an interrupted `up`, stop/drop whatever this process already started."""
    try:
        _run_peer_script(["gc", "--owner", str(os.getpid())], timeout=_DOWN_TIMEOUT_S)
    except Exception as error:  # best effort; `peer.sh gc` of a later run catches leftovers
        print(f"medusa peer cleanup failed: {error}", file=sys.stderr)


def start_medusa_peer() -> MedusaPeer:
    """Starts a fresh peer (skips or fails like the fixture); stop it with stop_medusa_peer.

    One peer per process: a failed start cleans up by owner PID (`peer.sh gc --owner`).
    """
    if not sys.platform.startswith("linux") or shutil.which("bash") is None:
        _unavailable("peer.sh needs Linux with bash")
    check = _run_peer_script(["check"], timeout=120.0)
    if check.returncode == _MISSING:
        _unavailable(_missing_reason(check.stderr))
    if check.returncode != 0:
        pytest.fail(f"peer.sh check failed ({check.returncode}):\n{_tail(check.stderr)}")

    started = time.monotonic()
    try:
        up = _run_peer_script(["up", "--owner-pid", str(os.getpid())], timeout=_UP_TIMEOUT_S)
    except BaseException:
        _cleanup_owner_sessions()
        raise
    _timing_lines.extend(line for line in up.stderr.splitlines() if line.strip())
    if up.returncode == _MISSING:
        _unavailable(_missing_reason(up.stderr))
    if up.returncode != 0:
        _cleanup_owner_sessions()
        pytest.fail(
            f"Medusa peer did not start (peer.sh up -> {up.returncode}):\n{_tail(up.stderr)}"
        )
    env = _parse_env_lines(up.stdout)
    _timing_lines.append(f"fixture: peer ready in {time.monotonic() - started:.1f} s")
    return MedusaPeer(
        url=env["MEDUSA_URL"],
        admin_email=env["MEDUSA_ADMIN_EMAIL"],
        admin_password=env["MEDUSA_ADMIN_PASSWORD"],
        publishable_key=env["MEDUSA_PUBLISHABLE_KEY"],
        database=env["MEDUSA_DATABASE"],
    )


def stop_medusa_peer(peer: MedusaPeer) -> None:
    """Stops the server (PID checked by peer.sh) and drops its database."""
    down = _run_peer_script(["down", peer.database], timeout=_DOWN_TIMEOUT_S)
    _timing_lines.extend(line for line in down.stderr.splitlines() if line.strip())
    if down.returncode != 0:
        raise PeerScriptError(["down", peer.database], down.returncode, down.stdout, down.stderr)


def medusa_exec(peer: MedusaPeer, script: str, *args: str, timeout: float = 900.0) -> str:
    """Runs a project script through `medusa exec` against the peer's database.

    e.g. ``medusa_exec(peer, "scripts/bulk-seed-customers.js", "10000")``; returns stdout+stderr.
    """
    result = _run_peer_script(["exec", peer.database, script, *args], timeout=timeout)
    if result.returncode != 0:
        raise PeerScriptError(
            ["exec", script, *args], result.returncode, result.stdout, result.stderr
        )
    return result.stdout + result.stderr


@pytest.fixture(scope="session")
def medusa_peer() -> Iterator[MedusaPeer]:
    """A real Medusa 2.21.2 on 127.0.0.1 with a fresh database for this test session."""
    peer = start_medusa_peer()
    try:
        yield peer
    finally:
        # Also runs on Ctrl-C: pytest tears session fixtures down on KeyboardInterrupt.
        stop_medusa_peer(peer)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _timing_lines:
        terminalreporter.write_sep("-", "medusa peer")
        for line in _timing_lines:
            terminalreporter.write_line(line)
