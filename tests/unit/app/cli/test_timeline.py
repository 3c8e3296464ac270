"""`merchant-desk timeline`: a customer's history as a table or JSON, filtered by kind,
offline from the mirror; a change made from the CLI shows with its author."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from app.cli.timeline import parse_kinds
from app.domain.timeline import EventKind
from app.services.context import Services
from tests.unit.app.cli import main_runner


async def _small_demo() -> None:
    ctx = await Services.create().open_store("demo", demo_customers=60, policy=None)
    await ctx.aclose()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return main_runner.run(capsys, "--store", "demo", *argv)


def _customer_with_orders(capsys: pytest.CaptureFixture[str]) -> str:
    code, out, _ = run(capsys, "customers", "list", "--limit", "30", "--format", "json")
    assert code == 0
    for row in json.loads(out):
        code, orders, _ = run(capsys, "orders", "list", row["id"], "--format", "json")
        if code == 0 and json.loads(orders):
            customer_id: str = row["id"]
            return customer_id
    raise AssertionError("no demo customer with orders")


def test_timeline_json_table_kinds_and_offline(
    app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_small_demo())
    assert run(capsys, "sync", "--quiet")[0] == 0
    customer_id = _customer_with_orders(capsys)
    assert run(capsys, "customers", "update", customer_id, "--company", "CLI & Co")[0] == 0

    code, out, err = run(capsys, "timeline", customer_id, "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    kinds = [e["kind"] for e in data["events"]]
    assert kinds[0] == "change"
    assert kinds[-1] == "created"
    assert "order" in kinds
    change = data["events"][0]
    assert change["title"] == "Changed company"
    assert change["detail"].endswith("→ CLI & Co")
    assert change["actor"] == "demo staff"
    times = [e["at"] for e in data["events"]]
    assert times == sorted(times, reverse=True)

    code, out, _ = run(capsys, "timeline", customer_id, "--kind", "order,note", "--json")
    assert code == 0
    assert {e["kind"] for e in json.loads(out)["events"]} == {"order"}

    code, out, _ = run(capsys, "timeline", customer_id)
    assert code == 0
    header, first, detail = out.splitlines()[:3]
    assert header.split() == ["WHEN", "KIND", "EVENT", "BY", "REF"]
    assert "change" in first
    assert "Changed company" in first
    assert detail.strip().endswith("→ CLI & Co")

    code, offline, _ = run(capsys, "--offline", "timeline", customer_id, "--json")
    assert code == 0
    assert json.loads(offline)["events"] == data["events"]


def test_unknown_kinds_are_refused_with_the_valid_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert parse_kinds("Order, note") == {EventKind.ORDER, EventKind.NOTE}
    with pytest.raises(SystemExit) as exit_info:
        main_runner.run(capsys, "timeline", "cus_1", "--kind", "orders")
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "unknown kind 'orders'" in err
    assert "order, payment" in err
