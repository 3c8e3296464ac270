"""The desk's own figures, in a child process of `bench.mirror` (one fresh process per run).

Starts the real desk offscreen on the store in MERCHANT_DESK_HOME (its mirror complete),
and measures:
- cold start: from the parent's clock (argv[1]) to the first painted list page;
- RSS with the list open;
- keystroke to painted rows: a key typed into the search box (a real key event), until
  the list's viewport painted after that keystroke's rows came (p50/p95);
- scrolling anywhere: Ctrl+End and dragging the scroll bar to 1/4, 1/2, 3/4, until the
  rows shown are read and painted.

Prints one JSON line. Usage: `python -m bench.desk_probe T0 '["term", ...]'`
(KEYSTROKES in the environment caps the keys typed).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable

# The services before PySide6, in the desk's own order (`ui.__main__`); nothing else
# (the benchmark's own modules would add their imports to the cold start).
from app.services.context import Services

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from ui.asyncbridge import make_test_loop
from ui.store import open_store
from ui.windows.main_window import DEFAULT_SIZE, MainWindow

TIMEOUT_S = 30.0


class PaintClock(QObject):
    """When the list's viewport last painted, and when its model last changed."""

    def __init__(self, win: MainWindow) -> None:
        super().__init__(win)
        self.painted = 0.0
        self.changed = 0.0
        model = win.model
        for signal in (model.modelReset, model.rowsInserted, model.dataChanged):
            signal.connect(self._on_change)
        win.table.viewport().installEventFilter(self)

    def _on_change(self, *_args: object) -> None:
        self.changed = time.perf_counter()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = time.perf_counter()
        return False

    def painted_since_change(self) -> bool:
        return self.painted >= self.changed


class NoneGuard:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on each call of a method
    returning void (processEvents, setText...; harmless from 3.12, where None is
    immortal). A probe spinning the event loop makes thousands of such calls and would
    free None ("none_dealloc"): hold the lost references so None's count stays put."""

    def __init__(self) -> None:
        self.baseline = sys.getrefcount(None)
        self._held: list[None] = []

    def restore(self) -> None:
        lost = self.baseline - sys.getrefcount(None)
        if lost > 0:
            self._held.extend([None] * lost)


GUARD = NoneGuard()


def spin_until(app: QApplication, done: Callable[[], bool]) -> bool:
    deadline = time.perf_counter() + TIMEOUT_S
    while not done():
        GUARD.restore()
        if time.perf_counter() > deadline:
            return False
        app.processEvents()
    GUARD.restore()
    return True


def type_key(widget: QWidget, char: str) -> None:
    """One key typed: a key press carrying `char` (any letter: "ö", "ß"; QTest's key
    clicks know ASCII only), then its release."""
    key = ord(char.upper()) if char.isascii() and char.isalnum() else 0
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS"))
    return int(line.split()[1]) / 1024


def main() -> int:
    started = float(sys.argv[1])
    texts: list[str] = json.loads(sys.argv[2]) if len(sys.argv) > 2 else []
    keystrokes = int(os.environ.get("KEYSTROKES", "40"))
    app = QApplication([])
    loop = make_test_loop(app)
    services = Services.create()
    win = MainWindow(services)
    win.resize(DEFAULT_SIZE)
    # DESK_STORE: a store profile to open (bench.customer360); unset: the default store.
    task = loop.create_task(open_store(services, os.environ.get("DESK_STORE") or None))
    spin_until(app, task.done)
    win.use_store(task.result())
    win.show()
    model = win.model
    spin_until(app, lambda: model.rowCount() > 0 and not model.loading)
    win.table.viewport().repaint()
    app.processEvents()
    out: dict[str, float] = {"cold_start_s": time.time() - started, "rss_mb": rss_mb()}
    clock = PaintClock(win)

    def settled(text: str) -> Callable[[], bool]:
        return lambda: (
            model.query.text == text and not model.loading and clock.painted_since_change()
        )

    # Keystroke to painted rows.
    edit = win.filter_bar.search
    edit.setFocus()
    typed: list[float] = []
    for text in texts:
        edit.clear()
        spin_until(app, settled(""))
        for char in text:
            if len(typed) >= keystrokes:
                break
            t = time.perf_counter()
            type_key(edit, char)
            if not spin_until(app, settled(edit.text().strip())):
                typed.append(TIMEOUT_S * 1000)
                continue
            typed.append((clock.painted - t) * 1000)
    if typed:
        out["keystroke_p50_ms"] = pct(typed, 0.5)
        out["keystroke_p95_ms"] = pct(typed, 0.95)
        out["keystrokes"] = float(len(typed))

    # Scrolling anywhere: the whole list, counted (every match a row).
    edit.clear()
    spin_until(app, lambda: settled("")() and model.total is not None)
    total = model.rowCount()
    out["rows"] = float(total)
    table = win.table
    table.setFocus()

    def shown_read() -> bool:
        top = max(table.rowAt(0), 0)
        bottom = table.rowAt(table.viewport().height() - 1)
        bottom = total - 1 if bottom < 0 else bottom
        return all(model.loaded(r) is not None for r in range(top, bottom + 1))

    def scroll(move: Callable[[], None]) -> float:
        t = time.perf_counter()
        move()
        ok = spin_until(app, lambda: shown_read() and clock.painted_since_change())
        return (clock.painted - t) * 1000 if ok else TIMEOUT_S * 1000

    bar = table.verticalScrollBar()
    spin_until(app, lambda: bar.maximum() > 0 or total < 50)
    out["ctrl_end_ms"] = scroll(
        lambda: QTest.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    )

    def drag(fraction: float) -> Callable[[], None]:
        return lambda: bar.setValue(int(bar.maximum() * fraction))

    drags = [scroll(drag(f)) for f in (0.5, 0.25, 0.75)]
    out["drag_middle_ms"] = drags[0]
    out["drag_max_ms"] = max(drags)
    out["scroll_ms"] = max(out["ctrl_end_ms"], out["drag_max_ms"])
    out["random_access"] = float(model.random_access)
    print(json.dumps(out), flush=True)
    os._exit(0)  # the desk's shutdown is not measured


if __name__ == "__main__":
    sys.exit(main())
