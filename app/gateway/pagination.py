"""Opaque page tokens the adapters hand out: `o:<offset>` and `k:<last key>`.

Callers treat tokens as opaque; an adapter reads back only the kind it wrote. Keyset
tokens page on a unique key (no row skipped or repeated while rows change); offset
tokens are for the orders a backend can only page by offset.
"""

from __future__ import annotations

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
