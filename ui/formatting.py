"""How dates, states and addresses read in the desk."""

from __future__ import annotations

from datetime import datetime

from app.domain.controls import visible
from app.domain.customer import Address
from ui.countries import country_name


def local_datetime(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


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
