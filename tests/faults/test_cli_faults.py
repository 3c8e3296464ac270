"""Fault injection: every CLI operation against a hostile Medusa-shaped store (issue 13).

Each case runs one command against `HostileServer` misbehaving on the command's route
and asserts the exit code, one stderr line and no traceback, a bounded time, and the
store afterwards: a write's effect is there exactly as often as it should be (never
lost in silence, never doubled), a read changed nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, auto
from pathlib import Path

import pytest

from tests.faults.cli import Run, add_store, run
from tests.faults.hostile import (
    Fault,
    HostileServer,
    Rule,
    State,
    closed_port_url,
    seeded_state,
)

BOUND_SECONDS = 6.0  # 0.8 s deadlines, two or three requests, a loaded CI machine


class Kind(Enum):
    READ = auto()
    SET = auto()  # idempotent write: retried safely
    DELETE = auto()
    ADD = auto()  # address create: checked in the store after a lost answer
    CREATE = auto()  # customer create: never retried
    EMAIL = auto()  # a reset email: never retried
    SYNC = auto()


@dataclass(frozen=True)
class Op:
    name: str
    argv: tuple[str, ...]
    method: str
    route: str
    kind: Kind
    effect: Callable[[State], int] = lambda _: 0
    lookup: tuple[str, str] | None = None  # the GET that 404/401 faults hit instead


def _address_1(state: State, customer: str, line: str) -> int:
    return sum(a.get("address_1") == line for a in state.customers[customer]["addresses"])


OPS = [
    Op("list", ("customers", "list", "--limit", "0"), "GET", "/admin/customers", Kind.READ),
    Op("show", ("customers", "show", "cus_0001"), "GET", "/admin/customers/cus_0001", Kind.READ),
    Op(
        "addresses",
        ("addresses", "list", "cus_0001"),
        "GET",
        "/admin/customers/cus_0001/addresses",
        Kind.READ,
    ),
    Op("orders", ("orders", "list", "cus_0001"), "GET", "/admin/orders", Kind.READ),
    Op("order", ("orders", "show", "order_0001"), "GET", "/admin/orders/order_0001", Kind.READ),
    Op(
        "update",
        ("customers", "update", "cus_0001", "--first-name", "Zed"),
        "POST",
        "/admin/customers/cus_0001",
        Kind.SET,
        lambda s: int(s.customers["cus_0001"]["first_name"] == "Zed"),
    ),
    Op(
        "address-update",
        ("addresses", "update", "cus_0001", "caddr_0001", "--city", "Bonn"),
        "POST",
        "/admin/customers/cus_0001/addresses/caddr_0001",
        Kind.SET,
        lambda s: int(s.customers["cus_0001"]["addresses"][0]["city"] == "Bonn"),
    ),
    Op(
        "address-delete",
        ("addresses", "delete", "cus_0002", "caddr_0002"),
        "DELETE",
        "/admin/customers/cus_0002/addresses/caddr_0002",
        Kind.DELETE,
        lambda s: int(not s.customers["cus_0002"]["addresses"]),
    ),
    Op(
        "address-add",
        (
            "addresses",
            "add",
            "cus_0001",
            "--address-1",
            "Neuer Weg 5",
            "--city",
            "Köln",
            "--country",
            "de",
        ),
        "POST",
        "/admin/customers/cus_0001/addresses",
        Kind.ADD,
        lambda s: _address_1(s, "cus_0001", "Neuer Weg 5"),
    ),
    Op(
        "create",
        ("customers", "create", "--email", "new@example.com", "--first-name", "Neu"),
        "POST",
        "/admin/customers",
        Kind.CREATE,
        lambda s: sum(c["email"] == "new@example.com" for c in s.customers.values()),
    ),
    Op(
        "token",
        ("token", "issue", "cus_0001"),
        "POST",
        "/auth/customer/emailpass/reset-password",
        Kind.EMAIL,
        lambda s: s.resets.count("person1@example.com"),
        lookup=("GET", "/admin/customers/cus_0001"),
    ),
    Op("sync", ("sync", "--full", "--quiet"), "GET", "/admin/customers", Kind.SYNC),
]

R, S, D, A, C, E, Y = Kind.READ, Kind.SET, Kind.DELETE, Kind.ADD, Kind.CREATE, Kind.EMAIL, Kind.SYNC
ALL = tuple(Kind)
# fault -> (how many requests misbehave, {kind: (exit code, times the effect is in the store)})
EXPECTED: dict[Fault, tuple[int, dict[Kind, tuple[int, int]]]] = {
    Fault.RESET_BEFORE: (
        1,
        {R: (0, 0), S: (0, 1), D: (0, 1), A: (6, 0), C: (6, 0), E: (6, 0), Y: (0, 0)},
    ),
    Fault.RESET_AFTER: (
        1,
        {R: (0, 0), S: (0, 1), D: (0, 1), A: (0, 1), C: (0, 1), E: (6, 1), Y: (0, 0)},
    ),
    Fault.CUT_BODY: (
        1_000,
        {R: (6, 0), S: (6, 1), D: (6, 1), A: (0, 1), C: (0, 1), E: (0, 1), Y: (6, 0)},
    ),
    Fault.HANG: (1_000, dict.fromkeys(ALL, (6, 0))),
    Fault.TRICKLE: (
        1_000,
        {R: (6, 0), S: (6, 1), D: (6, 1), A: (0, 1), C: (0, 1), E: (0, 1), Y: (6, 0)},
    ),
    Fault.STATUS_500: (1_000, dict.fromkeys(ALL, (1, 0))),
    Fault.STATUS_503: (
        1,
        {R: (0, 0), S: (0, 1), D: (0, 1), A: (1, 0), C: (1, 0), E: (1, 0), Y: (0, 0)},
    ),
    Fault.BUSY_NOW: (
        1,
        {R: (0, 0), S: (0, 1), D: (0, 1), A: (1, 0), C: (1, 0), E: (1, 0), Y: (0, 0)},
    ),
    Fault.BUSY_LONG: (1, dict.fromkeys(ALL, (1, 0))),
    Fault.FORBIDDEN: (1_000, dict.fromkeys(ALL, (1, 0))),
    Fault.MALFORMED: (
        1,
        {R: (1, 0), S: (1, 1), D: (0, 1), A: (1, 1), C: (1, 1), E: (0, 1), Y: (1, 0)},
    ),
    Fault.WRONG_SHAPE: (
        1,
        {R: (1, 0), S: (1, 1), D: (0, 1), A: (1, 1), C: (1, 1), E: (0, 1), Y: (1, 0)},
    ),
    Fault.HTML: (1, {R: (1, 0), S: (1, 1), D: (0, 1), A: (1, 1), C: (1, 1), E: (0, 1), Y: (1, 0)}),
    Fault.EXPIRED: (
        1,
        {R: (0, 0), S: (0, 1), D: (0, 1), A: (0, 1), C: (0, 1), E: (0, 1), Y: (0, 0)},
    ),
    Fault.DELETED: (1_000, {R: (3, 0), S: (3, 0), D: (3, 0), A: (3, 0), C: (3, 0), E: (3, 0)}),
    Fault.REDIRECT: (1_000, dict.fromkeys(ALL, (1, 0))),
}
# Faults of the connection and of the answer's timing, on every operation; faults that
# are only an unusual answer, on one read, one checked write and one email.
EVERY_OP = (
    Fault.RESET_BEFORE,
    Fault.RESET_AFTER,
    Fault.CUT_BODY,
    Fault.HANG,
    Fault.TRICKLE,
    Fault.STATUS_503,
    Fault.BUSY_NOW,
    Fault.MALFORMED,
    Fault.EXPIRED,
    Fault.DELETED,
)
CORE_OPS = (
    *("list", "show", "orders", "update", "address-update", "address-delete"),
    *("address-add", "create", "token", "sync"),
)
SOME_OPS = ("show", "address-add", "token")
CASES = [
    pytest.param(op, fault, id=f"{op.name}-{fault.value}")
    for fault, (_, table) in EXPECTED.items()
    for op in OPS
    if op.kind in table
    and (op.name in CORE_OPS if fault in EVERY_OP else op.name in SOME_OPS)
    and not (fault is Fault.DELETED and op.name in ("list", "orders"))
]


def snapshot(state: State) -> str:
    return json.dumps([state.customers, state.orders, state.resets], sort_keys=True)


def check_run(result: Run, code: int) -> None:
    assert result.code == code, result.err
    assert "Traceback" not in result.out + result.err
    assert result.seconds < BOUND_SECONDS
    if code != 0:
        lines = result.err.splitlines()
        assert len(lines) == 1, result.err
        assert lines[0].startswith("merchant-desk: ")
    else:
        assert result.err == ""


@pytest.mark.parametrize(("op", "fault"), CASES)
def test_fault(
    op: Op,
    fault: Fault,
    app_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    times, table = EXPECTED[fault]
    code, effect = table[op.kind]
    method, route = op.method, op.route
    if op.lookup is not None and fault in (Fault.DELETED, Fault.EXPIRED):
        method, route = op.lookup
    with HostileServer([Rule(method, route, fault, times)]) as server:
        add_store(server.url, capsys, monkeypatch)
        before = snapshot(server.state)
        result = run(capsys, *op.argv)
    check_run(result, code)
    if op.kind in (Kind.READ, Kind.SYNC):
        assert snapshot(server.state) == before
    else:
        assert op.effect(server.state) == effect
    if code == 6 and effect == 1:  # applied, answer lost: never "could not be reached"
        assert "may have" in result.err


@pytest.mark.parametrize(
    "op", [o for o in OPS if o.name in (*SOME_OPS, "sync")], ids=lambda o: o.name
)
def test_refused_connection(
    op: Op, app_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    add_store(closed_port_url(), capsys, monkeypatch)
    result = run(capsys, *op.argv)
    check_run(result, 6)
    assert "could not be reached" in result.err


@pytest.mark.parametrize(
    "op",
    [o for o in OPS if o.name in ("list", "sync", "orders", "addresses")],
    ids=lambda o: o.name,
)
def test_pages_that_repeat(
    op: Op, app_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    state = seeded_state(customers=1_200)  # the store: 1,200 customers
    with HostileServer([Rule(op.method, op.route, Fault.REPEAT_PAGES)], state) as server:
        add_store(server.url, capsys, monkeypatch)
        before = snapshot(server.state)
        result = run(capsys, *op.argv)
        requests = len(server.state.requests)
    check_run(result, 1)
    assert "already sent" in result.err
    assert len(result.out.splitlines()) <= 1_201  # before: 318,001 lines
    assert requests < 20
    assert snapshot(server.state) == before


def test_duplicate_email_is_refused_and_not_doubled(
    app_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with HostileServer() as server:
        add_store(server.url, capsys, monkeypatch)
        result = run(capsys, "customers", "create", "--email", "person2@example.com")
    check_run(result, 4)
    assert "already uses this email" in result.err
    assert sum(c["email"] == "person2@example.com" for c in server.state.customers.values()) == 1
