"""The Demo menu: simulate a slow, flaky or unreachable store while showing the desk.

Shown only on the built-in demo stores. It turns the demo server's fault knobs at run
time through `DemoControls` (the same knobs MERCHANT_DESK_DEMO_FAULTS sets at start-up).
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from app.services.context import StoreContext
from app.services.demo_controls import DemoControls

SLOW_S = 0.8
FLAKY_RATE = 0.2


class DemoMenu(QMenu):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("&Demo", parent)
        self.setObjectName("demoMenu")
        self._controls: DemoControls | None = None
        self.offline = self._toggle("Simulate &offline store", self._on_offline)
        self.slow = self._toggle(f"Slow network ({SLOW_S:.1f} s per request)", self._on_slow)
        self.flaky = self._toggle(
            f"Flaky server ({FLAKY_RATE:.0%} errors, retried)", self._on_flaky
        )
        self.addSeparator()
        reset = self.addAction("Back to normal")
        reset.triggered.connect(self._on_reset)

    def _toggle(self, text: str, slot: object) -> QAction:
        action = self.addAction(text)
        action.setCheckable(True)
        action.toggled.connect(slot)
        return action

    def set_store(self, context: StoreContext | None) -> None:
        """Follow the open store; the menu shows only for a demo store."""
        controls = context.demo_controls if context is not None else None
        self._controls = controls
        self.menuAction().setVisible(controls is not None)
        for action, on in (
            (self.offline, bool(controls and controls.offline)),
            (self.slow, bool(controls and controls.latency)),
            (self.flaky, bool(controls and controls.error_rate)),
        ):
            action.blockSignals(True)
            action.setChecked(on)
            action.blockSignals(False)

    def _on_offline(self, on: bool) -> None:
        if self._controls:
            self._controls.set_offline(on)

    def _on_slow(self, on: bool) -> None:
        if self._controls:
            self._controls.set_latency(SLOW_S if on else 0.0)

    def _on_flaky(self, on: bool) -> None:
        if self._controls:
            self._controls.set_error_rate(FLAKY_RATE if on else 0.0)

    def _on_reset(self) -> None:
        for action in (self.offline, self.slow, self.flaky):
            action.setChecked(False)
