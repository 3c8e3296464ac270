"""The README's first lines: the app command opens on the demo store with nothing set up.

Runs `bash scripts/app --smoke-test` as a newcomer would (offscreen here), in an empty
home folder: the app must land in the demo store and find its customers.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from app.backends.medusa import MedusaAdapter, MedusaCredentials
from app.domain.query import CustomerQuery
from demostore.medusa import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD

ROOT = Path(__file__).resolve().parents[1]


def test_readme_names_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:6]
    assert "bash scripts/app" in "\n".join(head)
    assert "bash scripts/test" in "\n".join(head)


@pytest.mark.slow
def test_app_command_opens_on_the_demo_store(app_home: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MERCHANT_DESK_HOME": str(app_home)}
    result = subprocess.run(
        ["bash", "scripts/app", "--smoke-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    match = re.search(r"store=demo customers=(\d+)", result.stdout)
    assert match, result.stdout
    assert int(match.group(1)) > 1000  # the generated demo shop, not an empty one
    assert (app_home / "data" / "demo-store.sqlite3").exists()
    assert "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served_demo(app_home: Path) -> Iterator[str]:
    """`merchant-desk demo serve` on a free port; yields its URL."""
    port = _free_port()
    env = {**os.environ, "MERCHANT_DESK_HOME": str(app_home)}
    log = app_home / "serve.log"
    app_home.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "ui", "demo", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, log.read_text()[-2000:]
            assert time.monotonic() < deadline, "demo serve did not come up"
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_demo_store_serves_a_real_port(served_demo: str) -> None:
    """Tools that want a URL get the same Medusa dialect over real HTTP."""
    adapter = MedusaAdapter(
        served_demo,
        MedusaCredentials(email=DEMO_ADMIN_EMAIL, password=SecretStr(DEMO_ADMIN_PASSWORD)),
    )
    try:
        page = await adapter.list_customers(CustomerQuery(page_size=5))
        assert page.total is not None
        assert page.total > 1000
        detail = await adapter.get_customer(page.items[0].id)
        assert detail.id == page.items[0].id
    finally:
        await adapter.aclose()
