"""`ChecAdapter`: the Chec / Commerce.js REST API v1 (secret key) behind our protocols.

Endpoints and the evidence for each are in `app.backends.chec.wire`.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel, SecretStr

from app.backends.chec import mapping
from app.backends.chec.wire import (
    ChecAddress,
    ChecAddressList,
    ChecCustomer,
    ChecCustomerList,
    ChecIssuedJwt,
    ChecListMeta,
    ChecOrder,
    ChecOrderList,
)
from app.domain.capabilities import Capability
from app.domain.customer import Address, AddressDraft, Customer, CustomerDraft, CustomerSummary
from app.domain.errors import (
    BadResponseError,
    ErrorDetails,
    NotEligibleError,
    NotFoundError,
    ValidationFailedError,
)
from app.domain.order import OrderDetail, OrderSummary
from app.domain.patch import AddressPatch, CustomerPatch
from app.domain.query import CustomerQuery, Page, Sort, SortField
from app.domain.token import TokenEligibility, TokenIssuance, TokenKind
from app.gateway import ApiResponse, ApiTransport, GatewayOptions, StaticHeaderAuth
from app.gateway.pagination import PageGuard, next_offset, offset_of
from app.gateway.paths import segment

W = TypeVar("W", bound=BaseModel)

DEFAULT_URL = "https://api.chec.io"
# The reference's maximum `limit` is unknown [I]; 100 is what we dare ask for.
MAX_LIMIT = 100
ADDRESS_PAGE = 100
# Customer JWTs are valid 24 hours [D: "Get access token"]; assumed for issue-token [I].
JWT_TTL = timedelta(hours=24)
_ORDER_OWNERS = 2048  # order id -> customer id, remembered from listed orders

CAPABILITIES = (
    Capability.CUSTOMER_LIST
    | Capability.CUSTOMER_SEARCH  # `query` [T/I]; what it matches is unverified
    | Capability.CUSTOMER_CREATE
    | Capability.CUSTOMER_UPDATE
    | Capability.CUSTOMER_DELETE
    | Capability.SORT  # `sortBy` + `sortDirection` [S for orders, I for customers]
    | Capability.SPLIT_NAMES
    | Capability.PHONE
    | Capability.METADATA  # `meta`
    | Capability.ADDRESSES  # create [T]; list/update/delete [I]
    | Capability.DEFAULT_ADDRESSES  # `default_shipping` / `default_billing` [S, T]
    | Capability.ORDERS
    | Capability.PASSWORD_TOKENS  # a customer JWT minted by the secret key, or a login email
)
# Not declared, and why:
# - SEARCH_BY_PHONE: whether `query` matches phone numbers is not documented.
# - SEARCH_BY_COMPANY, COMPANY: Chec customers have no company [S: Customer.ts].
# - FILTER_HAS_ACCOUNT: Chec has no guest/registered distinction to filter on.
# - FILTER_EMAIL, FILTER_CREATED, FILTER_UPDATED: no such list parameters are known.
# - CHANGED_SINCE: no updated-since filter is known; a sync has to sweep everything.
# - GROUPS, GROUP_MEMBERSHIP: Chec has no customer groups.


class ChecAdapter:
    """Implements the customer, address, order and token protocols for Chec v1."""

    name = "chec"
    capabilities = CAPABILITIES
    sort_fields = frozenset(mapping.SORT_FIELD)

    def __init__(
        self,
        base_url: str,
        api_key: SecretStr,
        options: GatewayOptions = GatewayOptions(),
        *,
        login_url: str | None = None,
    ) -> None:
        """`login_url` (the shop's login callback, may hold `{token}`) switches token
        issuance from a JWT shown to staff to Chec's login email sent to the customer."""
        self._login_url = login_url
        self._order_owner: OrderedDict[str, str] = OrderedDict()
        self._http = ApiTransport(
            base_url or DEFAULT_URL,
            backend=self.name,
            auth=StaticHeaderAuth({"X-Authorization": api_key.get_secret_value()}),
            error_parser=mapping.parse_error_body,
            options=options,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- plumbing ------------------------------------------------------------------

    def _parse(self, response: ApiResponse, model: type[W], *, unwrap: bool = False) -> W:
        body = response.json()
        if unwrap and isinstance(body, dict) and "id" not in body:
            inner = body.get("data")
            if isinstance(inner, dict):
                body = inner
        return response.parse(model, body)

    async def _get(self, path: str, model: type[W], params: Any = None) -> W:
        return self._parse(await self._http.request("GET", path, params=params), model)

    async def _put(self, path: str, model: type[W], body: dict[str, Any]) -> W:
        # PUT sets the given fields to the given values: repeating it is harmless.
        response = await self._http.request("PUT", path, json=body)
        return self._parse(response, model)

    async def _window(
        self, path: str, params: list[tuple[str, str]], offset: int, size: int, model: type[W]
    ) -> tuple[list[W], int]:
        """The rows [offset, offset + size) of a paged list, and its total."""
        window = mapping.wire_window(offset, size, MAX_LIMIT)
        pages: list[W] = []
        guard = PageGuard(self.name)  # a server ignoring `page` repeats the first one
        for page in window.pages:
            body = await self._get(
                path, model, [*params, ("limit", str(window.limit)), ("page", str(page))]
            )
            guard.check(str(page), (row.id for row in getattr(body, "data", ())), str(page + 1))
            pages.append(body)
            meta = getattr(body, "meta", None)
            if not isinstance(meta, ChecListMeta) or page >= meta.pagination.total_pages:
                break
        return pages, _total(pages)

    async def check_connection(self) -> None:
        await self._http.request("GET", "/v1/customers", params={"limit": 1})

    # --- customers -----------------------------------------------------------------

    async def list_customers(
        self, query: CustomerQuery, page_token: str | None = None
    ) -> Page[CustomerSummary]:
        offset = offset_of(page_token)
        pages, total = await self._window(
            "/v1/customers",
            mapping.query_params(query),
            offset,
            query.page_size,
            ChecCustomerList,
        )
        rows = _slice([c for p in pages for c in p.data], offset, query.page_size)
        return Page(
            items=tuple(mapping.customer_summary(c) for c in rows),
            total=total,
            next_token=next_offset(offset, len(rows), total),
        )

    async def _customer(self, customer_id: str) -> ChecCustomer:
        return await self._get(f"/v1/customers/{segment(customer_id)}", ChecCustomer)

    async def get_customer(self, customer_id: str) -> Customer:
        wire = await self._customer(customer_id)
        return mapping.customer(wire, await self._addresses(customer_id))

    async def create_customer(self, draft: CustomerDraft) -> Customer:
        _refuse(mapping.unsupported_customer_fields(draft.company))
        response = await self._http.request(
            "POST",
            "/v1/customers",
            json=mapping.customer_create_body(draft),
            idempotent=False,  # a repeat would create a second customer
        )
        return mapping.customer(self._parse(response, ChecCustomer))

    async def update_customer(self, customer_id: str, patch: CustomerPatch) -> Customer:
        _refuse(mapping.unsupported_customer_fields(patch.company))
        current = await self._customer(customer_id)
        body = mapping.customer_update_body(patch, current.meta)
        if body:
            current = await self._put(f"/v1/customers/{segment(customer_id)}", ChecCustomer, body)
        return mapping.customer(current, await self._addresses(customer_id))

    async def delete_customer(self, customer_id: str) -> None:
        await self._http.request("DELETE", f"/v1/customers/{segment(customer_id)}")

    # --- addresses -----------------------------------------------------------------

    async def _addresses(self, customer_id: str) -> list[ChecAddress]:
        out: list[ChecAddress] = []
        page = 1
        while True:
            body = await self._get(
                f"/v1/customers/{segment(customer_id)}/addresses",
                ChecAddressList,
                {"limit": ADDRESS_PAGE, "page": page},
            )
            out.extend(body.data)
            if body.meta is None or page >= body.meta.pagination.total_pages or not body.data:
                return out
            page += 1

    async def list_addresses(self, customer_id: str) -> list[Address]:
        wire = await self._customer(customer_id)  # the default flags live on the customer
        return list(mapping.customer_addresses(wire, await self._addresses(customer_id)))

    async def _address(self, customer_id: str, address_id: str) -> Address:
        for item in await self.list_addresses(customer_id):
            if item.id == address_id:
                return item
        raise NotFoundError(
            "This address no longer exists.",
            details=ErrorDetails(
                backend=self.name,
                url=f"/v1/customers/{segment(customer_id)}/addresses/{segment(address_id)}",
            ),
        )

    async def create_address(self, customer_id: str, draft: AddressDraft) -> Address:
        response = await self._http.request(
            "POST",
            f"/v1/customers/{segment(customer_id)}/addresses",
            json=mapping.address_create_body(draft),
            idempotent=False,
        )
        created = self._parse(response, ChecAddress)
        if created.id is None:
            raise BadResponseError(details=response.details)
        return await self._address(customer_id, created.id)

    async def update_address(
        self, customer_id: str, address_id: str, patch: AddressPatch
    ) -> Address:
        current = await self._address(customer_id, address_id)
        body = mapping.address_update_body(patch, current)
        if not body:
            return current
        await self._put(
            f"/v1/customers/{segment(customer_id)}/addresses/{segment(address_id)}",
            ChecAddress,
            body,
        )
        return await self._address(customer_id, address_id)

    async def delete_address(self, customer_id: str, address_id: str) -> None:
        await self._http.request(
            "DELETE", f"/v1/customers/{segment(customer_id)}/addresses/{segment(address_id)}"
        )

    # --- orders --------------------------------------------------------------------

    async def list_orders(
        self, customer_id: str, page_token: str | None = None, page_size: int = 20
    ) -> Page[OrderSummary]:
        offset = offset_of(page_token)
        pages, total = await self._window(
            f"/v1/customers/{segment(customer_id)}/orders",
            mapping.sort_params(Sort(field=SortField.CREATED_AT, descending=True)),
            offset,
            page_size,
            ChecOrderList,
        )
        rows = _slice([o for p in pages for o in p.data], offset, page_size)
        for order in rows:
            self._remember_owner(order.id, customer_id)
        return Page(
            items=tuple(mapping.order_summary(o) for o in rows),
            total=total,
            next_token=next_offset(offset, len(rows), total),
        )

    def _remember_owner(self, order_id: str, customer_id: str) -> None:
        self._order_owner[order_id] = customer_id
        self._order_owner.move_to_end(order_id)
        while len(self._order_owner) > _ORDER_OWNERS:
            self._order_owner.popitem(last=False)

    async def get_order(self, order_id: str) -> OrderDetail:
        # The customer's route where we know the customer (from its order list), else the
        # merchant's "Retrieve order"; both answer the same order [D].
        owner = self._order_owner.get(order_id)
        path = (
            f"/v1/customers/{segment(owner)}/orders/{segment(order_id)}"
            if owner
            else f"/v1/orders/{segment(order_id)}"
        )
        response = await self._http.request("GET", path)
        return mapping.order_detail(self._parse(response, ChecOrder, unwrap=True))

    # --- tokens --------------------------------------------------------------------

    def token_eligibility(self, customer: CustomerSummary) -> TokenEligibility:
        who = customer.email or customer.display_name
        if self._login_url is not None:
            if not customer.email:
                return TokenEligibility(
                    allowed=False,
                    reason="This customer has no email address to send a login link to.",
                )
            return TokenEligibility(
                allowed=True,
                description=(
                    f"Chec will email a one-click login link to {customer.email}. "
                    "The link is short-lived."
                ),
            )
        # Every Chec customer can sign in: there is no guest record without an account.
        return TokenEligibility(
            allowed=True,
            description=(
                f"Chec will issue a sign-in token (JWT) for {who}, valid for 24 hours. "
                "It is shown to you once and not kept; pass it on securely."
            ),
        )

    async def issue_password_token(self, customer: CustomerSummary) -> TokenIssuance:
        eligibility = self.token_eligibility(customer)
        if not eligibility.allowed:
            raise NotEligibleError(eligibility.reason)
        if self._login_url is not None:
            return await self._send_login_email(customer)
        return await self._issue_jwt(customer)

    async def _issue_jwt(self, customer: CustomerSummary) -> TokenIssuance:
        response = await self._http.request(
            "POST", f"/v1/customers/{segment(customer.id)}/issue-token", idempotent=False
        )
        issued = self._parse(response, ChecIssuedJwt)
        now = datetime.now(UTC)
        return TokenIssuance(
            kind=TokenKind.CUSTOMER_TOKEN,
            customer_id=customer.id,
            delivered_to=None,
            issued_at=now,
            valid_for=JWT_TTL,
            message=(
                f"Sign-in token for {customer.email or customer.display_name} issued at "
                f"{now:%H:%M} UTC, valid for 24 hours. Copy it now: it is not shown again."
            ),
            secret=SecretStr(issued.jwt),
        )

    async def _send_login_email(self, customer: CustomerSummary) -> TokenIssuance:
        assert customer.email is not None
        assert self._login_url is not None
        await self._http.request(
            "POST",
            "/v1/customers/email-token",
            json={"email": customer.email, "base_url": self._login_url},
            idempotent=False,
        )
        now = datetime.now(UTC)
        return TokenIssuance(
            kind=TokenKind.LOGIN_LINK_EMAIL,
            customer_id=customer.id,
            delivered_to=customer.email,
            issued_at=now,
            valid_for=None,  # "short-lived": the reference gives no figure
            message=f"Chec is emailing a one-click login link to {customer.email}.",
        )


def _total(pages: list[Any]) -> int:
    for page in pages:
        meta = getattr(page, "meta", None)
        if isinstance(meta, ChecListMeta):
            return meta.pagination.total
    return 0


def _slice(rows: list[W], offset: int, size: int) -> list[W]:
    window = mapping.wire_window(offset, size, MAX_LIMIT)
    return rows[window.skip : window.skip + size]


def _refuse(errors: tuple[Any, ...]) -> None:
    if errors:
        raise ValidationFailedError(
            "; ".join(f"{e.field}: {e.message}" for e in errors), field_errors=errors
        )
