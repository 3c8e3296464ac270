from datetime import UTC, datetime
from email.utils import format_datetime

from hypothesis import given
from hypothesis import strategies as st

from app.gateway.retry import RetryPolicy, parse_retry_after


def test_retry_after_seconds_and_ms() -> None:
    assert parse_retry_after({"retry-after": "3"}, now=0) == 3.0
    assert parse_retry_after({"retry-after-ms": "250"}, now=0) == 0.25
    assert parse_retry_after({}, now=0) is None
    assert parse_retry_after({"retry-after": "soon"}, now=0) is None


def test_retry_after_http_date() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    header = format_datetime(datetime(2026, 1, 1, 12, 0, 7, tzinfo=UTC), usegmt=True)
    assert parse_retry_after({"retry-after": header}, now=now.timestamp()) == 7.0
    past = format_datetime(datetime(2025, 1, 1, tzinfo=UTC), usegmt=True)
    assert parse_retry_after({"retry-after": past}, now=now.timestamp()) == 0.0


def test_retry_after_beyond_cap_gives_up() -> None:
    policy = RetryPolicy(max_retry_after=30)
    assert policy.delay(0, 0.5, retry_after=31) is None
    assert policy.delay(0, 0.5, retry_after=2) == 2


def test_only_idempotent_statuses_retry() -> None:
    policy = RetryPolicy(max_retries=2)
    assert policy.should_retry_status(503, 0, idempotent=True)
    assert not policy.should_retry_status(503, 0, idempotent=False)
    assert not policy.should_retry_status(500, 0, idempotent=True)
    assert not policy.should_retry_status(503, 2, idempotent=True)


def test_connect_failures_retry_whatever_the_method() -> None:
    policy = RetryPolicy()
    assert policy.should_retry_connection(0, idempotent=False, request_sent=False)
    assert not policy.should_retry_connection(0, idempotent=False, request_sent=True)


@given(attempt=st.integers(0, 20), jitter=st.floats(0, 1, exclude_max=True))
def test_backoff_is_bounded(attempt: int, jitter: float) -> None:
    policy = RetryPolicy(initial_delay=0.5, max_delay=8.0)
    delay = policy.backoff(attempt, jitter)
    assert 0.75 * min(8.0, 0.5 * 2**attempt) <= delay <= 8.0
