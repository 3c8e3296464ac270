"""`DemoControls`: the demo store's fault knobs as the desk turns them (the Demo menu,
screenshots), so the UI never reaches into the demo server's own settings object.

No import of the demo store itself: the knobs are reached through a small protocol, and
this module stays cheap for the UI to load.
"""

from __future__ import annotations

from typing import Protocol


class FaultKnobs(Protocol):
    """What the demo server's fault settings offer (`demostore.core.FaultSettings`)."""

    latency: float
    error_rate: float
    offline: bool

    def reset(self) -> None: ...


class DemoControls:
    """Simulate an unreachable, slow or flaky demo store while it runs."""

    def __init__(self, knobs: FaultKnobs) -> None:
        self._knobs = knobs

    @property
    def offline(self) -> bool:
        return self._knobs.offline

    @property
    def latency(self) -> float:
        """Seconds added to each request (0: none)."""
        return self._knobs.latency

    @property
    def error_rate(self) -> float:
        """Share of requests answered with a server error (0: none)."""
        return self._knobs.error_rate

    def set_offline(self, on: bool) -> None:
        self._knobs.offline = on

    def set_latency(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("latency cannot be negative")
        self._knobs.latency = seconds

    def set_error_rate(self, rate: float) -> None:
        if not 0 <= rate <= 1:
            raise ValueError("the error rate is a share between 0 and 1")
        self._knobs.error_rate = rate

    def reset(self) -> None:
        """Back to normal: every knob off."""
        self._knobs.reset()
