"""When to retry a request and how long to wait: pure functions, no I/O.

Rules (openai-python / stripe): retry idempotent requests on connection failures and on
408, 429, 502, 503, 504; a request that never reached the server (connect failure) is
safe to retry whatever its method. Wait what `Retry-After` says when it is within the cap,
otherwise back off exponentially with jitter. Randomness and the clock are parameters.
"""

from __future__ import annotations

import email.utils
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    # A Retry-After beyond this is not honoured: we give up rather than freeze a desk.
    max_retry_after: float = 30.0
    statuses: frozenset[int] = field(default_factory=lambda: frozenset({408, 429, 502, 503, 504}))

    def should_retry_status(self, status: int, attempt: int, *, idempotent: bool) -> bool:
        return idempotent and attempt < self.max_retries and status in self.statuses

    def should_retry_connection(
        self, attempt: int, *, idempotent: bool, request_sent: bool
    ) -> bool:
        return attempt < self.max_retries and (idempotent or not request_sent)

    def backoff(self, attempt: int, jitter: float) -> float:
        """Delay before retry number `attempt + 1`; `jitter` is uniform in [0, 1)."""
        base = min(self.max_delay, self.initial_delay * (2**attempt))
        # "Equal jitter": keep at least 3/4 of the base so retries stay spread but bounded.
        return float(base * (1 - 0.25 * jitter))

    def delay(self, attempt: int, jitter: float, retry_after: float | None) -> float | None:
        """Seconds to wait, or None when the server asks for longer than we will wait."""
        if retry_after is not None:
            if retry_after > self.max_retry_after:
                return None
            return max(0.0, retry_after)
        return self.backoff(attempt, jitter)


def parse_retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds from `Retry-After` (delta-seconds or HTTP-date) or `retry-after-ms`."""
    ms = headers.get("retry-after-ms")
    if ms is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)
