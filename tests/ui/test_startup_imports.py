"""Start-up loads only what the first painted list needs (issue 16: cold start <= 1 s).

A fresh interpreter imports what the desk imports before its window shows and opens the
demo store (Medusa dialect), then lists the modules loaded: the other backends, their
demo servers, the keyring and httpx's command-line client stay out until used.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import asyncio, json, sys
import ui.store, ui.windows.main_window
from app.services.context import Services

async def main():
    ctx = await Services.create().open_store(None, demo_customers=20)
    await ctx.aclose()

asyncio.run(main())
print(json.dumps(sorted(sys.modules)))
"""
DEFERRED = (
    "app.backends.chec",
    "app.backends.elasticpath",
    "demostore.chec",
    "demostore.elasticpath.server",
    "keyring",
    "rich",
    "click",
)


def test_opening_the_demo_store_loads_no_other_backend(tmp_path: Path) -> None:
    env = {"MERCHANT_DESK_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen", "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert out.returncode == 0, out.stderr
    loaded = set(json.loads(out.stdout.splitlines()[-1]))
    assert "app.backends.medusa" in loaded  # the probe did open the store
    assert not {m for m in loaded if m.split(".")[0] in DEFERRED or m.startswith(DEFERRED)}
