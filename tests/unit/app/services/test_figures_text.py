"""The figures line and its tooltip in staff's locale; unknown never reads as 0 orders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.domain.figures import CurrencyFigures, CustomerFigures, OrderStats
from app.domain.money import Money
from app.services import figures_text
from app.services.figures_text import (
    NO_ORDERS,
    UNKNOWN,
    figures_details,
    figures_line,
    locale_of,
    plain_amount,
    stats_cells,
)

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
CREATED = datetime(2024, 3, 1, 12, tzinfo=UTC)
EN = locale_of("en_US")


def money(amount: str, currency: str) -> Money:
    return Money(amount=Decimal(amount), currency=currency)


def figures(*, cancelled: int = 0, usd: bool = False) -> CustomerFigures:
    euros = CurrencyFigures(
        currency="EUR", order_count=13, spent=money("1234.50", "EUR"), refunded=money("10", "EUR")
    )
    dollars = CurrencyFigures(
        currency="USD", order_count=1, spent=money("80", "USD"), refunded=money("0", "USD")
    )
    return CustomerFigures(
        customer_id="c1",
        order_count=14 if usd else 13,
        cancelled_count=cancelled,
        currencies=(euros, dollars) if usd else (euros,),
        first_order_at=datetime(2023, 5, 2, 12, tzinfo=UTC),
        last_order_at=NOW - timedelta(days=21),
    )


def test_the_line_reads_as_staff_say_it() -> None:
    assert figures_line(figures(), CREATED, EN, NOW) == (
        "Customer since 2023 · 13 orders · €1,234.50 spent · last order 3 weeks ago"
    )


def test_each_currency_is_shown_on_its_own_and_cancelled_orders_are_counted_apart() -> None:
    line = figures_line(figures(usd=True, cancelled=2), CREATED, EN, NOW)
    assert line == (
        "Customer since 2023 · 14 orders · €1,234.50 and $80.00 spent · "
        "last order 3 weeks ago · 2 cancelled"
    )


def test_unknown_figures_never_read_as_zero_orders() -> None:
    line = figures_line(None, CREATED, EN, NOW)
    assert line == f"Customer since 2024 · {UNKNOWN}"
    assert "0" not in line.split("·", 1)[1]
    assert "not have" in figures_details(None, EN)


def test_a_customer_without_orders() -> None:
    none = CustomerFigures(customer_id="c2")
    assert figures_line(none, CREATED, EN, NOW) == f"Customer since 2024 · {NO_ORDERS}"


def test_money_follows_the_locale_and_words_stay_english() -> None:
    line = figures_line(figures(usd=True), CREATED, locale_of("de_DE.UTF-8"), NOW)
    assert "1.234,50\xa0€ and 80,00\xa0$ spent" in line
    assert "last order 3 weeks ago" in line


def test_unknown_or_c_locales_fall_back_to_english() -> None:
    for name in ("C", "", None, "xx_YY", "POSIX", "en_US_POSIX", "C.UTF-8"):
        assert str(locale_of(name)) == "en_US"


def test_the_tooltip_gives_average_refunds_and_cancelled() -> None:
    text = figures_details(figures(cancelled=1), EN, NOW)
    assert "EUR: 13 orders, €1,234.50 spent, average order €94.96, €10.00 refunded" in text
    assert "1 order cancelled (not counted above)" in text
    assert "First order 3 years ago" in text


def test_list_cells_are_blank_when_unknown() -> None:
    assert stats_cells(None, EN) == ("", "", None)
    stats = OrderStats(order_count=1204, spent=money("99999.5", "EUR"), last_order_at=NOW)
    assert stats_cells(stats, EN) == ("1,204", "€99,999.50", NOW)
    assert stats_cells(OrderStats(), EN) == ("0", "", None)  # known: no orders


def test_plain_amounts_for_files_are_in_minor_units() -> None:
    assert plain_amount(money("1234.5", "EUR")) == "1234.50"
    assert plain_amount(money("1741.0057", "EUR")) == "1741.01"  # totals with sub-cents
    assert plain_amount(money("7", "JPY")) == "7"
    assert plain_amount(money("0.1234", "KWD")) == "0.123"


def test_a_frozen_build_with_english_data_only_still_formats(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """build.spec bundles babel's en and root data only: no locale may fail a header."""
    import babel.localedata

    bundled = babel.localedata.exists
    monkeypatch.setattr(
        babel.localedata, "exists", lambda name: name in ("en", "root") and bundled(name)
    )
    for name in ("de_DE", "en_US", "C"):
        locale = locale_of(name)
        assert str(locale) == "en"
        assert figures_text.money(money("1234.5", "EUR"), locale) == "€1,234.50"
