"""Edits made during an outage: the queued exit code, `--no-queue`, what `sync` reports
about queued edits, `outbox list|show|retry|discard|resolve`, and `store remove`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import main
from app.cli.outbox import EXIT_ATTENTION, EXIT_QUEUED
from app.services.demo import FAULTS_ENV
from tests.unit.app.cli.main_runner import run


@pytest.fixture(autouse=True)
def mirrored(app_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "reset", "--customers", "60", "--seed", "4"]) == 0
    assert run(capsys, "sync", "--quiet")[0] == 0


def _customers(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "customers", "list", "--has-account", "--format", "json")
    assert code == 0
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def _outage(monkeypatch: pytest.MonkeyPatch, down: bool = True) -> None:
    if down:
        monkeypatch.setenv(FAULTS_ENV, "offline")
    else:
        monkeypatch.delenv(FAULTS_ENV, raising=False)


def test_an_edit_during_an_outage_says_queued_with_its_own_exit_code(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = str(_customers(capsys)[0]["id"])
    _outage(monkeypatch)
    code, out, err = run(capsys, "customers", "update", cid, "--phone", "+49 30 555")
    assert code == EXIT_QUEUED
    assert "queued" in err
    assert "+49 30 555" in out  # what the mirror shows meanwhile
    code, out, err = run(capsys, "addresses", "add", cid, "--city", "Köln", "--country", "de")
    assert code == EXIT_QUEUED
    assert "queued" in err

    # --no-queue refuses, changing nothing.
    code, out, err = run(capsys, "customers", "update", cid, "--company", "X", "--no-queue")
    assert code == 6
    assert out == ""
    assert "nothing was changed" in err
    code, out, _ = run(capsys, "outbox", "list")
    assert code == 0
    assert len([line for line in out.splitlines()[1:] if "waiting" in line]) == 2

    _outage(monkeypatch, False)
    code, out, err = run(capsys, "sync", "--quiet")
    assert code == 0, err
    assert "2 sent, 0 refused, 0 in conflict" in out
    code, out, _ = run(capsys, "customers", "show", cid)
    assert "+49 30 555" in out
    assert "Köln" in out
    assert "X" not in out.split("company")[1].splitlines()[0]
    # Online, an edit is saved: exit 0, nothing on stderr.
    code, _, err = run(capsys, "customers", "update", cid, "--company", "Y")
    assert (code, err) == (0, "")


def test_a_refused_edit_is_reported_kept_and_retried_or_discarded(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _customers(capsys)[:2]
    _outage(monkeypatch)
    # The store refuses this at replay: the other customer (with an account) has it.
    code, _, _ = run(
        capsys, "customers", "update", str(first["id"]), "--email", str(second["email"])
    )
    assert code == EXIT_QUEUED
    _outage(monkeypatch, False)

    code, out, err = run(capsys, "sync", "--quiet")
    assert code == EXIT_ATTENTION
    assert "0 sent, 1 refused" in out
    assert "refused by the store" in err
    assert "outbox retry" in err
    code, out, _ = run(capsys, "outbox", "list")
    assert "refused" in out
    seq = out.splitlines()[1].split()[0]
    code, out, _ = run(capsys, "outbox", "show", seq)
    assert code == 0
    assert "already uses this email" in out
    # Still there on the next sync: not forgotten.
    assert run(capsys, "sync", "--quiet")[0] == EXIT_ATTENTION

    code, _, err = run(capsys, "outbox", "retry", seq)
    assert code == EXIT_ATTENTION
    assert "refused by the store again" in err
    code, out, _ = run(capsys, "outbox", "discard", seq)
    assert code == 0
    code, out, _ = run(capsys, "outbox", "list")
    assert out.strip() == "No queued edits."
    assert run(capsys, "sync", "--quiet")[0] == 0


def test_a_conflicting_edit_is_reported_and_resolved_from_the_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    customers = _customers(capsys)
    cid, other = str(customers[0]["id"]), str(customers[1]["id"])
    _outage(monkeypatch)
    assert run(capsys, "customers", "update", cid, "--company", "Mine GmbH")[0] == EXIT_QUEUED
    assert run(capsys, "customers", "update", other, "--company", "Other AG")[0] == EXIT_QUEUED
    # A later edit of the same customer waits behind the conflict.
    assert run(capsys, "customers", "update", cid, "--last-name", "Later")[0] == EXIT_QUEUED
    _outage(monkeypatch, False)
    # Meanwhile someone changes the same field in the store (a script with no mirror).
    with monkeypatch.context() as patch:
        patch.setattr("app.services.context.Services.has_mirror", lambda self, name: False)
        assert run(capsys, "customers", "update", cid, "--company", "Theirs SE")[0] == 0

    code, out, err = run(capsys, "sync", "--quiet")
    assert code == EXIT_ATTENTION, (out, err)
    assert "1 sent, 0 refused, 1 in conflict, 1 still waiting" in out
    assert "outbox resolve" in err
    code, out, _ = run(capsys, "outbox", "list")
    seq = next(line.split()[0] for line in out.splitlines() if "conflict" in line)
    code, out, _ = run(capsys, "outbox", "show", seq)
    assert code == 0
    assert '"Mine GmbH"' in out
    assert '"Theirs SE"' in out

    code, out, err = run(capsys, "outbox", "resolve", seq, "--theirs")
    assert code == 0, err
    code, out, _ = run(capsys, "customers", "show", cid)
    assert "Theirs SE" in out
    assert "Later" in out  # the edit behind it went too
    assert run(capsys, "outbox", "list")[1].strip() == "No queued edits."


def test_store_remove_refuses_to_drop_unsent_edits_without_force(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = str(_customers(capsys)[0]["id"])
    _outage(monkeypatch)
    assert run(capsys, "customers", "update", cid, "--phone", "+1 555 0100")[0] == EXIT_QUEUED
    code, out, err = run(capsys, "store", "remove", "demo")
    assert code == EXIT_ATTENTION
    assert "change customer" in err
    assert cid in err
    assert "--force" in err
    code, out, _ = run(capsys, "outbox", "list")
    assert "waiting" in out  # nothing was removed
    code, out, err = run(capsys, "store", "remove", "demo", "--force")
    assert code == 0
    assert "discarding 1" in err
