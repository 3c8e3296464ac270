"""A locked, failing or shared mirror: clear messages, one sync at a time, and a write the
store accepted is never reported as failed because the local copy lags."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli.main import main
from app.mirror import db
from app.mirror.repository import MirrorRepository
from app.services.context import Services
from app.services.demo import FAULTS_ENV
from tests.unit.app.cli.main_runner import run


def _first_customer(capsys: pytest.CaptureFixture[str]) -> str:
    code, out, _ = run(capsys, "customers", "list", "--limit", "1", "--format", "json")
    assert code == 0
    return str(json.loads(out)[0]["id"])


@pytest.fixture
def mirrored(app_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "reset", "--customers", "40", "--seed", "2"]) == 0
    assert run(capsys, "sync", "--quiet")[0] == 0


@pytest.fixture
def locked_mirror(mirrored: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Another program (the desk, a script) holds the mirror's write lock."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100, raising=False)
    other = sqlite3.connect(Services.create().mirror_path("demo"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield
    other.execute("ROLLBACK")
    other.close()


def test_an_accepted_edit_stays_a_success_when_the_mirror_is_locked(
    locked_mirror: None, capsys: pytest.CaptureFixture[str]
) -> None:
    cid = _first_customer(capsys)
    code, out, err = run(capsys, "customers", "update", cid, "--company", "Locked GmbH")
    assert code == 0, err
    assert "Locked GmbH" in out
    assert "Saved in the store" in err
    assert "in use by another Merchant Desk" in err
    assert "Traceback" not in err


def test_a_locked_mirror_gives_a_clear_message_not_a_traceback(
    locked_mirror: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "sync", "--quiet")
    assert code == 1
    assert err.startswith("merchant-desk: The local copy of the store is in use")


def test_a_full_disk_is_a_clear_message_and_loses_no_accepted_edit(
    mirrored: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = _first_customer(capsys)

    def disk_error(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(MirrorRepository, "upsert_customers", disk_error)
    code, _, err = run(capsys, "customers", "update", cid, "--company", "Full Disk AG")
    assert code == 0
    assert "disk is full, failing or read-only" in err
    monkeypatch.setattr(MirrorRepository, "set_meta", disk_error)
    code, _, err = run(capsys, "sync", "--quiet")
    assert code == 1
    assert "disk is full, failing or read-only" in err


def _sync_full(home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "MERCHANT_DESK_HOME": str(home), FAULTS_ENV: "latency=0.01"}
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli.main", "sync", "--full", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.slow
def test_two_full_syncs_of_a_new_mirror_both_finish(app_home: Path) -> None:
    assert main(["demo", "reset", "--customers", "600", "--seed", "9"]) == 0
    first = _sync_full(app_home)
    time.sleep(0.3)
    second = _sync_full(app_home)
    for proc in (first, second):
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
        assert out.startswith("Full mirror:")


@pytest.mark.slow
def test_a_sync_waits_while_another_process_syncs_the_mirror(app_home: Path) -> None:
    assert main(["demo", "reset", "--customers", "40", "--seed", "9"]) == 0
    path = Services.create().mirror_path("demo")
    from app.mirror.lock import SyncLock  # (here: the other tests of this file run on main too)

    async def hold_then_let_go() -> str:
        lock = SyncLock(path.with_name(path.name + "-sync"))  # what the desk's sync holds
        async with lock.hold(patience=5):
            second = _sync_full(app_home)
            assert second.stderr is not None
            line = await asyncio.wait_for(asyncio.to_thread(second.stderr.readline), 60)
            assert second.poll() is None  # still waiting: nothing written meanwhile
        out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err
        assert out.startswith("Full mirror:")
        return line

    assert "another sync of this store is running" in asyncio.run(hold_then_let_go())
