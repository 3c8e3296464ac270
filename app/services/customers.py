"""`CustomerService`: what the UI and CLI call. Checks capabilities and input, then the backend."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import TypeVar

from app.backends.protocols import (
    Backend,
    SupportsAddresses,
    SupportsCustomerDirectory,
    SupportsCustomerWrite,
    SupportsGroups,
    SupportsOrderHistory,
    SupportsPasswordTokens,
)
from app.domain import validation
from app.domain.capabilities import Capability
from app.domain.customer import (
    Address,
    AddressDraft,
    Customer,
    CustomerDraft,
    CustomerGroup,
    CustomerSummary,
)
from app.domain.errors import UnsupportedOperationError
from app.domain.order import OrderDetail, OrderSummary
from app.domain.patch import UNSET, AddressPatch, CustomerPatch
from app.domain.query import CustomerQuery, Page, SortField
from app.domain.token import TokenEligibility, TokenIssuance

P = TypeVar("P")


class CustomerService:
    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    @property
    def backend_name(self) -> str:
        return self._backend.name

    @property
    def capabilities(self) -> Capability:
        return self._backend.capabilities

    @property
    def sort_fields(self) -> frozenset[SortField]:
        if isinstance(self._backend, SupportsCustomerDirectory):
            return self._backend.sort_fields
        return frozenset()

    def _need(self, protocol: type[P], what: str) -> P:
        if not isinstance(self._backend, protocol):
            raise UnsupportedOperationError(f"This store cannot {what}.")
        return self._backend

    async def check_connection(self) -> None:
        await self._backend.check_connection()

    # --- customers -----------------------------------------------------------------

    async def search(
        self, query: CustomerQuery, page_token: str | None = None
    ) -> Page[CustomerSummary]:
        directory = self._need(SupportsCustomerDirectory, "list customers")
        return await directory.list_customers(query, page_token)

    async def iterate(
        self, query: CustomerQuery, limit: int | None = None
    ) -> AsyncIterator[CustomerSummary]:
        """Every match, page by page; stops after `limit` when given.

        The next page is requested while the caller consumes the current one, so the
        caller's work (printing, exporting) overlaps the server's.
        """
        directory = self._need(SupportsCustomerDirectory, "list customers")
        page = await directory.list_customers(query)
        seen = 0
        while True:
            wanted_more = limit is None or seen + len(page.items) < limit
            ahead = (
                asyncio.ensure_future(directory.list_customers(query, page.next_token))
                if page.next_token is not None and wanted_more
                else None
            )
            try:
                for item in page.items:
                    if limit is not None and seen >= limit:
                        return
                    seen += 1
                    yield item
                if ahead is None:
                    return
                page = await ahead
                ahead = None
            finally:
                if ahead is not None:
                    ahead.cancel()

    async def get(self, customer_id: str) -> Customer:
        return await self._need(SupportsCustomerDirectory, "show customers").get_customer(
            customer_id
        )

    async def create(self, draft: CustomerDraft) -> Customer:
        validation.check_customer_draft(draft)
        return await self._need(SupportsCustomerWrite, "create customers").create_customer(draft)

    async def update(self, customer_id: str, patch: CustomerPatch) -> Customer:
        validation.check_customer_patch(patch)
        writer = self._need(SupportsCustomerWrite, "edit customers")
        return await writer.update_customer(customer_id, patch)

    async def delete(self, customer_id: str) -> None:
        await self._need(SupportsCustomerWrite, "delete customers").delete_customer(customer_id)

    # --- addresses -----------------------------------------------------------------

    async def addresses(self, customer_id: str) -> list[Address]:
        return await self._need(SupportsAddresses, "keep addresses").list_addresses(customer_id)

    async def add_address(self, customer_id: str, draft: AddressDraft) -> Address:
        validation.check_address_draft(draft)
        book = self._need(SupportsAddresses, "keep addresses")
        return await book.create_address(customer_id, draft)

    async def update_address(
        self, customer_id: str, address_id: str, patch: AddressPatch
    ) -> Address:
        if patch.country_code is not UNSET:
            validation.check_address_country(patch.country_code)
        book = self._need(SupportsAddresses, "keep addresses")
        return await book.update_address(customer_id, address_id, patch)

    async def delete_address(self, customer_id: str, address_id: str) -> None:
        book = self._need(SupportsAddresses, "keep addresses")
        await book.delete_address(customer_id, address_id)

    # --- groups --------------------------------------------------------------------

    async def groups(self) -> list[CustomerGroup]:
        return await self._need(SupportsGroups, "group customers").list_groups()

    async def change_groups(
        self,
        customer_id: str,
        add: frozenset[str] = frozenset(),
        remove: frozenset[str] = frozenset(),
    ) -> Customer:
        groups = self._need(SupportsGroups, "group customers")
        return await groups.change_group_membership(customer_id, add, remove)

    # --- orders --------------------------------------------------------------------

    async def orders(
        self, customer_id: str, page_token: str | None = None, page_size: int = 20
    ) -> Page[OrderSummary]:
        history = self._need(SupportsOrderHistory, "show orders")
        return await history.list_orders(customer_id, page_token, page_size)

    async def order(self, order_id: str) -> OrderDetail:
        return await self._need(SupportsOrderHistory, "show orders").get_order(order_id)

    # --- password tokens -----------------------------------------------------------

    def token_eligibility(self, customer: CustomerSummary) -> TokenEligibility:
        if not isinstance(self._backend, SupportsPasswordTokens):
            return TokenEligibility(
                allowed=False, reason="This store offers no way to issue password tokens."
            )
        return self._backend.token_eligibility(customer)

    async def issue_token(self, customer: CustomerSummary) -> TokenIssuance:
        tokens = self._need(SupportsPasswordTokens, "issue password tokens")
        return await tokens.issue_password_token(customer)
