"""`customers list` order options: parsed into the query's OrderFilter, bad values are
usage errors (exit 2) with a message naming the option."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.cli.main import _join_option_values, build_parser, main
from app.domain.query import DateRange, Sort, SortField
from tests.unit.app.cli.main_runner import run


def parse(*argv: str) -> object:
    return build_parser().parse_args(_join_option_values(["customers", "list", *argv]))


def test_order_options_parse() -> None:
    args = parse(
        "--has-orders",
        "--min-spent",
        "100.50",
        "--last-order-before",
        "2026-06-01",
        "--last-order-after",
        "2026-01-31",
        "--ordered-between",
        "2026-01-01..2026-03-31",
        "--sort",
        "-spent",
    )
    assert args.has_orders is True  # type: ignore[attr-defined]
    assert args.min_spent == Decimal("100.50")  # type: ignore[attr-defined]
    # Before a day: up to its midnight; after a day: from the next midnight.
    assert args.last_order_before == datetime(2026, 6, 1, tzinfo=UTC)  # type: ignore[attr-defined]
    assert args.last_order_after == datetime(2026, 2, 1, tzinfo=UTC)  # type: ignore[attr-defined]
    assert args.ordered_between == DateRange(  # type: ignore[attr-defined]
        start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2026, 4, 1, tzinfo=UTC)
    )
    assert Sort.parse(args.sort) == Sort(field=SortField.SPENT, descending=True)  # type: ignore[attr-defined]
    assert parse("--no-orders").has_orders is False  # type: ignore[attr-defined]
    assert parse("--ordered-between", "..2026-03-31").ordered_between == DateRange(  # type: ignore[attr-defined]
        end=datetime(2026, 4, 1, tzinfo=UTC)
    )


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--min-spent", "lots"], "--min-spent: not an amount"),
        (["--min-spent", "-5"], "--min-spent: not an amount"),
        (["--min-spent", "NaN"], "--min-spent: not an amount"),
        (["--min-spent", "1e999999"], "--min-spent: not an amount"),
        (["--last-order-before", "June"], "--last-order-before: not a date"),
        (["--ordered-between", "2026-01-01"], "expected FIRST..LAST"),
        (["--ordered-between", ".."], "expected FIRST..LAST"),
        (["--ordered-between", "2026-03-01..2026-01-01"], "first day is after the last"),
        (["--has-orders", "--no-orders"], "not allowed with argument"),
    ],
)
def test_bad_values_are_usage_errors(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["customers", "list", *argv])
    assert info.value.code == 2
    assert words in capsys.readouterr().err


def test_contradictions_are_usage_errors(
    app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        "customers",
        "list",
        "--last-order-after",
        "2026-06-01",
        "--last-order-before",
        "2026-05-01",
    )
    assert code == 2
    assert "--last-order-after must be a day before --last-order-before" in err
    for option, value in (
        ("--min-spent", "10"),
        ("--last-order-before", "2026-05-01"),
        ("--last-order-after", "2026-05-01"),
    ):
        code, _, err = run(capsys, "customers", "list", "--no-orders", option, value)
        assert code == 2, option
        assert "--no-orders cannot be combined" in err


@pytest.fixture
def small_demo(app_home: Path) -> None:
    assert main(["demo", "reset", "--customers", "200", "--seed", "7"]) == 0


@pytest.mark.usefixtures("small_demo")
def test_order_queries_wait_for_the_mirror_then_list_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "customers", "list", "--has-orders")
    assert (code, out) == (10, "")
    assert "run 'merchant-desk sync' first" in err
    code, out, _ = run(capsys, "customers", "list", "--limit", "3")
    assert code == 0
    assert "ORDERS" not in out  # rows the store sent: no figures, no empty columns

    assert run(capsys, "sync", "--quiet")[0] == 0
    code, out, _ = run(
        capsys,
        "customers",
        "list",
        "--has-orders",
        "--sort",
        "-spent",
        "--limit",
        "0",
        "--format",
        "json",
    )
    assert code == 0
    rows = json.loads(out)
    assert rows
    assert all(r["orders"]["order_count"] > 0 for r in rows)
    spent = [Decimal(r["orders"]["spent"]["amount"]) for r in rows if r["orders"]["spent"]]
    assert spent == sorted(spent, reverse=True)

    code, out, _ = run(
        capsys,
        "customers",
        "list",
        "--min-spent",
        str(spent[2]),
        "--sort",
        "-spent",
        "--format",
        "csv",
        "--limit",
        "0",
    )
    assert code == 0
    table = list(csv.DictReader(io.StringIO(out)))
    assert len(table) >= 3
    assert all(Decimal(r["spent"]) >= spent[2].quantize(Decimal("0.01")) for r in table)
    assert {r["currency"] for r in table} == {rows[0]["orders"]["spent"]["currency"]}
    assert all(r["last_order"] and r["orders"] for r in table)

    code, out, _ = run(capsys, "customers", "list", "--sort", "-orders", "--limit", "2")
    assert code == 0
    header = out.splitlines()[0].split()
    assert header[-3:] == ["ORDERS", "SPENT", "LAST_ORDER"]

    code, out, _ = run(capsys, "customers", "list", "--no-orders", "--format", "csv")
    assert code == 0
    assert {r["orders"] for r in csv.DictReader(io.StringIO(out))} <= {"0"}


@pytest.mark.usefixtures("small_demo")
def test_show_prints_the_figures_line(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "customers", "list", "--limit", "1", "--format", "json")
    customer_id = json.loads(out)[0]["id"]
    code, out, _ = run(capsys, "customers", "show", customer_id)
    assert code == 0
    assert "figures: Customer since 20" in out
    assert "Order figures appear once orders are mirrored" in out  # unknown, not 0
    _, out, _ = run(capsys, "customers", "show", customer_id, "--format", "json")
    assert json.loads(out)["figures"] is None

    assert run(capsys, "sync", "--quiet")[0] == 0
    _, out, _ = run(capsys, "customers", "list", "--has-orders", "--limit", "1", "--format", "json")
    buyer = json.loads(out)[0]
    code, out, _ = run(capsys, "customers", "show", buyer["id"])
    count = buyer["orders"]["order_count"]
    assert f"· {count} order{'s' if count != 1 else ''} ·" in out
    assert "last order" in out
    _, out, _ = run(capsys, "customers", "show", buyer["id"], "--format", "json")
    assert json.loads(out)["figures"]["order_count"] == count
