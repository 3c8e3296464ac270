"""The packaged tests build and install the frozen app: off unless MERCHANT_DESK_PACKAGED=1.

They are not deselected by addopts (CI must run them): `.ci/run` sets the variable after
`bash scripts/package`; a plain `pytest` reports them as skipped, with the way to run them.
"""

from __future__ import annotations

import os

import pytest

PACKAGED_ENV = "MERCHANT_DESK_PACKAGED"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get(PACKAGED_ENV) == "1":
        return
    skip = pytest.mark.skip(
        reason=f"builds/installs the frozen app; run with {PACKAGED_ENV}=1 (CI does)"
    )
    for item in items:
        if item.get_closest_marker("packaged"):
            item.add_marker(skip)
