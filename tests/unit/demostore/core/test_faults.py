"""Fault injection: latency, error answers, dropped connections, offline; all deterministic."""

from __future__ import annotations

import random
import time
from collections import Counter

import httpx
import pytest

from demostore.core import FaultSettings


@pytest.mark.asyncio
async def test_offline_and_dropped_connections_are_transport_errors(
    anon: httpx.AsyncClient, faults: FaultSettings
) -> None:
    faults.offline = True
    with pytest.raises(httpx.ConnectError):
        await anon.get("/health")
    faults.offline = False
    faults.drop_rate = 1.0
    with pytest.raises(httpx.TransportError):
        await anon.get("/health")
    faults.reset()
    assert (await anon.get("/health")).status_code == 200


@pytest.mark.asyncio
async def test_error_answers(anon: httpx.AsyncClient, faults: FaultSettings) -> None:
    faults.error_rate = 1.0
    faults.retry_after = 3
    statuses: Counter[int] = Counter()
    for _ in range(40):
        response = await anon.get("/health")
        statuses[response.status_code] += 1
        if response.status_code == 429:
            assert response.headers["retry-after"] == "3"
        if response.status_code == 500:
            assert response.json()["type"] == "unknown_error"
    assert set(statuses) == {429, 500, 502, 503}
    faults.error_statuses = (503,)
    assert (await anon.get("/health")).status_code == 503


@pytest.mark.asyncio
async def test_latency_is_added(anon: httpx.AsyncClient, faults: FaultSettings) -> None:
    faults.latency = 0.05
    started = time.perf_counter()
    await anon.get("/health")
    assert time.perf_counter() - started >= 0.05


def test_decisions_replay_with_the_same_seed() -> None:
    def run(seed: int) -> list[tuple[int | None, bool]]:
        settings = FaultSettings(error_rate=0.3, drop_rate=0.1, rng=random.Random(seed))
        return [(d.status, d.drop) for d in (settings.decide() for _ in range(200))]

    first = run(5)
    assert first == run(5)
    assert first != run(6)
    errors = sum(1 for status, _ in first if status is not None)
    drops = sum(1 for _, drop in first if drop)
    assert 30 <= errors <= 90
    assert 5 <= drops <= 40


@pytest.mark.asyncio
async def test_a_lost_response_still_performed_the_write(
    admin: httpx.AsyncClient, faults: FaultSettings
) -> None:
    faults.lost_response_rate = 1.0
    with pytest.raises(httpx.ReadError):
        await admin.post("/admin/customers", json={"email": "lost@example.com"})
    faults.reset()
    retry = await admin.post("/admin/customers", json={"email": "lost@example.com"})
    assert retry.json()["message"].endswith("already exists.")  # the first POST did happen
