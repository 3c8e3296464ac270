"""kill -9 during a full mirror leaves a consistent database that resumes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.mirror.service import ReadPolicy
from app.services.context import Services
from tests.unit.app.mirror.helpers import backend_customers, mirror_customers

SYNC = """
import asyncio, sys
from app.services.context import Services
from app.mirror.service import ReadPolicy

async def main():
    ctx = await Services.create().open_store("demo", demo_customers=900, policy=ReadPolicy.LIVE)
    ctx.mirror.engine.page_size = 20
    def progress(p):
        print(p.done, flush=True)
    await ctx.mirror.sync(progress)
    print("finished", flush=True)

asyncio.run(main())
"""


def _sync_and_kill() -> None:
    """Run a full mirror in a child process and SIGKILL it after 200 customers."""
    env = {**os.environ, "MERCHANT_DESK_DEMO_FAULTS": "latency=0.02"}
    proc = subprocess.Popen(
        [sys.executable, "-c", SYNC], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    done = 0
    while done < 200 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        assert line.strip() not in ("", "finished"), "the sync ended before the kill"
        done = int(line)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()


@pytest.mark.slow
@pytest.mark.asyncio
async def test_kill_during_full_mirror_then_resume(app_home: Path) -> None:
    _sync_and_kill()
    services = Services.create()
    path = services.mirror_path("demo")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    stored = conn.execute("SELECT count(*) FROM customer").fetchone()[0]
    conn.close()
    assert meta["full.state"] == "running"
    assert meta["full.cursor"].startswith("k:")
    assert stored == int(meta["full.done"])  # rows and cursor committed together
    assert stored >= 200

    ctx = await services.open_store("demo", demo_customers=900, policy=ReadPolicy.LIVE)
    try:
        assert ctx.mirror is not None
        report = await ctx.mirror.sync()
        assert report.phase == "full"
        server = await backend_customers(ctx)
        assert report.fetched == len(server) - stored  # resumed, not restarted
        assert await mirror_customers(ctx) == server
    finally:
        await ctx.aclose()
