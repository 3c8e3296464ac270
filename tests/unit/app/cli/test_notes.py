"""`notes list|add|edit|delete`: JSON output, the house's exit codes, queued offline, and
the notes' metadata key kept out of `customers show`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import main
from app.cli.outbox import EXIT_QUEUED
from app.domain.note import MAX_NOTE_LENGTH, NOTES_METADATA_KEY
from app.services.demo import FAULTS_ENV
from tests.unit.app.cli.main_runner import run


@pytest.fixture(autouse=True)
def mirrored(app_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "reset", "--customers", "40", "--seed", "5"]) == 0
    assert run(capsys, "sync", "--quiet")[0] == 0


def _customer(capsys: pytest.CaptureFixture[str]) -> str:
    code, out, _ = run(capsys, "customers", "list", "--format", "json", "--limit", "2")
    assert code == 0
    return str(json.loads(out)[1]["id"])


def test_notes_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    cid = _customer(capsys)
    code, out, err = run(capsys, "notes", "add", cid, "Called about #3057.", "--json")
    assert code == 0, err
    first = json.loads(out)
    assert first["body"] == "Called about #3057."
    assert first["author"] == "demo staff"
    assert first["queued"] is False
    code, out, _ = run(capsys, "notes", "add", cid, "Prefers email.", "--json")
    second = json.loads(out)["id"]
    code, out, err = run(capsys, "notes", "edit", cid, first["id"], "Refund sent.")
    assert code == 0, err
    assert "Refund sent." in out
    assert "(edited)" in out
    assert run(capsys, "notes", "delete", cid, second)[0] == 0

    code, out, err = run(capsys, "notes", "list", cid, "--format", "json")
    assert code == 0
    assert [n["body"] for n in json.loads(out)] == ["Refund sent."]
    assert "Notes are saved in the store." in err
    # The key holding them is not ordinary metadata: not shown, not editable.
    code, out, _ = run(capsys, "customers", "show", cid, "--format", "json")
    assert NOTES_METADATA_KEY not in json.loads(out)["metadata"]
    code, _, err = run(capsys, "customers", "update", cid, "--unset-metadata", NOTES_METADATA_KEY)
    assert code == 4
    assert "Notes tab" in err


def test_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    cid = _customer(capsys)
    assert run(capsys, "notes", "edit", cid, "nope", "text")[0] == 3
    assert run(capsys, "notes", "delete", cid, "nope")[0] == 3
    assert run(capsys, "notes", "add", cid, "   ")[0] == 2
    assert run(capsys, "notes", "add", cid, "x" * (MAX_NOTE_LENGTH + 1))[0] == 4
    assert run(capsys, "notes", "list", "cus_missing")[0] == 3
    with pytest.raises(SystemExit) as usage:
        main(["notes", "add", cid])
    assert usage.value.code == 2


def test_a_note_during_an_outage_is_queued_then_sent_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = _customer(capsys)
    monkeypatch.setenv(FAULTS_ENV, "offline")
    code, out, err = run(capsys, "notes", "add", cid, "Written in the outage.")
    assert code == EXIT_QUEUED
    assert "queued" in err
    assert run(capsys, "notes", "add", cid, "refused", "--no-queue")[0] == 6
    code, out, _ = run(capsys, "notes", "list", cid, "--offline", "--json")
    assert [(n["body"], n["queued"]) for n in json.loads(out)] == [("Written in the outage.", True)]
    monkeypatch.delenv(FAULTS_ENV)
    code, out, err = run(capsys, "sync", "--quiet")
    assert code == 0, err
    assert "1 sent" in out
    assert run(capsys, "sync", "--quiet")[0] == 0
    code, out, _ = run(capsys, "notes", "list", cid, "--json")
    assert [(n["body"], n["queued"]) for n in json.loads(out)] == [
        ("Written in the outage.", False)
    ]
