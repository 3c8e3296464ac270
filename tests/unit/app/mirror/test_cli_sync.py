"""`merchant-desk sync` and `--offline` on the demo store; `store remove` forgets the mirror."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import main
from app.services.context import Services


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sync_then_offline_reads(app_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "reset", "--customers", "200", "--seed", "3"]) == 0
    code, _, err = run(capsys, "--offline", "customers", "list")
    assert code == 2
    assert "sync" in err

    code, out, err = run(capsys, "sync")
    assert code == 0, err
    assert out.startswith("Full mirror:")
    assert "full:" in err
    # The order pass counts orders, and the output says how fresh the order figures are.
    assert any(
        line.startswith("orders: ") and line.endswith(" orders") for line in err.splitlines()
    )
    assert "\nOrders: " in out
    assert "read, up to date as of " in out
    code, out, _ = run(capsys, "sync", "--quiet")
    assert code == 0
    assert out.startswith("Refresh:")

    args = ["customers", "list", "--search", "an", "--sort", "-email", "--limit", "0"]
    code, online, _ = run(capsys, *args, "--format", "json")
    assert code == 0
    code, offline, err = run(capsys, "--offline", *args, "--format", "json")
    assert code == 0
    # The mirror finds what the backend finds (and names typed without diacritics:
    # "an" also finds "Siobhán").
    found = {row["id"] for row in json.loads(online)}
    mirrored = [row for row in json.loads(offline) if row["id"] in found]
    # The mirror's rows carry their order figures besides (unknown to the backend's).
    assert all(row.pop("orders") is not None for row in mirrored)
    mirrored = [{**row, "orders": None} for row in mirrored]
    assert mirrored == json.loads(online)
    assert "incomplete" not in err  # a complete mirror: no warning
    first = json.loads(online)[0]["id"]
    code, out, _ = run(capsys, "--offline", "customers", "show", first)
    assert code == 0
    assert first in out

    code, _, err = run(capsys, "--offline", "customers", "update", first, "--phone", "1")
    assert code == 2
    assert "offline" in err
    code, _, err = run(capsys, "--offline", "sync")
    assert code == 2


def test_sync_full_and_store_remove(app_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "reset", "--customers", "50"]) == 0
    assert run(capsys, "sync", "--full")[0] == 0
    services = Services.create()
    assert services.has_mirror("demo")
    assert main(["demo", "reset", "--customers", "50"]) == 0  # a new demo store: new mirror
    assert not services.has_mirror("demo")


def test_offline_read_of_an_incomplete_mirror_is_refused(
    app_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["demo", "reset", "--customers", "700", "--seed", "5"]) == 0  # > 1 page
    # The network drops after the first page of the full mirror.
    calls = {"n": 0}
    from app.mirror.sync import SyncEngine

    original = SyncEngine._full_page

    async def flaky(self: SyncEngine, token: str | None) -> object:
        calls["n"] += 1
        if calls["n"] > 1:
            from app.domain.errors import ConnectionFailedError

            raise ConnectionFailedError()
        return await original(self, token)

    monkeypatch.setattr(SyncEngine, "_full_page", flaky)
    code, _, _ = run(capsys, "sync")
    assert code == 6
    monkeypatch.setattr(SyncEngine, "_full_page", original)
    code, out, err = run(capsys, "--offline", "customers", "list", "--limit", "0")
    assert code == 6  # refused, not a partial list passed off as whole
    assert out == ""
    assert "incomplete" in err
    assert "merchant-desk sync" in err
    # Once the mirror completes, the same command answers from it.
    assert run(capsys, "sync")[0] == 0
    code, out, _ = run(capsys, "--offline", "customers", "list", "--limit", "0")
    assert code == 0
    assert len(out.splitlines()) > 600
