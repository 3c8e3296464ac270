"""Searching the mirror's customer list: the SQL (filters, free text, sort order, keyset
paging, the choice of plan) and `Search`, which runs it.

Free text (`text_match`) has two forms with the same meaning: an FTS5 trigram expression
(fast for terms of three or more characters) and a row condition (`instr` on the search
text) that an ordered scan tests row by row. Which one answers a query is chosen per
query (`Strategy`). The page tokens are this module's own (`TOKEN_PREFIX`).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.domain.customer import CustomerSummary
from app.domain.query import CustomerQuery, DateRange, OrderFilter, Page, SortField
from app.mirror import order_figures, text
from app.mirror.customer_rows import SUMMARY_COLUMNS, CustomerRows
from app.mirror.order_rows import OrderRows
from app.mirror.tables import to_micros

TOKEN_PREFIX = "mirror:"  # the mirror's page tokens; + the last row's sort value and id
_HITS = "SELECT rid FROM temp.hits"
# The raw fields `like_any` tests (ILIKE semantics need NULL apart from "").
_RAW_SEARCHED = "c.first_name, c.last_name, c.email, c.phone, c.company"
# Sort column per field; the nullable ones sort NULLs as PostgreSQL does (last ascending).
_NULLABLE = frozenset(
    {SortField.EMAIL, SortField.FIRST_NAME, SortField.LAST_NAME, SortField.PHONE, SortField.COMPANY}
)


def _bound(moment: datetime) -> int:
    # The adapter sends bounds with millisecond precision, truncated: compare the same.
    micros = to_micros(moment)
    return micros - micros % 1000


# --- free text ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextMatch:
    """A free-text query, as the mirror can answer it.

    `condition`/`params` is the exact test of one row. `fts`, when set, is an FTS5
    expression whose matches include every matching row; `exact` says it selects exactly
    them (every token had three or more characters and no LIKE pattern characters).
    """

    condition: str
    params: tuple[Any, ...]
    fts: str | None
    exact: bool
    raw: bool = False  # the condition tests the raw fields too (`like_any`)


def text_match(query_text: str, phone_region: str | None = None) -> TextMatch | None:
    """Every token must be a substring of one searched field, up to folding: one of the
    token's folded forms is in the field's folded forms (see `app.mirror.text`). A
    phone-like query also matches phones by digits; `phone_region` is the store's
    country, for numbers typed in national form."""
    words = text.tokens(query_text)
    if not words:
        return None
    conditions: list[str] = []
    params: list[Any] = []
    phrases: list[str] = []
    exact = True
    for token in words:
        if text.has_like_specials(token):
            conditions.append(f"like_any(?, {_RAW_SEARCHED})")
            params.append(f"%{token}%")
            exact = False
            continue
        forms = text.folded_forms(token)
        tests = ["instr(c.k_text, ?) > 0"] * len(forms)
        conditions.append(tests[0] if len(tests) == 1 else "(" + " OR ".join(tests) + ")")
        params.extend(forms)
        if all(len(form) >= 3 for form in forms):
            phrase = " OR ".join(text.fts_phrase(form) for form in forms)
            phrases.append(phrase if len(forms) == 1 else f"({phrase})")
        else:
            exact = False  # trigram MATCH finds nothing below three characters
    condition = " AND ".join(conditions)
    fts = "{k_text} : (" + " AND ".join(phrases) + ")" if phrases else None
    phones = text.phone_query_forms(query_text, phone_region)
    if phones:
        # A phone-like query also matches phones by their digits alone.
        by_digits = " OR ".join(["instr(c.k_phone_digits, ?) > 0"] * len(phones))
        condition = f"(({condition}) OR {by_digits})"
        params.extend(phones)
        if fts is not None:
            numbers = " OR ".join(text.fts_phrase(d) for d in phones)
            fts = f"({fts}) OR ({{k_phone_digits}} : ({numbers}))"
    raw = any(text.has_like_specials(token) for token in words)
    return TextMatch(condition, tuple(params), fts, exact and fts is not None, raw)


# --- other filters -----------------------------------------------------------------------


def _range(
    column: str, span: DateRange, bound: Callable[[datetime], int] = _bound
) -> tuple[list[str], list[Any]]:
    """Half-open [start, end) on `column`, each end made a stored time by `bound`."""
    where: list[str] = []
    params: list[Any] = []
    if span.start is not None:
        where.append(f"{column} >= ?")
        params.append(bound(span.start))
    if span.end is not None:
        where.append(f"{column} < ?")
        params.append(bound(span.end))
    return where, params


def filters(query: CustomerQuery) -> tuple[list[str], list[Any]]:
    """WHERE clauses and parameters of every filter except the free text."""
    where: list[str] = []
    params: list[Any] = []
    if query.has_account is not None:
        where.append("c.has_account = ?")
        params.append(int(query.has_account))
    if query.group_ids:
        marks = ",".join("?" * len(query.group_ids))
        where.append(f"c.id IN (SELECT customer_id FROM group_member WHERE group_id IN ({marks}))")
        params.extend(sorted(query.group_ids))
    if query.email:
        where.append("c.email = ?")
        params.append(query.email)
    for column, span in (("c.created_at", query.created), ("c.updated_at", query.updated)):
        w, p = _range(column, span)
        where.extend(w)
        params.extend(p)
    w, p = order_filters(query.orders)
    return [*where, *w], [*params, *p]


def _order_range(column: str, span: DateRange) -> tuple[list[str], list[Any]]:
    # Order times are the mirror's own (no backend compares them): exact bounds.
    return _range(column, span, to_micros)


def order_filters(wanted: OrderFilter) -> tuple[list[str], list[Any]]:
    """WHERE clauses on the order figures (the customer row's `o_*` columns): cancelled
    orders never count; amounts are in the store's main currency."""
    where: list[str] = []
    params: list[Any] = []
    if wanted.has_orders is not None:
        where.append("c.o_count > 0" if wanted.has_orders else "c.o_count = 0")
    if wanted.min_spent is not None:
        # Spent only exists in the main currency for customers with orders in it.
        where.append("c.o_spent_text IS NOT NULL AND c.o_spent >= ?")
        params.append(order_figures.units(wanted.min_spent))
    if not wanted.last_order.is_open():
        w, p = _order_range("c.o_last_at", wanted.last_order)
        where.extend(["c.o_count > 0", *w])
        params.extend(p)
    if not wanted.ordered.is_open():
        w, p = _order_range("o.created_at", wanted.ordered)
        where.append(
            "EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.cancelled = 0 "
            f"AND {' AND '.join(w)})"
        )
        params.extend(p)
    return where, params


@dataclass(frozen=True, slots=True)
class FilterRange:
    """One order filter as a range of its figure index (`schema._FIGURE_INDEXES`): the
    rows passing it are that range, whatever else the query asks."""

    index: str
    column: str  # the index's key (the figure sort using it walks only the range)
    condition: str
    params: tuple[Any, ...]


def filter_ranges(wanted: OrderFilter) -> list[FilterRange]:
    """The order filters an index range answers (each row of the range passes it)."""
    out: list[FilterRange] = []
    if wanted.min_spent is not None:
        units = order_figures.units(wanted.min_spent)
        out.append(FilterRange("customer_by_spent", "o_spent", "c.o_spent >= ?", (units,)))
    if not wanted.last_order.is_open():
        w, p = _order_range("c.o_last_at", wanted.last_order)
        out.append(FilterRange("customer_by_last_order", "o_last_at", " AND ".join(w), (*p,)))
    if wanted.has_orders:
        out.append(FilterRange("customer_by_orders", "o_count", "c.o_count > 0", ()))
    return out


# --- order and keyset paging -------------------------------------------------------------


# Names sort by collation keys (`app.mirror.collation`), NULL exactly when the name is.
# Order figures sort by the customer row's keys (`app.mirror.order_figures`): NOT NULL,
# 0 for a customer without orders.
_SORT_KEYS = {
    SortField.FIRST_NAME: "k_first_sort",
    SortField.LAST_NAME: "k_last_sort",
    SortField.ORDER_COUNT: "o_count",
    SortField.SPENT: "o_spent",
    SortField.LAST_ORDER_AT: "o_last_at",
}


def sort_column(field: SortField) -> str:
    return f"c.{_SORT_KEYS.get(field, field.value)}"


def order(field: SortField, desc: bool) -> str:
    d = "DESC" if desc else "ASC"
    col = sort_column(field)
    if field is SortField.ID:
        return f"c.id {d}"
    if field in _NULLABLE:
        # PostgreSQL: NULLs last ascending, first descending; the id breaks ties.
        return f"({col} IS NULL) {d}, {col} {d}, c.id {d}"
    return f"{col} {d}, c.id {d}"


def is_page_token(page_token: str) -> bool:
    """Whether a page token is the mirror's (a page continues where its search started)."""
    return page_token.startswith(TOKEN_PREFIX)


def encode_token(sort_value: Any, last_id: str) -> str:
    return TOKEN_PREFIX + json.dumps([sort_value, last_id])


def decode_token(token: str | None) -> tuple[Any, str] | None:
    if not token:
        return None
    if not token.startswith(TOKEN_PREFIX):
        raise ValueError(f"not a mirror page token: {token!r}")
    value, last_id = json.loads(token[len(TOKEN_PREFIX) :])
    return value, str(last_id)


def keyset(field: SortField, desc: bool, after: tuple[Any, str]) -> tuple[str, list[Any]]:
    """Rows strictly after `after` (the last row's sort value and id) in `order`."""
    value, last_id = after
    op = "<" if desc else ">"
    col = sort_column(field)
    if field is SortField.ID:
        return f"c.id {op} ?", [last_id]
    if field not in _NULLABLE:
        return f"({col}, c.id) {op} (?, ?)", [value, last_id]
    if value is None:
        if desc:  # NULLs come first descending: the rest of the NULLs, then every value
            return f"({col} IS NOT NULL OR c.id < ?)", [last_id]
        return f"({col} IS NULL AND c.id > ?)", [last_id]
    if desc:
        return f"({col} IS NOT NULL AND ({col}, c.id) < (?, ?))", [value, last_id]
    return f"({col} IS NULL OR ({col}, c.id) > (?, ?))", [value, last_id]


# --- choosing how to find a page ---------------------------------------------------------


class Strategy(enum.Enum):
    """How a page of a free-text search is found. Every strategy gives the same page."""

    # Look up every trigram match, sort them, keep a page: cost grows with the matches.
    COLLECT = "collect"
    # Walk the sort index keeping the rows among the trigram matches: cost grows with
    # the rows walked until a page is found.
    WALK = "walk"
    # Walk the sort order testing each row's text (no trigram expression to help).
    SCAN = "scan"
    # Read an order filter's index range, testing each row's text, then sort
    # (`plan_filtered`): cost grows with the rows passing the filter.
    RANGE = "range"


# Every search with a trigram expression first scans PROBE_WINDOW rows of the sort order
# (<= 0.4 ms): a common term ("gmail", 30% of rows) has its page by then, without paying
# for its 30,000 matches. The others' matches are collected (temp.hits), then planned.
PROBE_WINDOW = 1000

# A probe that found some matches but not a page tells how dense the term is along the
# sort order. When that density promises the page within a scan cheaper than collecting
# the term's matches ("müller" at 1,000,000 rows: 24,000 matches, ~10 ms to collect; its
# page within ~4,000 rows, ~3 ms to scan), a longer scan goes on: SCAN_SLACK times the
# rows the density promises, at most. Costs in microseconds, measured at 1,000,000
# customers: walking one row of a sort index and testing its text (a table lookup; the
# default order's index `customer_by_id_text` covers the text), and putting one trigram
# match into temp.hits.
SCAN_SLACK = 2
SCAN_PER_ROW = 1.4
SCAN_PER_ROW_COVERED = 0.22
HIT_PER_MATCH = 0.4


def scan_cost(field: SortField) -> float:
    """Microseconds to walk one row in `field`'s order testing its text."""
    return SCAN_PER_ROW_COVERED if field is SortField.ID else SCAN_PER_ROW


# Costs in microseconds, measured at 100,000 customers (the issue 5 note has the
# profile): looking up and sorting one match; walking one row of the sort index with a
# membership test; counting one posting of one trigram in the index; testing one row of
# the narrow text index.
COLLECT_PER_MATCH = 1.6
REFINE_PER_MATCH = 0.8  # looking up a match to test its other tokens (no sort)
WALK_PER_ROW = 0.12
# A WALK reads at most this many times the rows the plan expects (`_walk_window`).
WALK_SLACK = 4
FTS_COUNT_PER_POSTING = 0.03
SCAN_COUNT_PER_ROW = 0.09
# Rows sampled (in storage order) to guess how common an exactly-indexed term is.
COUNT_SAMPLE = 500


def plan(matches: int, rows: int, page_size: int) -> Strategy:
    """The cheaper way to a page (collect or walk), given how many rows the trigram
    expression selects out of about `rows`. Without an expression only a scan can answer.

    Matches are taken as spread evenly over the sort order: a page then needs
    `page_size * rows / matches` rows walked.
    """
    walked = (page_size + 1) * max(rows, 1) / max(matches, 1)
    collect = COLLECT_PER_MATCH * matches
    return Strategy.COLLECT if collect <= WALK_PER_ROW * walked else Strategy.WALK


def scan_on(found: int, window: int, rows: int, page_size: int, per_row: float) -> int | None:
    """After a probe of `window` rows found `found` (fewer than a page): the longer scan
    window worth trying before collecting every match, or None (collect).

    The probe's density stands for the whole sort order: a page then needs
    `(page_size + 1) / density` rows scanned, where collecting costs every match and then
    the cheaper way to a page among them (`plan`)."""
    if found <= 0 or window <= 0:
        return None
    density = found / window
    needed = (page_size + 1) / density
    matches = density * max(rows, 1)
    walked = (page_size + 1) * max(rows, 1) / max(matches, 1)
    collect = HIT_PER_MATCH * matches + min(COLLECT_PER_MATCH * matches, WALK_PER_ROW * walked)
    if per_row * needed > collect:
        return None
    # Matches bunch (a run of one family's accounts): the window may hold fewer than
    # promised. It never scans for longer than collecting would take.
    return int(min(needed * SCAN_SLACK, collect / per_row))


def collect_after_walk(matches: int, rows: int) -> bool:
    """After a walk's window held no page (the matches are bunched further on): collect
    every match, or walk on? Collecting wins when it costs well under the longest walk
    (to the end of the index); a broad term ("gmail" by first name, descending) walks
    on, a few thousand rows more at worst, where collecting would sort 30% of the rows."""
    return COLLECT_PER_MATCH * matches <= WALK_PER_ROW * rows / 2


def count_by_scan(match: TextMatch, matches: float, rows: int) -> bool:
    """Whether counting an exact term by scanning the rows beats counting in the index,
    for about `matches` matches (each token's trigrams all hold every match)."""
    postings = matches * sum(max(len(token) - 2, 1) for token in match.params)
    return SCAN_COUNT_PER_ROW * rows < FTS_COUNT_PER_POSTING * postings


def refine_by_scan(matches: int, rows: int) -> bool:
    """Whether counting a term with tokens the index cannot check ("e gmbh": "e") is
    cheaper by scanning every row than by looking up each of the index's `matches`."""
    return SCAN_COUNT_PER_ROW * rows < REFINE_PER_MATCH * matches


# An order filter with free text ("spent at least 1,000" and "müller"): walking the sort
# order tests the filter on a table row per index entry, and a selective filter (1% of
# the rows) makes that walk long, as long as the whole index when the term's page is not
# there. Reading the filter's own index range instead costs the rows in that range. Its
# size is counted in the index, up to RANGE_COUNT_CAP entries (~0.02 us each, paid by
# every broad filter too); beyond that a range (>= 6 ms) rarely beats both the walk and
# collecting the matches (`plan_filtered`). Costs in microseconds at 100,000 customers:
# reading one row of the range (lookup and text test, then the sort of the survivors);
# walking one sort-index row with the filter tested on its table row.
RANGE_COUNT_CAP = 10_000
RANGE_PER_ROW = 0.6
FILTERED_WALK_PER_ROW = 0.6


def plan_filtered(
    in_range: int, text_share: float, rows: int, page_size: int, *, fts: bool
) -> Strategy:
    """The cheapest way to the first page of free text within an order filter whose index
    range holds `in_range` rows of about `rows`: read the range (RANGE), collect the
    term's matches (COLLECT, for a term the trigram index selects: `fts`), or walk the
    sort order for rows passing both (WALK: the unfiltered plan's probe and walk). The
    text matches a share `text_share` of the rows, taken as independent of the filter."""
    rows = max(rows, 1)
    both = max(in_range / rows * text_share, 1 / rows)
    costs = {
        Strategy.WALK: FILTERED_WALK_PER_ROW * min(rows, (page_size + 1) / both),
        Strategy.RANGE: RANGE_PER_ROW * in_range,
    }
    if fts:
        costs[Strategy.COLLECT] = (HIT_PER_MATCH + COLLECT_PER_MATCH) * text_share * rows
    return min(costs, key=lambda s: costs[s])


# --- running a search --------------------------------------------------------------------


class Search(CustomerRows, OrderRows):
    """A page of the customer list and its count, as planned above."""

    def search(
        self,
        query: CustomerQuery,
        page_token: str | None = None,
        *,
        count: bool = True,
        phone_region: str | None = None,
    ) -> Page[CustomerSummary]:
        """One page of `query`, with the backend's matching and order, exact keyset paging.

        The first page carries the total when it comes free (a free-text search the
        trigram index answers alone) or when `count` is true; a desk asks for the page
        without it and for `count_matches()` afterwards, so rows show before a broad term
        is counted. `phone_region` is the store's country, for phone numbers typed in
        national form.
        """
        field, desc = query.sort.field, query.sort.descending
        where, params = filters(query)
        filtered = bool(where)
        after = decode_token(page_token)
        if after is not None:
            clause, values = keyset(field, desc, after)
            where.append(clause)
            params.extend(values)
        match = text_match(query.text, phone_region)
        total: int | None = None
        if match is None:
            rows = self._page(query, where, params)
        elif (ranged := self._order_filtered_page(query, match, where, params)) is not None:
            rows = ranged
        else:
            probe = None
            if match.fts is not None and PROBE_WINDOW > 0:
                found = self._scan_window(query, match, where, params, PROBE_WINDOW)
                probe = found if len(found) > query.page_size else None
                window = scan_on(
                    len(found),
                    PROBE_WINDOW,
                    self._row_estimate(),
                    query.page_size,
                    scan_cost(field),
                )
                if probe is None and window is not None and window > PROBE_WINDOW:
                    found = self._scan_window(query, match, where, params, window)
                    probe = found if len(found) > query.page_size else None
            if probe is not None:
                rows = probe
            else:
                matches = None if match.fts is None else self._collect_hits(match.fts)
                if matches == 0:
                    return Page(items=(), total=None if page_token else 0, next_token=None)
                if match.exact and not filtered and page_token is None:
                    total = matches
                rows = self._text_page(query, match, matches, where, params)
        more = len(rows) > query.page_size
        rows = rows[: query.page_size]
        if total is None and page_token is None and count:
            total = self.count_matches(query, phone_region)
        last = rows[-1] if more and rows else None
        return Page(
            items=self._with_stats(self._summaries([r[:-1] for r in rows])),
            total=total,
            next_token=None if last is None else encode_token(last[-1], last[0]),
        )

    def _order_filtered_page(
        self, query: CustomerQuery, match: TextMatch, where: Sequence[str], params: Sequence[Any]
    ) -> list[Any] | None:
        """The page of free text within an order filter, when its index range is small
        enough to plan by (`plan_filtered`) and the plan is not the walk; else None (the
        unfiltered plan's probe and walk). A figure sort on the range's own column already
        walks only the range: None then too.

        The walk's windows count rows passing the filter, so a selective filter makes
        them long: a rare term within "spent at least" 1% of the customers walked the
        whole sort index twice (140 ms at 100,000 customers) where its matches take 1 ms.
        """
        sorted_by = _SORT_KEYS.get(query.sort.field)
        if any(r.column == sorted_by for r in filter_ranges(query.orders)):
            return None
        narrowest = self._narrowest_range(query.orders)
        if narrowest is None:
            return None
        in_range, best = narrowest
        rows = self._row_estimate()
        share = self._text_share(match, rows)
        strategy = plan_filtered(in_range, share, rows, query.page_size, fts=match.fts is not None)
        field, desc = query.sort.field, query.sort.descending
        if strategy is Strategy.RANGE:
            return self.conn.execute(
                f"SELECT {SUMMARY_COLUMNS}, {sort_column(field)} FROM customer c "
                f"INDEXED BY {best.index} WHERE {best.condition} AND {match.condition} "
                f"{''.join(' AND ' + w for w in where)} ORDER BY {order(field, desc)} LIMIT ?",
                [*best.params, *match.params, *params, query.page_size + 1],
            ).fetchall()
        if strategy is Strategy.COLLECT and match.fts is not None:
            if self._collect_hits(match.fts) == 0:
                return []
            refine = [] if match.exact else [match.condition]
            refine_params = [] if match.exact else list(match.params)
            return self._page(
                query, [f"c.rid IN ({_HITS})", *refine, *where], [*refine_params, *params]
            )
        return None

    def _narrowest_range(self, wanted: OrderFilter) -> tuple[int, FilterRange] | None:
        """The order filter's index range with the fewest rows, and how many, if under
        RANGE_COUNT_CAP (and its index is there)."""
        ranges = [r for r in filter_ranges(wanted) if self._has_index(r.index)]
        sized = [(self._range_size(r), r) for r in ranges]
        best = min(sized, key=lambda s: s[0], default=None)
        return best if best is not None and best[0] < RANGE_COUNT_CAP else None

    def _range_size(self, span: FilterRange) -> int:
        """Rows in an index range, counted up to RANGE_COUNT_CAP."""
        return int(
            self.conn.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM customer c INDEXED BY {span.index} "
                f"WHERE {span.condition} LIMIT {RANGE_COUNT_CAP})",
                span.params,
            ).fetchone()[0]
        )

    def _has_index(self, name: str) -> bool:
        # A bulk load drops the figure indexes until its end (`begin_order_bulk`).
        return (
            self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
            ).fetchone()
            is not None
        )

    def _text_share(self, match: TextMatch, rows: int) -> float:
        """The share of rows matching the text, from a systematic sample (every k-th
        rowid, the whole creation range) of COUNT_SAMPLE rows; at least half a sampled
        row's worth, so a term the sample misses is rare, not absent."""
        step = max(1, rows // COUNT_SAMPLE)
        found, hits = self.conn.execute(
            "WITH RECURSIVE s(r) AS (SELECT 1 UNION ALL SELECT r + ? FROM s WHERE r + ? <= ?) "
            f"SELECT count(*), coalesce(sum({match.condition}), 0) "
            "FROM s JOIN customer c ON c.rid = s.r",
            [step, step, rows, *match.params],
        ).fetchone()
        return max(int(hits), 0.5) / max(int(found), 1)

    def _with_stats(self, rows: list[CustomerSummary]) -> tuple[CustomerSummary, ...]:
        """The rows with their order figures, once every order is mirrored."""
        if not rows or not self.orders_mirrored():
            return tuple(rows)
        stats = self.order_stats(c.id for c in rows)
        return tuple(c.model_copy(update={"orders": stats.get(c.id)}) for c in rows)

    def _page(self, query: CustomerQuery, where: Sequence[str], params: Sequence[Any]) -> list[Any]:
        field, desc = query.sort.field, query.sort.descending
        return self.conn.execute(
            f"SELECT {SUMMARY_COLUMNS}, {sort_column(field)} FROM customer c "
            f"WHERE {' AND '.join(where) or '1'} ORDER BY {order(field, desc)} LIMIT ?",
            [*params, query.page_size + 1],
        ).fetchall()

    def _text_page(
        self,
        query: CustomerQuery,
        match: TextMatch,
        matches: int | None,
        where: list[str],
        params: list[Any],
    ) -> list[Any]:
        strategy = Strategy.SCAN  # without a trigram expression only a scan answers
        if match.fts is not None and matches is not None:
            strategy = plan(matches, self._row_estimate(), query.page_size)
        if strategy is Strategy.SCAN:
            return self._page(query, [match.condition, *where], [*match.params, *params])
        refine = [] if match.exact else [match.condition]
        refine_params = [] if match.exact else list(match.params)
        member = "c.rid"
        if strategy is Strategy.WALK:
            assert matches is not None
            rows = self._walk_window(query, refine, refine_params, where, params, matches)
            if rows is not None:
                return rows
            if not collect_after_walk(matches, self._row_estimate()):
                # A unary `+` keeps SQLite from looking rows up by the hits: it walks the
                # sort index to the end if need be, testing membership.
                member = "+c.rid"
        # COLLECT: look every hit up and sort them.
        where = [f"{member} IN ({_HITS})", *refine, *where]
        return self._page(query, where, [*refine_params, *params])

    def _walk_window(
        self,
        query: CustomerQuery,
        refine: Sequence[str],
        refine_params: Sequence[Any],
        where: Sequence[str],
        params: Sequence[Any],
        matches: int,
    ) -> list[Any] | None:
        """WALK, bounded: the page from a window of the sort index, tested for membership
        in the hits, if the window holds a whole page; else None (then COLLECT).

        The plan takes the matches as spread evenly over the sort order; they are often
        bunched ("zoe" by first name, "+49" by phone sit at one end), and an unbounded
        walk then reads most of the index (12 ms at 100,000 rows, 10x that at 1,000,000).
        The window, WALK_SLACK times the rows the plan expects to walk, caps that.
        """
        field, desc = query.sort.field, query.sort.descending
        expected = (query.page_size + 1) * max(self._row_estimate(), 1) / max(matches, 1)
        window = int(max(expected * WALK_SLACK, PROBE_WINDOW))
        columns = SUMMARY_COLUMNS.replace("c.", "")
        # The inner walk reads the sort index alone (rid and key); only rows among the
        # hits are looked up. No outer ORDER BY: the window's order, as `_scan_window`.
        rows = self.conn.execute(
            f"SELECT {columns}, sort_value FROM ("
            f"SELECT c.rid AS rid, {sort_column(field)} AS sort_value FROM customer c "
            f"WHERE {' AND '.join(where) or '1'} ORDER BY {order(field, desc)} LIMIT {window}"
            f") AS w CROSS JOIN customer c ON c.rid = w.rid "
            f"WHERE w.rid IN ({_HITS}) {''.join(' AND ' + r for r in refine)} LIMIT ?",
            [*params, *refine_params, query.page_size + 1],
        ).fetchall()
        return rows if len(rows) > query.page_size else None

    def _scan_window(
        self,
        query: CustomerQuery,
        match: TextMatch,
        where: Sequence[str],
        params: Sequence[Any],
        window: int,
    ) -> list[Any]:
        """The matches among the next `window` rows in sort order, up to a page and one.

        The window is a prefix of the sort order, so a full page found in it is exactly
        the page overall; fewer say how dense the term is. SQLite runs the window as a
        co-routine walking the sort index: rows are tested as they come and the walk
        stops with the page, so a dense term costs a few hundred rows, not the window.
        """
        field, desc = query.sort.field, query.sort.descending
        columns = SUMMARY_COLUMNS.replace("c.", "")
        # The walk reads the sort key, the search text and what the test needs: for the
        # default order (id) the covering `customer_by_id_text` index alone. Only the
        # page's rows are looked up in the table.
        tested = "c.k_text, c.k_phone_digits" + (f", {_RAW_SEARCHED}" if match.raw else "")
        rows = self.conn.execute(
            f"SELECT {columns}, w.sort_value FROM (SELECT rid, sort_value FROM ("
            f"SELECT c.rid AS rid, {sort_column(field)} AS sort_value, {tested} "
            f"FROM customer c WHERE {' AND '.join(where) or '1'} "
            f"ORDER BY {order(field, desc)} LIMIT {int(window)}"
            f") AS c WHERE {match.condition} LIMIT ?"  # no ORDER BY: the window's order
            f") AS w CROSS JOIN customer c ON c.rid = w.rid",
            [*params, *match.params, query.page_size + 1],
        ).fetchall()
        return rows

    def _collect_hits(self, expression: str) -> int:
        """Put the rows matching the trigram `expression` in temp.hits; how many."""
        if self._hits is not None and self._hits[0] == expression:
            return self._hits[1]
        self._hits = None
        self.conn.execute("DELETE FROM temp.hits")
        cursor = self.conn.execute(
            "INSERT INTO temp.hits(rid) SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?",
            (expression,),
        )
        self._hits = (expression, cursor.rowcount)
        return cursor.rowcount

    def _fts_count(self, match: TextMatch) -> int:
        """How many rows the exact trigram expression matches, the cheaper way.

        Counting inside the index never touches a customer row, but a phrase costs about
        its trigrams' doclists: "@bulk.ex" in a store where every email has that domain
        reads 6 x 100,000 postings (~18 ms), where a scan of the narrow text index reads
        each row once (~9 ms). A sample of rows tells which term is which.
        """
        assert match.fts is not None
        if self._hits is not None and self._hits[0] == match.fts:
            return self._hits[1]
        rows = self._row_estimate()
        sample = self.conn.execute(
            f"SELECT count(*) FROM (SELECT c.k_text, c.k_phone_digits FROM customer c "
            f"ORDER BY c.rid LIMIT {COUNT_SAMPLE}) AS c WHERE {match.condition}",
            match.params,
        ).fetchone()[0]
        if count_by_scan(match, sample / COUNT_SAMPLE * rows, rows):
            return self._count_where([match.condition], list(match.params))
        return int(
            self.conn.execute(
                "SELECT count(*) FROM customer_fts WHERE customer_fts MATCH ?", (match.fts,)
            ).fetchone()[0]
        )

    def _row_estimate(self) -> int:
        # The largest rowid: an upper bound on the rows, found in one index step (count(*)
        # would walk a whole index). Deletions only skew the plan's cost guesses a little.
        return int(self.conn.execute("SELECT coalesce(max(rid), 0) FROM customer").fetchone()[0])

    def count_matches(self, query: CustomerQuery, phone_region: str | None = None) -> int:
        where, params = filters(query)
        match = text_match(query.text, phone_region)
        if match is not None and (ranged := self._range_count(query, match)) is not None:
            return ranged
        if match is not None and match.fts is not None:
            if match.exact and not where:
                return self._fts_count(match)
            hits = self._collect_hits(match.fts)
            if not where and refine_by_scan(hits, self._row_estimate()):
                return self._count_where([match.condition], list(match.params))
            refine = [] if match.exact else [match.condition]
            where = [f"c.rid IN ({_HITS})", *refine, *where]
            params = [*([] if match.exact else match.params), *params]
        elif match is not None:
            # One- or two-letter tokens: a scan (of the narrow customer_by_text index alone
            # when nothing else is filtered).
            where = [match.condition, *where]
            params = [*match.params, *params]
        return self._count_where(where, params)

    def _range_count(self, query: CustomerQuery, match: TextMatch) -> int | None:
        """The count read from the narrowest order filter's index range, when that is
        cheaper than counting the term's matches (or scanning, for a term the trigram
        index cannot select) with the filter tested on each; else None."""
        narrowest = self._narrowest_range(query.orders)
        if narrowest is None:
            return None
        in_range, best = narrowest
        rows = self._row_estimate()
        if match.fts is None:
            other = FILTERED_WALK_PER_ROW * rows
        else:
            other = (HIT_PER_MATCH + REFINE_PER_MATCH) * self._text_share(match, rows) * rows
        if RANGE_PER_ROW * in_range > other:
            return None
        where, params = filters(query)
        return int(
            self.conn.execute(
                f"SELECT count(*) FROM customer c INDEXED BY {best.index} "
                f"WHERE {best.condition} AND {match.condition} "
                f"{''.join(' AND ' + w for w in where)}",
                [*best.params, *match.params, *params],
            ).fetchone()[0]
        )

    def _count_where(self, where: Sequence[str], params: Sequence[Any]) -> int:
        return int(
            self.conn.execute(
                f"SELECT count(*) FROM customer c WHERE {' AND '.join(where) or '1'}", params
            ).fetchone()[0]
        )
