"""Rows of the customer list by position: what a view scrolled (or dragged, or sent with
Ctrl+End) to any place of a long list needs, without paging through what lies before.

The window's row ids come from the sort index alone (a covering walk: no customer row is
read for the rows skipped), then only the window's rows are read. A position past the
middle walks from the other end of the order, so the last rows cost what the first do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.domain.customer import CustomerSummary
from app.domain.query import CustomerQuery
from app.mirror.customer_rows import SUMMARY_COLUMNS
from app.mirror.search import Search, filters, order, text_match


def window_filter(
    query: CustomerQuery, phone_region: str | None = None
) -> tuple[list[str], list[Any]]:
    """The WHERE clauses selecting `query`'s matches (the free text through the trigram
    index where it can, refined row by row where it cannot say alone)."""
    where, params = filters(query)
    match = text_match(query.text, phone_region)
    if match is None:
        return where, params
    if match.fts is None:
        return [match.condition, *where], [*match.params, *params]
    clauses = ["c.rid IN (SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?)"]
    values: list[Any] = [match.fts]
    if not match.exact:
        clauses.append(match.condition)
        values.extend(match.params)
    return [*clauses, *where], [*values, *params]


class Positions(Search):
    def rows_at(
        self,
        query: CustomerQuery,
        offset: int,
        size: int,
        *,
        total: int | None = None,
        phone_region: str | None = None,
    ) -> list[CustomerSummary]:
        """The matches of `query` at positions [offset, offset + size) in its order.

        `total` (the number of matches, when known) lets a window past the middle be
        read from the end of the order.
        """
        if size <= 0 or offset < 0 or (total is not None and offset >= total):
            return []
        field, desc = query.sort.field, query.sort.descending
        where, params = window_filter(query, phone_region)
        from_end = total is not None and offset > total // 2
        if from_end:
            assert total is not None
            end = min(offset + size, total)
            offset, size = total - end, end - offset
        condition = " AND ".join(where) or "1"
        ids = (
            f"SELECT c.rid FROM customer c WHERE {condition} "
            f"ORDER BY {order(field, desc != from_end)} LIMIT ? OFFSET ?"
        )
        rows: Sequence[Any] = self.conn.execute(
            f"SELECT {SUMMARY_COLUMNS} FROM customer c WHERE c.rid IN ({ids}) "
            f"ORDER BY {order(field, desc)}",
            [*params, size, offset],
        ).fetchall()
        # With their order figures, as the paged list has them (blank would read unknown).
        return list(self._with_stats(self._summaries(rows)))
