"""The Chec demo's strict/lenient switch, read from the environment."""

from __future__ import annotations

import pytest

from app.domain.errors import ConfigurationError
from app.services.demo_chec import LENIENT_ENV, lenient_from


def test_the_lenient_switch_takes_yes_or_no_and_refuses_anything_else() -> None:
    assert [lenient_from(v) for v in ("1", " Yes", "true", "on")] == [True] * 4
    assert [lenient_from(v) for v in ("", "0", "no", "FALSE", "off")] == [False] * 5
    with pytest.raises(ConfigurationError, match=LENIENT_ENV):
        lenient_from("lenient")
