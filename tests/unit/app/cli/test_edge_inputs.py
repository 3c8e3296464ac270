"""Edge inputs to the CLI (issue 13 point 11): a clear line and an exit code, no traceback."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from app.cli.main import main
from app.services.context import Services
from tests.unit.app.cli import main_runner


@pytest.fixture(autouse=True)
def small_demo(app_home: Path) -> None:
    assert main(["demo", "reset", "--customers", "40", "--seed", "3"]) == 0


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code, out, err = main_runner.run(capsys, *argv)
    assert "Traceback" not in out + err
    return code, out, err


@pytest.mark.parametrize("option", ["--created-to", "--updated-to", "--created-from"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "9999-12-31T23:59:59.999999"])
def test_dates_at_the_ends_of_the_calendar(
    capsys: pytest.CaptureFixture[str], option: str, day: str
) -> None:
    code, _, err = run(capsys, "customers", "list", option, day, "--limit", "1")
    assert code == 0, err


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00"])
def test_moments_beyond_the_calendar_in_utc_are_usage_errors(
    capsys: pytest.CaptureFixture[str], moment: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["customers", "list", "--created-from", moment])
    assert exited.value.code == 2
    assert "out of range" in capsys.readouterr().err


def test_a_64_kb_search_is_refused_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "customers", "list", "--search", "a" * 65536)
    assert code == 4
    assert err.count("\n") == 1
    assert "too long" in err


class ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_reader_that_leaves_stops_the_output_quietly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdout", ClosedPipe())
    assert main(["customers", "list", "--limit", "0"]) == 141


def test_a_home_that_is_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "not-a-dir"
    home.write_text("x")
    monkeypatch.setenv("MERCHANT_DESK_HOME", str(home))
    code, _, err = run(capsys, "customers", "list")
    assert code == 1
    assert "MERCHANT_DESK_HOME" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [
        ("demo", "serve", "--port", "70000"),
        ("demo", "serve", "--port", "-1"),
        ("orders", "list", "cus_x", "--limit", "-1"),
        ("customers", "list", "--limit", "-1"),
        ("--timeout", "0", "customers", "list"),
    ],
)
def test_out_of_range_numbers_are_usage_errors(argv: tuple[str, ...]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    assert exited.value.code == 2


def test_offline_orders_never_fetched_are_unknown_not_empty(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "sync", "--quiet")[0] == 0
    # As after an interrupted first orders pass: the copy of every order is incomplete,
    # so a customer's orders are known offline only once read.
    mirror = sqlite3.connect(Services.create().mirror_path("demo"))
    with mirror:
        mirror.execute("DELETE FROM meta WHERE key = 'orders.last_full'")
    mirror.close()
    code, out, _ = run(capsys, "customers", "list", "--limit", "2", "--format", "json")
    first, second = (c["id"] for c in json.loads(out))
    assert run(capsys, "orders", "list", first)[0] == 0  # read once: known offline
    code, out, err = run(capsys, "--offline", "orders", "list", second)
    assert code == 6
    assert "never fetched" in err
    assert out == ""
    code, _, err = run(capsys, "--offline", "orders", "list", first)
    assert code == 0, err


def test_offline_orders_come_from_the_order_mirror(capsys: pytest.CaptureFixture[str]) -> None:
    """Medusa lists every order: after a sync, any customer's orders are known offline."""
    assert run(capsys, "sync", "--quiet")[0] == 0
    code, out, _ = run(capsys, "customers", "list", "--limit", "5", "--format", "json")
    for cid in (c["id"] for c in json.loads(out)):
        code, online, err = run(capsys, "orders", "list", cid, "--format", "json")
        assert code == 0, err
        code, offline, err = run(capsys, "--offline", "orders", "list", cid, "--format", "json")
        assert code == 0, err
        assert json.loads(offline) == json.loads(online)
