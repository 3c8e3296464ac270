"""The unit tests never load Qt: they run on machines without a display stack, and a core
module that started importing Qt would show here first. Checked in a fresh interpreter,
since pytest-qt loads PySide6 into the test process itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QT = ("PySide6", "shiboken6", "qasync", "pytestqt")

# Imports every given module, then names any Qt module that came with them.
PROBE = f"""
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(" ".join(sorted({{m.split(".")[0] for m in sys.modules}} & {set(QT)!r})))
"""


def _unit_test_modules() -> list[str]:
    paths = [ROOT / "tests" / "conftest.py", *sorted((ROOT / "tests" / "unit").rglob("*.py"))]
    return [".".join(p.relative_to(ROOT).with_suffix("").parts) for p in paths]


def test_collecting_the_unit_tests_loads_no_qt() -> None:
    modules = _unit_test_modules()
    assert "tests.unit.test_no_qt" in modules
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == ""
