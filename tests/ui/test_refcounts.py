"""PySide6 6.12 drops references to True and None; the guard keeps the interpreter alive."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# 5,000 emits of True and slot calls: more than True's and None's own counts in a small
# program, so without the guard the interpreter aborts (exit code -6, "bool_dealloc").
PROGRAM = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QCheckBox
    from ui.refcounts import guard_singletons
    if sys.argv[1] == "guarded":
        guard_singletons()
    app = QApplication([])

    class Emitter(QObject):
        flag = Signal(bool)

    emitter = Emitter()
    emitter.flag.connect(lambda on: None)
    box = QCheckBox()
    box.toggled.connect(lambda on: None)
    for _ in range(5000):
        emitter.flag.emit(True)
        box.setChecked(not box.isChecked())
    print("alive")
    """
)


def run(mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROGRAM, mode],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_guard_keeps_the_interpreter_alive() -> None:
    guarded = run("guarded")
    assert guarded.returncode == 0, guarded.stderr[-500:]
    assert guarded.stdout.strip() == "alive"


def test_pyside_still_loses_references_without_it() -> None:
    """When this fails, PySide6 (or Python >= 3.12) fixed it: drop ui/refcounts.py."""
    bare = run("bare")
    if sys.version_info >= (3, 12):
        assert bare.returncode == 0
    else:
        assert bare.returncode != 0
        assert "_dealloc" in bare.stderr
