"""Start-up time of the frozen app next to the same from source: `--smoke-test` wall time.

    .venv/bin/python packaging/startup_times.py [--runs 5] [--cold]

Each run is a new process (start -> smoke test done -> exit), offscreen, in a temporary
home (so the demo store is generated every time, for both). The variants alternate within
each round so that both see the same machine load. `--cold` drops the page cache before
every run (Linux, root): the numbers then include reading Qt and Python from disk.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = {
    "frozen": [str(ROOT / "dist" / "merchant-desk" / "merchant-desk")],
    "source": [str(ROOT / ".venv" / "bin" / "python"), "-m", "ui"],
}


def drop_caches() -> None:
    os.sync()
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def one_run(command: list[str], cold: bool) -> float:
    env = {k: v for k, v in os.environ.items() if k != "MERCHANT_DESK_HOME"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    if cold:
        drop_caches()
    started = time.perf_counter()
    subprocess.run([*command, "--smoke-test"], env=env, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="drop the page cache before each run")
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for _ in range(args.runs):
        for name, command in VARIANTS.items():
            times[name].append(one_run(command, args.cold))
    kind = "cold" if args.cold else "warm"
    for name, values in times.items():
        runs = " ".join(f"{v:.2f}" for v in values)
        print(f"{name} ({kind}): median {statistics.median(values):.2f} s  [{runs}]")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
