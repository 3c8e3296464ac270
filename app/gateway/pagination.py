"""Opaque page tokens the adapters hand out: `o:<offset>` and `k:<last key>`.

Callers treat tokens as opaque; an adapter reads back only the kind it wrote. Keyset
tokens page on a unique key (no row skipped or repeated while rows change); offset
tokens are for the orders a backend can only page by offset.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn

from app.domain.errors import EndlessPagesError, ErrorDetails

OFFSET = "o:"
KEYSET = "k:"


def offset_of(token: str | None) -> int:
    """The offset in an `o:` token; 0 for none (the first page) or another kind."""
    if token and token.startswith(OFFSET):
        try:
            return max(0, int(token[len(OFFSET) :]))
        except ValueError:
            pass
    return 0


def next_offset(offset: int, received: int, total: int) -> str | None:
    """The token after a page of `received` rows at `offset`, or None on the last page."""
    end = offset + received
    return f"{OFFSET}{end}" if received and end < total else None


def keyset_of(token: str | None) -> str | None:
    """The last key in a `k:` token; None for none (the first page) or another kind."""
    if token and token.startswith(KEYSET) and len(token) > len(KEYSET):
        return token[len(KEYSET) :]
    return None


def keyset_token(last_key: str) -> str:
    return f"{KEYSET}{last_key}"


# Ids of this many recent rows are remembered: a page served again is caught at once,
# a longer cycle by the row count, and memory stays bounded on a million-row sync.
_RECENT_IDS = 50_000


class PageGuard:
    """Stops a paged listing that never ends; one guard per listing, fed every page.

    A token that does not advance (handed out before), a page with more to come that brings
    no row not seen before, or far more rows than the store's own count raise
    `EndlessPagesError` instead of looping forever. A few repeated rows alone are no proof:
    offset paging on a sort key with ties (Medusa's `order=created_at`) legitimately shifts
    rows between pages; `check` returns them so a caller can leave them out.
    """

    def __init__(self, backend: str | None = None) -> None:
        self._backend = backend
        self._tokens: set[str] = set()
        self._recent: dict[str, None] = {}  # insertion-ordered: oldest first
        self._rows = 0
        self._total: int | None = None

    def check(
        self,
        token: str | None,
        ids: Iterable[str],
        next_token: str | None,
        total: int | None = None,
    ) -> frozenset[str]:
        """One page, fetched with `token`, holding rows `ids`, pointing at `next_token` (None
        on the last page); returns the ids on it that earlier pages had already brought."""
        if self._total is None and total is not None:
            self._total = total
        self._tokens.add(token or "")
        repeated: set[str] = set()
        rows = 0
        for row_id in ids:
            rows += 1
            if row_id in self._recent:
                repeated.add(row_id)
                continue
            self._recent[row_id] = None
            if len(self._recent) > _RECENT_IDS:
                del self._recent[next(iter(self._recent))]
            self._rows += 1
        if rows and len(repeated) == rows and next_token is not None:
            self._fail(f"a page of {rows} rows, all sent before")
        # Slack: rows created while a long listing runs legitimately exceed the first count.
        if self._total is not None and self._rows > self._total + max(100, self._total // 10):
            self._fail(f"{self._rows} rows read, the store counted {self._total}")
        if next_token is not None and next_token in self._tokens:
            self._fail(f"page token {next_token} handed out twice")
        return frozenset(repeated)

    def _fail(self, why: str) -> NoReturn:
        raise EndlessPagesError(details=ErrorDetails(backend=self._backend, body_excerpt=why))


def check_advances(previous: str | None, last: str | None, *, descending: bool = False) -> None:
    """A keyset page must end past the key it started after; else the cursor was ignored."""
    if previous is None or last is None:
        return
    if (last <= previous) if not descending else (last >= previous):
        raise EndlessPagesError(
            details=ErrorDetails(body_excerpt=f"page after {previous} ended at {last}")
        )
