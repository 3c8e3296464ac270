"""How dates, states and addresses read in the desk."""

from __future__ import annotations

from datetime import UTC, datetime

from app.domain.controls import visible
from app.domain.countries import country_name
from app.domain.customer import Address


def zone_name() -> str:
    """This computer's time zone as staff read it ("CET", "UTC")."""
    return datetime.now().astimezone().strftime("%Z") or "local time"


def local_datetime(moment: datetime, *, labelled: bool = True) -> str:
    """Every time in the desk is in this computer's zone, and says which (a table says
    it once, in its header: `labelled=False` there)."""
    local = moment.astimezone()
    text = local.strftime("%Y-%m-%d %H:%M")
    return f"{text} {local.strftime('%Z')}" if labelled else text


def relative_time(moment: datetime, now: datetime | None = None) -> str:
    """How long ago, in words staff say: "just now", "5 minutes ago", "yesterday"."""
    seconds = ((now or datetime.now(UTC)) - moment).total_seconds()
    if seconds < 60:  # a clock a little ahead of the store's reads as now, too
        return "just now"

    def ago(count: int, unit: str) -> str:
        return f"{count} {unit}{'s' if count != 1 else ''} ago"

    minutes, hours, days = int(seconds // 60), int(seconds // 3600), int(seconds // 86400)
    if hours < 1:
        return ago(minutes, "minute")
    if days < 1:
        return ago(hours, "hour")
    if days < 2:
        return "yesterday"
    if days < 30:
        return ago(days, "day")
    if days < 365:
        return ago(days // 30, "month")
    return ago(days // 365, "year")


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
