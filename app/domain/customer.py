"""Customers, their addresses and groups, as staff see them.

`CustomerSummary` is what a list row needs; `Customer` is the detail one or two requests
can fill (FeelUOwn's brief/full split). New fields must get defaults.
"""

from pydantic import AwareDatetime, JsonValue

from app.domain.base import DomainModel
from app.domain.figures import OrderStats

Metadata = dict[str, JsonValue]


class CustomerGroup(DomainModel):
    id: str
    name: str


class Address(DomainModel):
    id: str
    customer_id: str | None = None  # None on order addresses
    address_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    address_1: str | None = None
    address_2: str | None = None
    city: str | None = None
    county: str | None = None  # a field of its own where the store has one (Elastic Path)
    province: str | None = None
    postal_code: str | None = None
    country_code: str | None = None  # ISO 3166-1 alpha-2, lower case
    phone: str | None = None
    is_default_shipping: bool = False
    is_default_billing: bool = False
    metadata: Metadata = {}

    def one_line(self) -> str:
        parts = [self.address_1, self.city, self.postal_code, (self.country_code or "").upper()]
        return ", ".join(p for p in parts if p)


def with_address(addresses: list[Address], saved: Address) -> list[Address]:
    """`addresses` with `saved` in its place (appended when new); a default it claims is
    taken from the others, as every store does when an address becomes the default."""
    out: list[Address] = []
    for address in addresses:
        if address.id == saved.id:
            out.append(saved)
            continue
        update: dict[str, bool] = {}
        if saved.is_default_shipping and address.is_default_shipping:
            update["is_default_shipping"] = False
        if saved.is_default_billing and address.is_default_billing:
            update["is_default_billing"] = False
        out.append(address.model_copy(update=update) if update else address)
    if all(a.id != saved.id for a in addresses):
        out.append(saved)
    return out


class CustomerSummary(DomainModel):
    id: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    company: str | None = None
    has_account: bool = False
    groups: tuple[CustomerGroup, ...] = ()
    created_at: AwareDatetime
    updated_at: AwareDatetime
    # Filled by the mirror (from its copy of every order) when it answers a list; None
    # when the figures are unknown (a backend answered, or orders are not mirrored yet).
    orders: OrderStats | None = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    @property
    def display_name(self) -> str:
        return self.full_name or self.email or self.id


class Customer(CustomerSummary):
    metadata: Metadata = {}
    addresses: tuple[Address, ...] = ()

    def summary(self) -> CustomerSummary:
        return CustomerSummary.model_validate(self.model_dump(exclude={"metadata", "addresses"}))


class CustomerDraft(DomainModel):
    """A new customer as staff enter it."""

    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    company: str | None = None
    metadata: Metadata = {}


class AddressDraft(DomainModel):
    address_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    address_1: str | None = None
    address_2: str | None = None
    city: str | None = None
    county: str | None = None
    province: str | None = None
    postal_code: str | None = None
    country_code: str | None = None
    phone: str | None = None
    is_default_shipping: bool = False
    is_default_billing: bool = False
    metadata: Metadata = {}


# The text fields of an address staff fill in, in the form's order: what validation checks
# and what the CLI offers as options.
ADDRESS_TEXT_FIELDS = (
    "address_name",
    "first_name",
    "last_name",
    "company",
    "address_1",
    "address_2",
    "city",
    "county",
    "province",
    "postal_code",
    "country_code",
    "phone",
)
