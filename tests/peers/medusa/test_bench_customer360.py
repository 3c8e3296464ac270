"""bench.customer360 at a few hundred customers against a real Medusa 2.21.2 (its own
peer, seeded with bulk-seed-customers.js and bulk-seed-orders.js), so it cannot rot."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.customer360 import run
from tests.unit.bench.test_customer360 import check, small

pytestmark = pytest.mark.peer


def test_bench_runs_on_the_medusa_peer(app_home: Path) -> None:
    doc = run(small("medusa", customers=200, orders=400))
    result = doc["stores"]["medusa"]
    assert result["orders"] == 400
    assert result["pages"] == 1
    check(result)
    assert set(doc["medusa_seeding_s"]) == {"customers_s", "orders_s", "wall_s"}
