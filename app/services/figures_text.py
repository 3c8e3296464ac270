"""Order figures as staff read them, in their locale (babel): the editor header's line,
its tooltip, list cells and the CLI's `customers show` line share these words.

Unknown figures (orders not mirrored) never read as "0 orders": the line says where the
figures come from instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_timedelta
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal

from app.domain.figures import CustomerFigures, OrderStats
from app.domain.money import Money, minor_unit_exponent

FALLBACK_LOCALE = "en_US"
# The desk speaks English; the locale shapes numbers and money only. Words babel supplies
# (lists, "3 weeks ago") stay in the desk's language, so a line never mixes two.
WORDS = Locale.parse("en")
UNKNOWN = "Order figures appear once orders are mirrored"
NO_ORDERS = "No orders yet"
SEPARATOR = " · "


def locale_of(name: str | None) -> Locale:
    """A babel locale from a POSIX or Qt name ("de_DE", "en_US.UTF-8"); "C", empty or
    unknown names (or locale data a frozen build left out) fall back to en_US, then en,
    rather than failing a header."""
    base = (name or "").split(".")[0].split("@")[0].replace("-", "_")
    # babel reads LANG=C as en_US_POSIX, whose money has a space after the symbol.
    if not base or base in ("C", "POSIX") or base.endswith("_POSIX"):
        base = FALLBACK_LOCALE
    for candidate in (base, FALLBACK_LOCALE):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return WORDS


def money(value: Money, locale: Locale) -> str:
    """`€1,234.50` (en_US), `1.234,50 €` (de_DE)."""
    return format_currency(value.amount, value.currency, locale=locale)


def count(number: int, locale: Locale) -> str:
    return format_decimal(number, locale=locale)


def orders_word(number: int, locale: Locale) -> str:
    return f"{count(number, locale)} order" + ("" if number == 1 else "s")


def ago(moment: datetime, now: datetime | None = None) -> str:
    """`3 weeks ago`; a moment in the future (a clock ahead) reads `in 2 days`."""
    now = now or datetime.now(UTC)
    return format_timedelta(moment - now, add_direction=True, locale=WORDS)


def amounts(values: Sequence[Money], locale: Locale) -> str:
    """Each currency on its own (`€1,234.50 and $80.00`): never euros added to dollars."""
    return format_list([money(v, locale) for v in values], locale=WORDS)


def since_text(figures: CustomerFigures | None, created_at: datetime) -> str:
    """`Customer since 2023`: the account's creation or the first order, if older."""
    since = figures.since(created_at) if figures else created_at
    return f"Customer since {since.astimezone().year}"


def figures_line(
    figures: CustomerFigures | None,
    created_at: datetime,
    locale: Locale,
    now: datetime | None = None,
) -> str:
    """`Customer since 2023 · 14 orders · €1,234.50 spent · last order 3 weeks ago`."""
    parts = [since_text(figures, created_at)]
    if figures is None:
        parts.append(UNKNOWN)
    elif not figures.has_orders:
        parts.append(NO_ORDERS)
    else:
        parts.append(orders_word(figures.order_count, locale))
        if figures.currencies:
            parts.append(f"{amounts(figures.spent, locale)} spent")
        if figures.last_order_at is not None:
            parts.append(f"last order {ago(figures.last_order_at, now)}")
    if figures is not None and figures.cancelled_count:
        parts.append(f"{count(figures.cancelled_count, locale)} cancelled")
    return SEPARATOR.join(parts)


def figures_details(
    figures: CustomerFigures | None, locale: Locale, now: datetime | None = None
) -> str:
    """The header's tooltip: average order value and refunds per currency, what the
    figures leave out."""
    if figures is None:
        return (
            "Order figures are computed from the local copy of the store's orders, "
            "which this store does not have yet."
        )
    lines = []
    for c in figures.currencies:
        line = (
            f"{c.currency}: {orders_word(c.order_count, locale)}, "
            f"{money(c.spent, locale)} spent, average order {money(c.average, locale)}"
        )
        if c.refunded.amount:
            line += f", {money(c.refunded, locale)} refunded"
        lines.append(line)
    if figures.first_order_at is not None:
        lines.append(f"First order {ago(figures.first_order_at, now)}")
    if figures.cancelled_count:
        lines.append(
            f"{orders_word(figures.cancelled_count, locale)} cancelled (not counted above)"
        )
    lines.append("Spent is net of refunds; cancelled orders are left out.")
    return "\n".join(lines)


def stats_cells(stats: OrderStats | None, locale: Locale) -> tuple[str, str, datetime | None]:
    """A list row's Orders and Spent text and last order moment; blank when unknown (a
    row the store itself sent), never "0"."""
    if stats is None:
        return "", "", None
    spent = money(stats.spent, locale) if stats.spent is not None else ""
    return count(stats.order_count, locale), spent, stats.last_order_at


def plain_amount(value: Money) -> str:
    """An amount for files and scripts: `1234.50`, no grouping, no symbol, in the
    currency's minor unit (order totals may carry more decimals than a price shows)."""
    step = Decimal(1).scaleb(-minor_unit_exponent(value.currency))
    return str(value.amount.quantize(step, rounding=ROUND_HALF_EVEN))
