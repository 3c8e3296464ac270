"""Timestamps as Medusa prints them, and their storage form.

Stored form: ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (fixed width, so text order is
time order in SQLite). Printed form: milliseconds and ``Z`` like JavaScript's
``Date.toISOString()``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], float]
"""Returns seconds since the epoch; injectable so tests can move time."""


def system_clock() -> float:
    return time.time()


_DAY_MS = 86_400_000
_DAY_PREFIX: dict[int, str] = {}


def stored_from_ms(epoch_ms: int) -> str:
    # Hot in the data generator: format the date part once per day, the rest arithmetically.
    day, rest = divmod(epoch_ms, _DAY_MS)
    prefix = _DAY_PREFIX.get(day)
    if prefix is None:
        prefix = _DAY_PREFIX[day] = time.strftime("%Y-%m-%dT", time.gmtime(day * 86_400))
    hours, rest = divmod(rest, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{prefix}{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}000Z"


def stored_from_datetime(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"


def printed(stored: str | None) -> str | None:
    if stored is None:
        return None
    return stored[:23] + "Z"


def parse_filter_timestamp(value: str) -> str | None:
    """Parse a date filter value the way PostgreSQL would accept common forms.

    Returns the stored form, or None when the value is not a date (Medusa then
    answers 500, because PostgreSQL rejects the cast).
    """
    text = value.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        return None
    return stored_from_datetime(moment)


class MonotonicMillis:
    """Milliseconds from a clock, never going backwards within one store."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._last = 0

    def now_ms(self) -> int:
        current = int(self._clock() * 1000)
        if current < self._last:
            current = self._last
        self._last = current
        return current
