"""The CLI end to end on the demo store: output formats, edits, exit codes, store profiles."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import keyring
import pytest

from app.cli.main import main
from tests.conftest import MemoryKeyring
from tests.unit.app.cli.main_runner import run


@pytest.fixture(autouse=True)
def small_demo(app_home: Path) -> None:
    assert main(["demo", "reset", "--customers", "300", "--seed", "7"]) == 0


def add_shop(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *,
    secret: str,
    email: str,
) -> tuple[int, str, str]:
    """`store add shop` for a Medusa at a port that refuses connections; secret on stdin."""
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{secret}\n"))
    return run(
        capsys,
        "store",
        "add",
        "shop",
        "--backend",
        "medusa",
        "--url",
        "http://127.0.0.1:9",
        "--email",
        email,
        "--password-stdin",
    )


def test_list_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "customers", "list", "--limit", "0", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    # The generator soft-deletes ~0.5% of its customers, as real shops have deleted rows.
    assert 290 <= len(rows) <= 300
    assert len({r["id"] for r in rows}) == len(rows)
    assert {"id", "email", "first_name", "groups", "created_at"} <= rows[0].keys()

    code, out, _ = run(capsys, "customers", "list", "--limit", "5", "--format", "csv")
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert len(parsed) == 5
    assert parsed[0]["id"].startswith("cus_")

    code, out, _ = run(capsys, "customers", "list", "--limit", "3")
    assert code == 0
    assert out.splitlines()[0].split()[:2] == ["ID", "EMAIL"]
    assert len(out.splitlines()) == 4


def test_search_sort_and_filters(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "customers", "list", "--limit", "0", "--format", "json")
    everyone = json.loads(out)
    target = next(r for r in everyone if r["last_name"] and r["email"])
    code, out, _ = run(
        capsys, "customers", "list", "--search", target["last_name"].upper(), "--format", "json"
    )
    assert code == 0
    assert target["id"] in {r["id"] for r in json.loads(out)}

    code, out, _ = run(
        capsys, "customers", "list", "--sort", "-email", "--limit", "0", "--format", "json"
    )
    emails = [r["email"] for r in json.loads(out) if r["email"]]
    assert emails == sorted(emails, reverse=True)

    code, out, _ = run(
        capsys, "customers", "list", "--has-account", "--limit", "0", "--format", "json"
    )
    assert all(r["has_account"] for r in json.loads(out))

    group = next(g for r in everyone for g in r["groups"])
    code, out, _ = run(
        capsys, "customers", "list", "--group", group["name"], "--limit", "0", "--format", "json"
    )
    members = json.loads(out)
    assert members
    assert all(group["id"] in {g["id"] for g in r["groups"]} for r in members)

    code, out, _ = run(
        capsys, "customers", "list", "--created-from", "2999-01-01", "--format", "json"
    )
    assert (code, json.loads(out)) == (0, [])


def test_create_update_show_delete(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "customers",
        "create",
        "--email",
        "new.person+cli@example.com",
        "--first-name",
        "Nëw",
        "--phone",
        "+43 1 555",
        "--metadata",
        "tier=gold",
        "--format",
        "json",
    )
    assert code == 0
    created = json.loads(out)
    cid = created["id"]
    assert created["metadata"] == {"tier": "gold"}

    code, out, _ = run(
        capsys,
        "customers",
        "update",
        cid,
        "--phone",
        "",
        "--metadata",
        "note=vip",
        "--unset-metadata",
        "tier",
        "--format",
        "json",
    )
    assert code == 0
    updated = json.loads(out)
    assert updated["phone"] is None
    assert updated["metadata"] == {"note": "vip"}
    assert updated["first_name"] == "Nëw"

    code, out, _ = run(capsys, "customers", "show", cid)
    assert code == 0
    assert "new.person+cli@example.com" in out

    assert run(capsys, "customers", "delete", cid)[0] == 0
    code, _, err = run(capsys, "customers", "show", cid)
    assert code == 3
    assert err.startswith("merchant-desk: ")
    assert len(err.strip().splitlines()) == 1


def test_validation_and_usage_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "customers", "create", "--email", "not-an-email")
    assert code == 4
    assert "email" in err
    _, out, _ = run(capsys, "customers", "list", "--limit", "2", "--format", "json")
    first, second = json.loads(out)
    code, _, err = run(capsys, "customers", "update", second["id"], "--email", first["email"])
    assert code == 4
    assert "already" in err
    code, _, err = run(capsys, "customers", "update", second["id"])
    assert code == 2
    code, _, err = run(capsys, "customers", "list", "--sort", "shoe_size")
    assert code == 2
    with pytest.raises(SystemExit) as info:
        main(["customers", "frobnicate"])
    assert info.value.code == 2


def test_addresses_orders_and_token(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys, "customers", "list", "--has-account", "--limit", "1", "--format", "json"
    )
    customer = json.loads(out)[0]
    cid = customer["id"]
    code, out, _ = run(
        capsys,
        "addresses",
        "add",
        cid,
        "--address-1",
        "Ring 1",
        "--city",
        "Wien",
        "--country",
        "at",
        "--default-shipping",
        "--format",
        "json",
    )
    assert code == 0
    address = json.loads(out)
    assert address["is_default_shipping"]
    code, out, _ = run(capsys, "addresses", "list", cid, "--format", "json")
    book = json.loads(out)
    assert [a["id"] for a in book if a["is_default_shipping"]] == [address["id"]]
    code, out, _ = run(
        capsys, "addresses", "update", cid, address["id"], "--city", "Graz", "--format", "json"
    )
    assert json.loads(out)["city"] == "Graz"
    assert run(capsys, "addresses", "delete", cid, address["id"])[0] == 0

    code, out, _ = run(capsys, "token", "issue", cid)
    assert code == 0
    assert customer["email"] in out
    assert "15 minutes" in out

    _, out, _ = run(capsys, "customers", "list", "--no-account", "--limit", "1", "--format", "json")
    guest = json.loads(out)[0]["id"]
    code, _, err = run(capsys, "token", "issue", guest)
    assert code == 4
    assert "no account" in err


def test_orders(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "customers", "list", "--limit", "0", "--format", "json")
    for row in json.loads(out):
        code, listing, _ = run(capsys, "orders", "list", row["id"], "--format", "json")
        orders = json.loads(listing)
        if orders:
            break
    else:
        pytest.fail("the demo store has no orders")
    assert code == 0
    code, shown, _ = run(capsys, "orders", "show", orders[0]["id"], "--format", "json")
    detail = json.loads(shown)
    assert detail["id"] == orders[0]["id"]
    assert detail["total"] == orders[0]["total"]
    code, text, _ = run(capsys, "orders", "show", orders[0]["id"])
    assert "Total" in text
    assert run(capsys, "orders", "show", "order_01HZZZZZZZZZZZZZZZZZZZZZZZ")[0] == 3


def test_store_profiles_and_keyring(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeyring,
) -> None:
    code, out, _ = add_shop(capsys, monkeypatch, secret="s3cret-pass", email="admin@shop.test")
    assert code == 0
    assert memory_keyring.items[("merchant-desk", "store:shop")] == "s3cret-pass"
    code, out, _ = run(capsys, "store", "list")
    assert "shop" in out
    assert "s3cret" not in out
    # Port 9 refuses connections: unreachable is exit code 6, one line, no traceback.
    code, _, err = run(capsys, "--store", "shop", "customers", "list")
    assert code == 6
    assert "Traceback" not in err
    assert run(capsys, "store", "remove", "shop")[0] == 0
    assert ("merchant-desk", "store:shop") not in memory_keyring.items


def test_no_keyring_says_so_and_takes_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    code, _, err = add_shop(capsys, monkeypatch, secret="pw", email="a@b.test")
    assert code == 0
    assert "keyring" in err
    assert "MERCHANT_DESK_SECRET" in err
    code, _, err = run(capsys, "--store", "shop", "customers", "list")
    assert code == 1
    assert "MERCHANT_DESK_SECRET" in err
    monkeypatch.setenv("MERCHANT_DESK_SECRET", "pw")
    assert run(capsys, "--store", "shop", "customers", "list")[0] == 6


def test_secret_never_written_to_disk(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, app_home: Path
) -> None:
    add_shop(capsys, monkeypatch, secret="Very-Secret-123", email="a@b.test")
    for path in app_home.rglob("*"):
        if path.is_file():
            assert b"Very-Secret-123" not in path.read_bytes(), path


def test_cli_never_loads_qt(app_home: Path) -> None:
    code = (
        "import sys; from ui.__main__ import main; "
        "rc = main(['customers', 'list', '--limit', '1']); "
        "assert 'PySide6' not in sys.modules, 'Qt loaded'; sys.exit(rc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


def test_addresses_follow_the_stores_form(capsys: pytest.CaptureFixture[str]) -> None:
    """Elastic Path's form: county is an option, required, checked before sending."""
    code, out, _ = run(capsys, "--store", "demo-ep", "addresses", "fields", "--format", "json")
    assert code == 0
    fields = {f["option"]: f for f in json.loads(out)}
    assert fields["--county"]["required"] is True
    assert fields["--province"]["label"] == "Region (state, province)"
    _, out, _ = run(
        capsys, "--store", "demo-ep", "customers", "list", "--limit", "1", "--format", "json"
    )
    cid = json.loads(out)[0]["id"]
    base = ["addresses", "add", cid, "--first-name", "Ron", "--last-name", "S"]
    base += ["--address-1", "1 Main St", "--postal-code", "SU33 1YY", "--country", "gb"]
    code, _, err = run(capsys, "--store", "demo-ep", *base)
    assert code == 4
    assert "--county: County is required by this store." in err
    code, out, _ = run(capsys, "--store", "demo-ep", *base, "--county", "Kent", "--format", "json")
    assert code == 0
    assert json.loads(out)["county"] == "Kent"
    # The Medusa demo has no county: the option is refused there, before sending.
    _, out, _ = run(capsys, "customers", "list", "--limit", "1", "--format", "json")
    code, _, err = run(
        capsys, "addresses", "add", json.loads(out)[0]["id"], "--city", "Leeds", "--county", "Kent"
    )
    assert code == 4
    assert "--county" in err
    code, out, _ = run(capsys, "addresses", "fields")
    assert "--county" not in out


def test_store_options_are_also_accepted_after_the_subcommand(
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = run(capsys, "--store", "demo", "customers", "list", "--limit", "3")
    after = run(capsys, "customers", "list", "--limit", "3", "--store", "demo")
    assert after[0] == 0
    assert after[1] == before[1]
    code, _, err = run(capsys, "customers", "list", "--store", "nosuch")
    assert code != 0
    assert "nosuch" in err
    # After the subcommand wins over before it, as the later word on a command line does.
    assert run(capsys, "--store", "nosuch", "customers", "list", "--store", "demo")[0] == 0
    code, _, err = run(capsys, "customers", "list", "--offline")
    assert code == 2
    assert "mirror" in err  # --offline was heard: no mirror yet


def test_every_option_has_a_help_text() -> None:
    import argparse

    from app.cli.main import build_parser

    def missing(parser: argparse.ArgumentParser, path: str) -> list[str]:
        found = []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    found += missing(child, f"{path} {name}")
            elif action.option_strings and action.help in (None, "", argparse.SUPPRESS):
                found.append(f"{path} {'/'.join(action.option_strings)}")
        return found

    assert missing(build_parser(), "merchant-desk") == []


def test_addresses_refuse_unknown_country_codes(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "customers", "list", "--limit", "1", "--format", "json")
    cid = json.loads(out)[0]["id"]
    base = ["addresses", "add", cid, "--address-1", "Ring 1", "--city", "Wien"]
    code, _, err = run(capsys, *base, "--country", "xx")
    assert code == 4
    assert "--country" in err
    assert "'xx' is no ISO 3166 country code" in err
    _, out, _ = run(capsys, "addresses", "list", cid, "--format", "json")
    assert all(a["country_code"] != "xx" for a in json.loads(out))  # nothing was sent
    assert run(capsys, *base, "--country", "AT")[0] == 0
