"""No secret in any file the app writes, nor in its output (issue 13).

A day's work against the hostile store, with -v: store profiles (password and API key),
lists with search text, edits, a reset email, a full sync into the mirror. Afterwards
every file under the app's home (profiles, mirrors with their -wal, logs, caches) and
everything printed is scanned for the password, the API key, the bearer tokens the store
issued, and for the demo store's issued reset and login tokens in its database.
"""

from __future__ import annotations

import asyncio
import io
import stat
from pathlib import Path

import pytest

from demostore.chec import prepare_store
from demostore.chec import repo as chec_repo
from demostore.core import DemoStore
from demostore.core.accounts_repo import register_identity, request_password_reset
from tests.faults.cli import add_store, run
from tests.faults.hostile import ADMIN_PASSWORD, API_KEY, HostileServer

COMMANDS = [
    ("customers", "list", "--search", "person1@example.com", "--limit", "0"),
    ("customers", "show", "cus_0001"),
    ("customers", "update", "cus_0001", "--first-name", "Zed"),
    ("addresses", "add", "cus_0001", "--address-1", "Weg 1", "--city", "Bonn", "--country", "de"),
    ("token", "issue", "cus_0002"),
    ("orders", "list", "cus_0001"),
    ("sync", "--full", "--quiet"),
    ("sync", "--quiet"),
    ("--offline", "customers", "list", "--search", "Zed"),
]


def everything_written(home: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file())


def test_no_secret_reaches_disk_or_output(
    app_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    printed: list[str] = []
    with HostileServer() as server:
        add_store(server.url, capsys, monkeypatch)
        monkeypatch.setattr("sys.stdin", io.StringIO(API_KEY + "\n"))
        add = ("store", "add", "bykey", "--backend", "medusa", "--url", server.url, "--api-key")
        assert run(capsys, *add, "--password-stdin").code == 0
        for argv in COMMANDS:
            result = run(capsys, "-v", *argv)
            assert result.code == 0, (argv, result.err)
            printed += [result.out, result.err]
        result = run(capsys, "-v", "--store", "bykey", "customers", "show", "cus_0002")
        assert result.code == 0, result.err
        printed += [result.out, result.err]
        issued = set(server.state.tokens)
    assert issued  # the store signed us in: there are tokens to look for
    assert server.state.resets == ["person2@example.com"]
    disk = everything_written(app_home)
    assert b"cus_0001" in disk  # the scan does see the mirror
    output = "".join(printed)
    logs = "".join(printed[1::2])
    for searched in ("person1@example.com", "person1%40example.com", "q=Zed"):
        assert searched not in logs  # -v logs: no search text, not even URL-encoded
    for secret in (ADMIN_PASSWORD, API_KEY, *issued):
        assert secret.encode() not in disk, secret
        assert secret not in output, secret


def test_demo_store_keeps_issued_tokens_as_digests_in_a_private_file(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"

    async def issue() -> tuple[str, str]:
        async with DemoStore(path) as store:
            reset = "reset.JWT.secret-4711"
            await store.call(register_identity, "anna@example.com", "pw-anna-1234")
            await store.call(
                request_password_reset, "anna@example.com", lambda _: (reset, "jti-4711")
            )
            await prepare_store(store)  # the Chec side tables
            await store.call(chec_repo.create_customer, {"email": "anna@example.com"})
            login = await store.call(
                chec_repo.issue_login_token, "anna@example.com", "https://shop/", send=True
            )
            return reset, str(login["token"])

    reset, login = asyncio.run(issue())
    files = [p for p in tmp_path.iterdir() if p.name.startswith("demo.sqlite3")]
    assert files
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    disk = b"".join(p.read_bytes() for p in files)
    assert reset.encode() not in disk
    assert login.encode() not in disk
    assert b"jti-4711" not in disk
