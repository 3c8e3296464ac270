"""How dates, states and addresses read in the desk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from babel import Locale
from babel.dates import format_timedelta
from PySide6.QtCore import QLocale

from app.domain.controls import visible
from app.domain.countries import country_name
from app.domain.customer import Address
from app.domain.money import Money
from app.services.figures_text import locale_of, money


def zone_name() -> str:
    """This computer's time zone as staff read it ("CET", "UTC")."""
    return datetime.now().astimezone().strftime("%Z") or "local time"


def local_datetime(moment: datetime, *, labelled: bool = True) -> str:
    """Every time in the desk is in this computer's zone, and says which (a table says
    it once, in its header: `labelled=False` there)."""
    local = moment.astimezone()
    text = local.strftime("%Y-%m-%d %H:%M")
    return f"{text} {local.strftime('%Z')}" if labelled else text


def local_date(moment: datetime) -> str:
    """The day of `moment` in this computer's zone (a table header names the zone)."""
    return moment.astimezone().strftime("%Y-%m-%d")


def desk_locale() -> Locale:
    """How numbers and money read in the desk: Qt's default locale (the system's unless
    set), en_US where that is "C" or unknown to babel."""
    return locale_of(QLocale().name())


def money_text(value: Money) -> str:
    """An amount as the desk writes money everywhere (header, list, timeline, orders):
    `£16.13` (en_US), `16,13 £` (de_DE)."""
    return money(value, desk_locale())


def in_local_time(text: str, moment: datetime) -> str:
    """A store's sentence that gives `moment` as "HH:MM UTC", in the desk's zone instead."""
    utc = moment.astimezone(UTC).strftime("%H:%M") + " UTC"
    local = moment.astimezone()
    return text.replace(utc, f"{local:%H:%M} {local.strftime('%Z')}")


def humanize(state: str | None) -> str:
    """`partially_fulfilled` → `Partially fulfilled`."""
    if not state:
        return "—"
    text = visible(state).replace("_", " ")
    return text[:1].upper() + text[1:]


def address_lines(address: Address) -> list[str]:
    name = " ".join(p for p in (address.first_name, address.last_name) if p)
    city = " ".join(p for p in (address.postal_code, address.city) if p)
    lines = [
        name,
        address.company,
        address.address_1,
        address.address_2,
        city,
        address.province,
        country_name(address.country_code),
        address.phone,
    ]
    return [visible(line) for line in lines if line]


def order_number(display_number: str) -> str:
    """`#1042` whether or not the store already puts the `#` in."""
    return "#" + visible(display_number).lstrip("#")


def relative_time(moment: datetime, now: datetime | None = None) -> str:
    """ "3 hours ago", as the desk's English reads it (babel's CLDR units and rounding)."""
    delta = moment - (now or datetime.now(UTC))
    if abs(delta) < timedelta(seconds=45):
        return "just now"
    return format_timedelta(delta, add_direction=True, locale="en")
