"""What the contract suite needs from a target besides the adapter under test.

The adapter cannot create everything a test needs (a customer with an account, an order)
nor observe what the backend sent out (a reset email), so each target brings a harness
that does it the way that backend allows: its own API, as an admin or as a storefront.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from app.backends.protocols import (
    Backend,
    SupportsAddresses,
    SupportsChangedSince,
    SupportsCustomerDirectory,
    SupportsCustomerWrite,
    SupportsGroups,
    SupportsOrderDirectory,
    SupportsOrderHistory,
    SupportsPasswordTokens,
)
from app.domain.token import TokenKind


class ContractBackend(
    Backend,
    SupportsCustomerDirectory,
    SupportsCustomerWrite,
    SupportsAddresses,
    SupportsGroups,
    SupportsOrderHistory,
    SupportsOrderDirectory,
    SupportsPasswordTokens,
    SupportsChangedSince,
    Protocol,
):
    """Everything the suite exercises; capability-gated tests skip what a backend lacks."""


class ContractHarness(Protocol):
    async def register_customer(self, email: str, first_name: str, last_name: str) -> str:
        """A customer WITH an account (can sign in); returns its id."""

    async def create_group(self, name: str) -> str: ...

    async def create_order(
        self,
        customer_id: str,
        items: Sequence[tuple[str, Decimal, int]],
        currency: str = "eur",
        shipping_address: Mapping[str, Any] | None = None,
    ) -> str:
        """An order of custom lines (title, unit price, quantity), no tax/shipping/discount."""

    async def bulk_create_customers(
        self, count: int, email_prefix: str, domain: str
    ) -> list[str]: ...

    async def token_deliveries(self, email: str) -> list[str]:
        """Ids of what the backend sent to `email` for a password/login token, newest first."""

    async def wait_for_token_delivery(
        self, email: str, *, known_ids: frozenset[str] = frozenset(), wait_s: float = 10.0
    ) -> str:
        """The token (or link) of the first delivery to `email` not in `known_ids`."""

    async def create_secret_key(self, title: str) -> str | None:
        """A new admin secret API key, or None where the backend has none."""

    async def aclose(self) -> None: ...


@runtime_checkable
class CancelsOrders(Protocol):
    """A harness for a backend whose API cancels an order (the change an incremental order
    listing must show); one without such a route leaves the method out."""

    async def cancel_order(self, order_id: str) -> None: ...


@dataclass(frozen=True)
class TokenExpectation:
    """What issuing a token does on this backend (for the token contract test)."""

    kind: TokenKind
    valid_seconds: float | None
    secret_returned: bool  # the token is handed to staff (else it is only delivered)


@dataclass
class OpenTarget:
    backend: ContractBackend
    harness: ContractHarness
    # A backend of the same store signed in with wrong credentials / a given API key.
    with_wrong_secret: Callable[[], Backend]
    with_api_key: Callable[[str], Backend] | None
    token: TokenExpectation
    close: Callable[[], Awaitable[None]]
    # The backend's own word for a new, unpaid order (staff see the backend's vocabulary).
    new_order_status: str = "pending"
    # The backend lists, edits and deletes every saved address (not only the defaults a
    # customer record carries); False where its API documents no such routes.
    address_book: bool = True
