"""Mapping a large page cooperatively: a few rows at a time, the event loop served between.

The desk's asyncio loop is the Qt thread's. A page of 250 full customers takes tens of ms
of CPU to map; in one go that freezes the window, and on a worker thread it competes for
the GIL with the loop (each handoff can cost the loop a switch interval, 5 ms). Slices
keep every step short and need no thread."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TypeVar

A = TypeVar("A")
B = TypeVar("B")

SLICE = 25  # rows per step: ~1-2 ms of mapping for full customers


async def map_in_slices(
    convert: Callable[[A], B], rows: Sequence[A], size: int = SLICE
) -> tuple[B, ...]:
    out: list[B] = []
    for start in range(0, len(rows), size):
        if start:
            await asyncio.sleep(0)  # let the loop run (paint, input) between slices
        out.extend(convert(row) for row in rows[start : start + size])
    return tuple(out)
