"""`DemoControls` turns the demo server's fault knobs, and only within their ranges."""

from __future__ import annotations

import pytest

from app.services.demo_controls import DemoControls
from demostore.core import FaultSettings


def test_the_controls_turn_the_servers_knobs_and_read_them_back() -> None:
    faults = FaultSettings()
    controls = DemoControls(faults)
    controls.set_offline(True)
    controls.set_latency(0.8)
    controls.set_error_rate(0.2)
    assert (faults.offline, faults.latency, faults.error_rate) == (True, 0.8, 0.2)
    assert (controls.offline, controls.latency, controls.error_rate) == (True, 0.8, 0.2)
    controls.reset()
    assert (faults.offline, faults.latency, faults.error_rate) == (False, 0.0, 0.0)


def test_out_of_range_knobs_are_refused_and_change_nothing() -> None:
    faults = FaultSettings(latency=0.1, error_rate=0.1)
    controls = DemoControls(faults)
    with pytest.raises(ValueError, match="negative"):
        controls.set_latency(-1)
    with pytest.raises(ValueError, match="between 0 and 1"):
        controls.set_error_rate(1.5)
    assert (faults.latency, faults.error_rate) == (0.1, 0.1)
