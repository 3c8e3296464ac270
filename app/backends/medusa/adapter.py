"""`MedusaAdapter`: the Medusa 2.x admin API behind our capability protocols."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, SecretStr

from app.backends.medusa import mapping, wire
from app.backends.medusa.wire import (
    MedusaAddressList,
    MedusaCustomerEnvelope,
    MedusaCustomerList,
    MedusaGroupList,
    MedusaLogin,
    MedusaOrderEnvelope,
    MedusaOrderList,
)
from app.domain.capabilities import Capability
from app.domain.customer import (
    Address,
    AddressDraft,
    Customer,
    CustomerDraft,
    CustomerGroup,
    CustomerSummary,
)
from app.domain.errors import (
    BadResponseError,
    ConfigurationError,
    ErrorDetails,
    FieldError,
    NotEligibleError,
    NotFoundError,
    ValidationFailedError,
)
from app.domain.order import OrderDetail, OrderSummary
from app.domain.patch import AddressPatch, CustomerPatch
from app.domain.query import RECORD_SORTS, CustomerQuery, Page, SortField
from app.domain.token import TokenEligibility, TokenIssuance, TokenKind
from app.gateway import (
    ApiResponse,
    ApiTransport,
    Auth,
    GatewayOptions,
    LoginAuth,
    StaticHeaderAuth,
)
from app.gateway.pagination import (
    PageGuard,
    check_advances,
    keyset_of,
    keyset_token,
    next_offset,
    offset_of,
)
from app.gateway.slices import map_in_slices

W = TypeVar("W", bound=BaseModel)


class _Row(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Row)

# Medusa's reset token lives 15 minutes (exp - iat = 900 s, measured on 2.21.2).
RESET_TOKEN_TTL = timedelta(minutes=15)
ADDRESS_PAGE = 200


@dataclass(frozen=True, slots=True)
class MedusaCredentials:
    """Either an admin user's email and password, or a secret API key (`sk_…`)."""

    email: str | None = None
    password: SecretStr | None = None
    api_key: SecretStr | None = None

    def __post_init__(self) -> None:
        if self.api_key is None and (self.email is None or self.password is None):
            raise ValueError("Medusa needs an admin email and password, or a secret API key")


CAPABILITIES = (
    Capability.CUSTOMER_LIST
    | Capability.CUSTOMER_SEARCH
    | Capability.SEARCH_BY_PHONE
    | Capability.SEARCH_BY_COMPANY
    | Capability.CUSTOMER_CREATE
    | Capability.CUSTOMER_UPDATE
    | Capability.CUSTOMER_DELETE
    | Capability.FILTER_HAS_ACCOUNT
    | Capability.FILTER_GROUP
    | Capability.FILTER_EMAIL
    | Capability.FILTER_CREATED
    | Capability.FILTER_UPDATED
    | Capability.SORT
    | Capability.CHANGED_SINCE
    | Capability.SPLIT_NAMES
    | Capability.PHONE
    | Capability.COMPANY
    | Capability.METADATA
    | Capability.ADDRESSES
    | Capability.DEFAULT_ADDRESSES
    | Capability.GROUPS
    | Capability.GROUP_MEMBERSHIP
    | Capability.ORDERS
    | Capability.PASSWORD_TOKENS
    | Capability.GUEST_CUSTOMERS
    # In `merchant_desk_notes` metadata: merged per key, any JSON value [S: mergeMetadata]
    | Capability.NOTES
)


class MedusaAdapter:
    """Implements every protocol in `app.backends.protocols` for Medusa 2.x."""

    name = "medusa"
    capabilities = CAPABILITIES
    lists_addresses = True
    sort_fields = RECORD_SORTS
    routes = wire.ROUTES
    # The only non-GET a read-only caller (the store doctor) lets through.
    sign_in_routes = frozenset({(wire.SIGN_IN.method, wire.SIGN_IN.path)})

    def __init__(
        self,
        base_url: str,
        credentials: MedusaCredentials,
        options: GatewayOptions = GatewayOptions(),
    ) -> None:
        self._credentials = credentials
        auth: Auth
        if credentials.api_key is not None:
            # Medusa 2 admin takes a secret key as HTTP Basic with the key as user name.
            raw = f"{credentials.api_key.get_secret_value()}:".encode()
            auth = StaticHeaderAuth({"Authorization": f"Basic {base64.b64encode(raw).decode()}"})
        else:
            auth = LoginAuth(self._login)
        self._http = ApiTransport(
            base_url,
            backend=self.name,
            auth=auth,
            error_parser=mapping.parse_error_body,
            options=options,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- plumbing ------------------------------------------------------------------

    async def _login(self) -> str:
        creds = self._credentials
        if creds.email is None or creds.password is None:
            raise ConfigurationError("This store has no admin email and password.")
        response = await self._http.request(
            wire.SIGN_IN.method,
            wire.SIGN_IN.path,
            json={"email": creds.email, "password": creds.password.get_secret_value()},
            authenticate=False,
            idempotent=True,
        )
        return self._parse(response, MedusaLogin).token

    def _parse(self, response: ApiResponse, model: type[W]) -> W:
        return response.parse(model)

    async def _get(self, path: str, model: type[W], params: Any = None) -> W:
        return self._parse(await self._http.request("GET", path, params=params), model)

    async def _post(self, path: str, model: type[W], body: dict[str, Any], params: Any = None) -> W:
        # Medusa's POST updates set fields to given values: repeating one is harmless.
        response = await self._http.request("POST", path, json=body, params=params, idempotent=True)
        return self._parse(response, model)

    async def _every_row(
        self,
        path: str,
        model: type[W],
        params: dict[str, Any],
        rows: Callable[[W], tuple[list[R], int]],
    ) -> list[R]:
        """Every row of a list Medusa pages by offset in id order (`rows`: a page's rows and
        the total). A server ignoring the offset is stopped by a `PageGuard`."""
        out: list[R] = []
        guard = PageGuard(self.name)
        while True:
            page = await self._get(path, model, {**params, "offset": len(out), "order": "id"})
            found, count = rows(page)
            more = str(len(out) + len(found)) if found else None
            guard.check(str(len(out)), (row.id for row in found), more, count)
            out.extend(found)
            if not found or len(out) >= count:
                return out

    async def check_connection(self) -> None:
        await self._http.request(
            wire.CUSTOMERS.method, wire.CUSTOMERS.path, params={"limit": 1, "fields": "id"}
        )

    # --- customers -----------------------------------------------------------------

    async def list_customers(
        self, query: CustomerQuery, page_token: str | None = None
    ) -> Page[CustomerSummary]:
        params = mapping.query_params(query)
        params.append(("fields", mapping.SUMMARY_FIELDS))
        page = await self._page(
            params, query.sort.field, query.sort.descending, query.page_size, page_token
        )
        return Page(
            items=tuple(mapping.customer_summary(c) for c in page.customers),
            total=page.count if page_token is None else None,
            next_token=self._next_token(
                page, query.sort.field, query.page_size, page_token, query.sort.descending
            ),
        )

    async def _page(
        self,
        params: list[tuple[str, str]],
        field: SortField,
        descending: bool,
        size: int,
        token: str | None,
    ) -> MedusaCustomerList:
        self._page_params(params, field, descending, size, token)
        return await self._get(wire.CUSTOMERS.path, MedusaCustomerList, params)

    @staticmethod
    def _page_params(
        params: list[tuple[str, str]],
        field: SortField,
        descending: bool,
        size: int,
        token: str | None,
    ) -> None:
        """Adds to `params` the order and the paging of one page of the customer list."""
        if field is SortField.ID:
            # Keyset paging on the unique id: no row is skipped or repeated even while
            # customers are added or deleted between pages (offset paging would shift).
            params.append(("order", "-id" if descending else "id"))
            last = keyset_of(token)
            if last is not None:
                params.append(("id[$lt]" if descending else "id[$gt]", last))
            params.append(("offset", "0"))
        else:
            # Medusa orders by one field only, without a tie-breaker: offset paging is the
            # best the server allows here. The offline mirror gives exact sorted paging.
            params.append(("order", ("-" if descending else "") + mapping.SORT_FIELD[field]))
            params.append(("offset", str(offset_of(token))))
        params.append(("limit", str(size)))

    @staticmethod
    def _next_token(
        page: MedusaCustomerList,
        field: SortField,
        size: int,
        token: str | None,
        descending: bool = False,
    ) -> str | None:
        if field is SortField.ID:
            more = len(page.customers) == size and page.count > size
            if not more:
                return None
            # A server (or proxy) that drops `id[$gt]` serves the first page forever.
            check_advances(keyset_of(token), page.customers[-1].id, descending=descending)
            return keyset_token(page.customers[-1].id)
        return next_offset(offset_of(token), len(page.customers), page.count)

    async def get_customer(self, customer_id: str) -> Customer:
        envelope = await self._get(
            wire.CUSTOMER.format(id=customer_id),
            MedusaCustomerEnvelope,
            {"fields": mapping.DETAIL_FIELDS},
        )
        return mapping.customer(envelope.customer)

    async def list_changed_since(
        self, since: datetime | None, page_token: str | None = None, page_size: int = 500
    ) -> Page[Customer]:
        params = mapping.changed_since_params(since)
        params.append(("fields", mapping.DETAIL_FIELDS))
        page = await self._page(params, SortField.ID, False, page_size, page_token)
        return Page(
            # The mirror's bulk read: mapped a slice at a time, the loop served between.
            items=await map_in_slices(mapping.customer, page.customers),
            total=page.count if page_token is None else None,
            next_token=self._next_token(page, SortField.ID, page_size, page_token),
        )

    async def create_customer(self, draft: CustomerDraft) -> Customer:
        _reject_empty_metadata(draft.metadata)
        response = await self._http.request(
            wire.CUSTOMER_CREATE.method,
            wire.CUSTOMER_CREATE.path,
            json=mapping.customer_create_body(draft),
            params={"fields": mapping.DETAIL_FIELDS},
            idempotent=False,  # a repeat would create a second customer
        )
        return mapping.customer(self._parse(response, MedusaCustomerEnvelope).customer)

    async def update_customer(self, customer_id: str, patch: CustomerPatch) -> Customer:
        _reject_empty_metadata(patch.metadata.set)
        if patch.is_empty():
            return await self.get_customer(customer_id)
        envelope = await self._post(
            wire.CUSTOMER_UPDATE.format(id=customer_id),
            MedusaCustomerEnvelope,
            mapping.customer_update_body(patch),
            {"fields": mapping.DETAIL_FIELDS},
        )
        return mapping.customer(envelope.customer)

    async def delete_customer(self, customer_id: str) -> None:
        # Medusa answers 200 for an already deleted id; staff expect "not found" instead.
        await self.get_customer(customer_id)
        await self._http.request(
            wire.CUSTOMER_DELETE.method, wire.CUSTOMER_DELETE.format(id=customer_id)
        )

    # --- addresses -----------------------------------------------------------------

    async def list_addresses(self, customer_id: str) -> list[Address]:
        out = await self._every_row(
            wire.ADDRESSES.format(id=customer_id),
            MedusaAddressList,
            {"fields": mapping.ADDRESS_FIELDS, "limit": ADDRESS_PAGE},
            lambda page: (page.addresses, page.count),
        )
        if not out:
            await self.get_customer(customer_id)  # an unknown customer lists as empty: 404 instead
        return [mapping.address(a, customer_id) for a in out]

    async def create_address(self, customer_id: str, draft: AddressDraft) -> Address:
        _reject_empty_metadata(draft.metadata)
        response = await self._http.request(
            wire.ADDRESS_CREATE.method,
            wire.ADDRESS_CREATE.format(id=customer_id),
            json=mapping.address_create_body(draft),
            params={"fields": mapping.DETAIL_FIELDS},
            idempotent=False,
        )
        customer = self._parse(response, MedusaCustomerEnvelope).customer
        # The answer is the customer; address ids are ULIDs, so the newest is the largest.
        newest = max(customer.addresses or (), key=lambda a: a.id, default=None)
        if newest is None:
            raise BadResponseError(details=response.details)
        return mapping.address(newest, customer_id)

    async def update_address(
        self, customer_id: str, address_id: str, patch: AddressPatch
    ) -> Address:
        _reject_empty_metadata(patch.metadata.set)
        envelope = await self._post(
            wire.ADDRESS_UPDATE.format(id=customer_id, address_id=address_id),
            MedusaCustomerEnvelope,
            mapping.address_update_body(patch),
            {"fields": mapping.DETAIL_FIELDS},
        )
        # Medusa answers 200 even for an unknown address id, changing nothing.
        for found in envelope.customer.addresses or ():
            if found.id == address_id:
                return mapping.address(found, customer_id)
        raise NotFoundError(
            "This address no longer exists.",
            details=ErrorDetails(
                backend=self.name,
                url=wire.ADDRESS_UPDATE.format(id=customer_id, address_id=address_id),
            ),
        )

    async def delete_address(self, customer_id: str, address_id: str) -> None:
        await self._http.request(
            wire.ADDRESS_DELETE.method,
            wire.ADDRESS_DELETE.format(id=customer_id, address_id=address_id),
        )

    # --- groups --------------------------------------------------------------------

    async def list_groups(self) -> list[CustomerGroup]:
        found = await self._every_row(
            wire.GROUPS.path,
            MedusaGroupList,
            {"fields": "id,name", "limit": 500},
            lambda page: (page.customer_groups, page.count),
        )
        return sorted((mapping.group(g) for g in found), key=lambda g: g.name.casefold())

    async def change_group_membership(
        self, customer_id: str, add: frozenset[str], remove: frozenset[str]
    ) -> Customer:
        envelope = await self._post(
            wire.GROUP_MEMBERSHIP.format(id=customer_id),
            MedusaCustomerEnvelope,
            {"add": sorted(add), "remove": sorted(remove)},
            {"fields": mapping.DETAIL_FIELDS},
        )
        return mapping.customer(envelope.customer)

    # --- orders --------------------------------------------------------------------

    async def list_orders(
        self, customer_id: str, page_token: str | None = None, page_size: int = 20
    ) -> Page[OrderSummary]:
        offset = offset_of(page_token)
        page = await self._get(
            wire.ORDERS.path,
            MedusaOrderList,
            {
                "customer_id": customer_id,
                "fields": mapping.ORDER_SUMMARY_FIELDS,
                "order": "-id",  # newest first, on a unique key so offsets are stable
                "limit": page_size,
                "offset": offset,
            },
        )
        return Page(
            items=tuple(mapping.order_summary(o) for o in page.orders),
            total=page.count,
            next_token=next_offset(offset, len(page.orders), page.count),
        )

    # Medusa 2's validator takes `updated_at` as an operator map; a cancel and a refund move
    # the order's updated_at, a capture does not (tests/peers/medusa/test_order_directory.py
    # on 2.21.2): a payment reaches the mirror with the order's next change or a full pass.
    filters_orders_by_updated_at = True

    async def list_orders_changed_since(
        self, since: datetime | None, page_token: str | None = None, page_size: int = 500
    ) -> Page[OrderSummary]:
        # Keyset on the unique id (ULIDs, creation order): an order created or changed between
        # pages neither shifts nor repeats rows the way an offset would.
        params = mapping.changed_since_params(since)
        last = keyset_of(page_token)
        if last is not None:
            params.append(("id[$gt]", last))
        params += [
            ("fields", mapping.ORDER_SUMMARY_FIELDS),
            ("order", "id"),
            ("limit", str(page_size)),
            ("offset", "0"),
        ]
        page = await self._get(wire.ORDERS.path, MedusaOrderList, params)
        next_token = None
        if len(page.orders) == page_size and page.count > page_size:
            # A server (or proxy) dropping `id[$gt]` would serve the first page forever.
            check_advances(last, page.orders[-1].id)
            next_token = keyset_token(page.orders[-1].id)
        return Page(
            items=await map_in_slices(mapping.order_summary, page.orders),
            total=page.count if page_token is None else None,
            next_token=next_token,
        )

    async def get_order(self, order_id: str) -> OrderDetail:
        envelope = await self._get(
            wire.ORDER.format(id=order_id),
            MedusaOrderEnvelope,
            {"fields": mapping.ORDER_DETAIL_FIELDS},
        )
        return mapping.order_detail(envelope.order)

    # --- registration ---------------------------------------------------------------

    @staticmethod
    def registered_at(customer: CustomerSummary) -> datetime | None:
        """Medusa makes an account's record at sign-up: the storefront's registration
        creates a new customer with has_account true (admin-created records stay false, and
        a guest who registers gets a second record: uniqueness is on (email, has_account);
        docs/medusa-peer.md "Store side"). So that record's creation is the sign-up."""
        return customer.created_at if customer.has_account else None

    # --- password tokens -----------------------------------------------------------

    def token_eligibility(self, customer: CustomerSummary) -> TokenEligibility:
        if not customer.has_account:
            return TokenEligibility(
                allowed=False,
                reason=(
                    "This customer has no account (a guest or staff-created record), so "
                    "there is no password to reset. They can register in the store."
                ),
            )
        if not customer.email:
            return TokenEligibility(allowed=False, reason="This customer has no email address.")
        return TokenEligibility(
            allowed=True,
            description=(
                f"Medusa will email a password-reset link to {customer.email}. "
                "The link is valid for 15 minutes; an older link stops working."
            ),
        )

    async def issue_password_token(self, customer: CustomerSummary) -> TokenIssuance:
        eligibility = self.token_eligibility(customer)
        if not eligibility.allowed:
            raise NotEligibleError(eligibility.reason)
        assert customer.email is not None
        # Public auth route: Medusa answers 201 whatever the identifier (no enumeration)
        # and hands the token only to its notification provider, never to us.
        await self._http.request(
            wire.RESET_PASSWORD.method,
            wire.RESET_PASSWORD.path,
            json={"identifier": customer.email},
            authenticate=False,
            idempotent=False,
        )
        now = datetime.now(UTC)
        return TokenIssuance(
            kind=TokenKind.PASSWORD_RESET_EMAIL,
            customer_id=customer.id,
            delivered_to=customer.email,
            issued_at=now,
            valid_for=RESET_TOKEN_TTL,
            message=(
                f"Password-reset email requested for {customer.email} at "
                f"{now:%H:%M} UTC; Medusa sends the link, valid for 15 minutes."
            ),
        )


def _reject_empty_metadata(values: dict[str, Any]) -> None:
    empty = mapping.empty_metadata_values(values)
    if empty:
        raise ValidationFailedError(
            "Medusa cannot store an empty metadata value; remove the key instead.",
            field_errors=tuple(FieldError(f"metadata.{k}", "Empty value") for k in empty),
        )
