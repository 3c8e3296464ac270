"""What a backend can do, as runtime-checkable protocols (FeelUOwn's `Supports…`).

Services ask `isinstance(adapter, SupportsAddresses)` or read `adapter.capabilities`,
never "is this Medusa?". Methods raise only `AppError`s: `NotFoundError` for a missing
record, `ValidationFailedError` for bad input, gateway errors for the network.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from app.domain.address_form import AddressForm
from app.domain.capabilities import Capability
from app.domain.customer import (
    Address,
    AddressDraft,
    Customer,
    CustomerDraft,
    CustomerGroup,
    CustomerSummary,
)
from app.domain.limitations import AddressBook, Limitation
from app.domain.order import OrderDetail, OrderSummary
from app.domain.patch import AddressPatch, CustomerPatch
from app.domain.query import CustomerQuery, Page, SortField
from app.domain.token import TokenEligibility, TokenIssuance


@runtime_checkable
class Backend(Protocol):
    """What every adapter has."""

    @property
    def name(self) -> str: ...

    @property
    def capabilities(self) -> Capability: ...

    async def check_connection(self) -> None:
        """Sign in and make one cheap authenticated request; raise on failure."""

    async def aclose(self) -> None: ...


@runtime_checkable
class SupportsCustomerDirectory(Protocol):
    @property
    def sort_fields(self) -> frozenset[SortField]:
        """The fields the backend can sort a customer list by."""

    async def list_customers(
        self, query: CustomerQuery, page_token: str | None = None
    ) -> Page[CustomerSummary]: ...

    async def get_customer(self, customer_id: str) -> Customer: ...


@runtime_checkable
class SupportsCustomerWrite(Protocol):
    async def create_customer(self, draft: CustomerDraft) -> Customer: ...

    async def update_customer(self, customer_id: str, patch: CustomerPatch) -> Customer: ...

    async def delete_customer(self, customer_id: str) -> None: ...


@runtime_checkable
class SupportsAddresses(Protocol):
    async def list_addresses(self, customer_id: str) -> list[Address]: ...

    async def create_address(self, customer_id: str, draft: AddressDraft) -> Address: ...

    async def update_address(
        self, customer_id: str, address_id: str, patch: AddressPatch
    ) -> Address: ...

    async def delete_address(self, customer_id: str, address_id: str) -> None: ...


@runtime_checkable
class ReportsLimitations(Protocol):
    """A backend that learns while talking to the store what it lacks (an optional call
    answering 404/405) and degrades the feature instead of failing."""

    @property
    def address_book(self) -> AddressBook:
        """How much of a customer's addresses the store shows, as found so far."""

    @property
    def limitations(self) -> tuple[Limitation, ...]:
        """What staff should be told, as found so far (grows as the store answers)."""


@runtime_checkable
class DeclaresAddressForm(Protocol):
    """A store whose address fields differ from the desk's default form (names, labels,
    required fields). Stores without it get `DEFAULT_ADDRESS_FORM`."""

    address_form: AddressForm


@runtime_checkable
class SupportsGroups(Protocol):
    async def list_groups(self) -> list[CustomerGroup]: ...

    async def change_group_membership(
        self, customer_id: str, add: frozenset[str], remove: frozenset[str]
    ) -> Customer: ...


@runtime_checkable
class SupportsOrderHistory(Protocol):
    async def list_orders(
        self, customer_id: str, page_token: str | None = None, page_size: int = 20
    ) -> Page[OrderSummary]: ...

    async def get_order(self, order_id: str) -> OrderDetail: ...


@runtime_checkable
class SupportsOrderDirectory(Protocol):
    """A store that lists every order (all customers), for the mirror's order copy."""

    # Whether `list_orders_changed_since` filters on `since` at the server (an incremental
    # refresh); False: the mirror re-reads the whole list to find changes.
    filters_orders_by_updated_at: bool

    async def list_orders_changed_since(
        self, since: datetime | None, page_token: str | None = None, page_size: int = 500
    ) -> Page[OrderSummary]:
        """Orders with updated_at >= since (all when None), every customer's, in a stable
        order (keyset, so a resumed pass continues where it stopped). Each summary has
        `customer_id` (None for a guest order with no customer) and `updated_at`."""


@runtime_checkable
class SupportsPasswordTokens(Protocol):
    def token_eligibility(self, customer: CustomerSummary) -> TokenEligibility: ...

    async def issue_password_token(self, customer: CustomerSummary) -> TokenIssuance: ...


@runtime_checkable
class ExplainsNoPasswordTokens(Protocol):
    """A store that cannot issue password tokens and says why (staff read it instead of
    a generic "not available")."""

    password_token_refusal: str


@runtime_checkable
class SupportsChangedSince(Protocol):
    # Whether the listed customers carry their addresses (Medusa's do; Elastic Path
    # lists addresses per customer only). The mirror's sweep compares them only then.
    lists_addresses: bool

    async def list_changed_since(
        self, since: datetime | None, page_token: str | None = None, page_size: int = 500
    ) -> Page[Customer]:
        """Customers with updated_at >= since (all when None), in a stable order."""


@runtime_checkable
class DatesRegistration(Protocol):
    """A store whose records tell when a customer signed up (the timeline's "registered")."""

    def registered_at(self, customer: CustomerSummary) -> datetime | None:
        """When the customer got their account; None when they have none."""
        ...


@runtime_checkable
class DeclaresSignIn(Protocol):
    # The (method, path) of the adapter's sign-in requests: the only non-GET requests a
    # read-only caller (the store doctor) lets through. An adapter with a static key has none.
    sign_in_routes: frozenset[tuple[str, str]]


# The one source of truth tying capability flags to protocols: an adapter declares a flag
# here exactly when it implements the flag's protocol, and implements a protocol only with at
# least one of its flags (tests/unit/app/backends/test_capability_protocols.py).
PROTOCOL_OF: dict[Capability, type] = {
    Capability.CUSTOMER_LIST: SupportsCustomerDirectory,
    Capability.CUSTOMER_CREATE: SupportsCustomerWrite,
    Capability.CUSTOMER_UPDATE: SupportsCustomerWrite,
    Capability.CUSTOMER_DELETE: SupportsCustomerWrite,
    Capability.ADDRESSES: SupportsAddresses,
    Capability.GROUPS: SupportsGroups,
    Capability.GROUP_MEMBERSHIP: SupportsGroups,
    Capability.ORDERS: SupportsOrderHistory,
    Capability.PASSWORD_TOKENS: SupportsPasswordTokens,
    Capability.CHANGED_SINCE: SupportsChangedSince,
}

# The other flags say what the data or queries of a protocol's calls carry; each needs the
# flag it refines (no phone numbers without a customer list).
REFINES: dict[Capability, Capability] = {
    Capability.CUSTOMER_SEARCH: Capability.CUSTOMER_LIST,
    Capability.SEARCH_BY_PHONE: Capability.CUSTOMER_SEARCH,
    Capability.SEARCH_BY_COMPANY: Capability.CUSTOMER_SEARCH,
    Capability.FILTER_HAS_ACCOUNT: Capability.CUSTOMER_LIST,
    Capability.FILTER_GROUP: Capability.GROUPS,
    Capability.FILTER_EMAIL: Capability.CUSTOMER_LIST,
    Capability.FILTER_CREATED: Capability.CUSTOMER_LIST,
    Capability.FILTER_UPDATED: Capability.CUSTOMER_LIST,
    Capability.SORT: Capability.CUSTOMER_LIST,  # and `sort_fields` is not empty
    Capability.SPLIT_NAMES: Capability.CUSTOMER_LIST,
    Capability.PHONE: Capability.CUSTOMER_LIST,
    Capability.COMPANY: Capability.CUSTOMER_LIST,
    Capability.METADATA: Capability.CUSTOMER_LIST,
    Capability.DEFAULT_ADDRESSES: Capability.ADDRESSES,
    Capability.GUEST_CUSTOMERS: Capability.CUSTOMER_LIST,
    # Notes ride on the customer record's metadata (read, merged, written back).
    Capability.NOTES: Capability.METADATA,
}
