"""Terminal control sequences in store data never reach the terminal raw; staff cannot
type them into names."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest

from app.cli.main import main
from app.domain.patch import CustomerPatch
from app.services.context import Services
from tests.unit.app.cli.main_runner import run

# Retitles the terminal, clears the screen, then an 8-bit CSI and a right-to-left override.
HOSTILE = "Eve\x1b]0;pwned\x07\x1b[2J\x9b2J\u202eevil"


def _raw(text: str) -> bool:
    return any(ch in text for ch in "\x1b\x07\x9b\u202e")


@pytest.fixture
def hostile_customer(app_home: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A customer who named themselves on the storefront (the store took it as is)."""
    assert main(["demo", "reset", "--customers", "20", "--seed", "3"]) == 0
    _code, out, _ = run(capsys, "customers", "list", "--limit", "1", "--format", "json")
    cid = str(json.loads(out)[0]["id"])

    async def rename() -> None:
        ctx = await Services.create().open_store("demo", policy=None)
        try:
            await ctx.backend.update_customer(cid, CustomerPatch(first_name=HOSTILE))  # type: ignore[attr-defined]
        finally:
            await ctx.aclose()

    asyncio.run(rename())
    return cid


def test_table_csv_and_show_neutralise_control_characters(
    hostile_customer: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "customers", "list", "--search", "pwned")
    assert code == 0
    assert hostile_customer in out
    assert not _raw(out)
    assert "␛]0;pwned␇" in out

    code, out, _ = run(capsys, "customers", "list", "--search", "pwned", "--format", "csv")
    assert not _raw(out)
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["first_name"].startswith("Eve␛]0;pwned␇␛[2J")

    code, out, _ = run(capsys, "customers", "show", hostile_customer)
    assert code == 0
    assert not _raw(out)
    assert "␛[2J" in out


def test_json_escapes_them_and_keeps_the_value(
    hostile_customer: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ("customers", "list", "--search", "pwned", "--format", "json"),
        ("customers", "show", hostile_customer, "--format", "json"),
    ):
        code, out, _ = run(capsys, *argv)
        assert code == 0
        assert not _raw(out)
        data = json.loads(out)
        first = data[0] if isinstance(data, list) else data
        assert first["first_name"] == HOSTILE


def test_names_with_control_characters_are_refused_on_input(
    hostile_customer: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "customers", "update", hostile_customer, "--last-name", "\x1b[2J")
    assert code == 4
    assert out == ""
    assert "control characters" in err
    assert not _raw(err)
    code, _, err = run(capsys, "addresses", "add", hostile_customer, "--city", "Köln\x1b[31m")
    assert code == 4
    assert "city" in err
    code, _, err = run(capsys, "customers", "create", "--email", "a\x07@example.com")
    assert code == 4
