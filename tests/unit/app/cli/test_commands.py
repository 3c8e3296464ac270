"""CLI reads on a store whose address book cannot be listed (the strict Chec demo): the
answer on stdout as ever, and a one-line note on stderr saying what is missing."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from app.domain.limitations import ADDRESS_BOOK_DEFAULTS_ONLY
from app.services.context import Services
from app.services.demo import CHEC_LENIENT_ENV
from tests.unit.app.cli import main_runner

NOTE = f"note: {ADDRESS_BOOK_DEFAULTS_ONLY.notice}\n"


async def _small_chec_demo() -> None:
    # Generated small once; the CLI then opens the existing store file.
    ctx = await Services.create().open_store("demo-chec", demo_customers=40)
    await ctx.aclose()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return main_runner.run(capsys, "--store", "demo-chec", *argv)


def some_customer(capsys: pytest.CaptureFixture[str]) -> str:
    code, out, _ = run(capsys, "customers", "list", "--limit", "1", "--format", "json")
    assert code == 0
    customer_id: str = json.loads(out)[0]["id"]
    return customer_id


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_strict_chec_reads_note_on_stderr_that_only_defaults_show(
    app_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    monkeypatch.delenv(CHEC_LENIENT_ENV, raising=False)
    asyncio.run(_small_chec_demo())
    customer_id = some_customer(capsys)

    code, out, err = run(capsys, "customers", "show", customer_id, "--format", fmt)
    assert (code, err) == (0, NOTE)
    assert customer_id in out
    code, out, err = run(capsys, "addresses", "list", customer_id, "--format", fmt)
    assert (code, err) == (0, NOTE)
    if fmt == "json":
        json.loads(out)  # stdout stays the data


def test_lenient_chec_reads_note_nothing(
    app_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(CHEC_LENIENT_ENV, "1")
    asyncio.run(_small_chec_demo())
    customer_id = some_customer(capsys)
    assert run(capsys, "customers", "show", customer_id)[::2] == (0, "")
    assert run(capsys, "addresses", "list", customer_id)[::2] == (0, "")
