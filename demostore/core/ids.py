"""Medusa-style identifiers: ``prefix_`` + a 26-character ULID.

Ids are monotonic per factory, so ordering by id equals creation order (which
is what makes id-ordered paging and ``id[$gt]`` cursors stable).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {c: i for i, c in enumerate(_CROCKFORD)}
_RANDOM_BITS = 80
_RANDOM_MAX = (1 << _RANDOM_BITS) - 1


def _os_random_bits(bits: int) -> int:
    return int.from_bytes(os.urandom((bits + 7) // 8), "big") >> ((8 - bits % 8) % 8)


_PAIRS = [_CROCKFORD[i >> 5] + _CROCKFORD[i & 31] for i in range(1024)]


def encode_ulid(timestamp_ms: int, randomness: int) -> str:
    # Unrolled: two Crockford digits per table lookup. The generator makes
    # millions of ids, so this is worth the ugliness (~1 us per id).
    v = (timestamp_ms << _RANDOM_BITS) | randomness
    p = _PAIRS
    return (
        _CROCKFORD[v >> 125]
        + p[(v >> 115) & 1023]
        + p[(v >> 105) & 1023]
        + p[(v >> 95) & 1023]
        + p[(v >> 85) & 1023]
        + p[(v >> 75) & 1023]
        + p[(v >> 65) & 1023]
        + p[(v >> 55) & 1023]
        + p[(v >> 45) & 1023]
        + p[(v >> 35) & 1023]
        + p[(v >> 25) & 1023]
        + p[(v >> 15) & 1023]
        + p[(v >> 5) & 1023]
        + _CROCKFORD[v & 31]
    )


def ulid_timestamp_ms(ulid: str) -> int:
    value = 0
    for char in ulid[:10]:
        value = value * 32 + _DECODE[char]
    return value


class UlidFactory:
    """Monotonic ULIDs: a timestamp that goes backwards reuses the last one."""

    def __init__(self, random_bits: Callable[[int], int] = _os_random_bits) -> None:
        self._random_bits = random_bits
        self._last_ts = -1
        self._last_rand = 0
        self._lock = threading.Lock()

    def observe(self, ulid: str) -> None:
        """Never hand out an id at or below ``ulid`` (e.g. the newest stored id)."""
        body = ulid.rsplit("_", 1)[-1].upper()
        if len(body) != 26 or any(c not in _DECODE for c in body):
            return
        value = 0
        for char in body:
            value = value * 32 + _DECODE[char]
        ts, rand = value >> _RANDOM_BITS, value & _RANDOM_MAX
        with self._lock:
            if (ts, rand) > (self._last_ts, self._last_rand):
                self._last_ts, self._last_rand = ts, rand

    def new(self, prefix: str, timestamp_ms: int) -> str:
        with self._lock:
            if timestamp_ms <= self._last_ts:
                timestamp_ms = self._last_ts
                rand = self._last_rand + 1
                if rand > _RANDOM_MAX:  # astronomically unlikely; move to the next ms
                    timestamp_ms += 1
                    rand = self._random_bits(_RANDOM_BITS - 1)
            else:
                # One bit of headroom keeps increments within the same ms cheap.
                rand = self._random_bits(_RANDOM_BITS - 1)
            self._last_ts, self._last_rand = timestamp_ms, rand
        return f"{prefix}_{encode_ulid(timestamp_ms, rand)}"
