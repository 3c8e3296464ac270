from __future__ import annotations

import asyncio

import pytest

from app.gateway.slices import map_in_slices


@pytest.mark.asyncio
async def test_every_row_is_mapped_in_order_and_the_loop_runs_between_slices() -> None:
    ticks = 0
    seen: list[int] = []  # the ticks when each row was mapped

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    def convert(row: int) -> str:
        seen.append(ticks)
        return str(row)

    beat = asyncio.ensure_future(ticker())
    await asyncio.sleep(0)
    try:
        out = await map_in_slices(convert, list(range(23)), size=5)
    finally:
        beat.cancel()
    assert out == tuple(str(n) for n in range(23))
    # One step per slice of 5: rows of a slice share a tick, the next slice sees a later one.
    assert [seen[i] for i in (0, 5, 10, 15, 20)] == sorted(set(seen))
    assert len(set(seen)) == 5


@pytest.mark.asyncio
async def test_no_rows_no_step() -> None:
    assert await map_in_slices(str, []) == ()
