"""`ChecAdapter`: the Chec / Commerce.js REST API v1 (secret key) behind our protocols.

Every request is a declared route with its evidence (`app.backends.chec.wire.ROUTES`).
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel, SecretStr

from app.backends.chec import mapping, wire
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
    AppError,
    ErrorDetails,
    HttpStatusError,
    NotEligibleError,
    NotFoundError,
    UnsupportedOperationError,
)
from app.domain.limitations import ADDRESS_BOOK_DEFAULTS_ONLY, AddressBook, Limitation
from app.domain.order import OrderDetail, OrderSummary
from app.domain.patch import AddressPatch, CustomerPatch
from app.domain.query import CustomerQuery, Page
from app.domain.token import TokenEligibility, TokenIssuance, TokenKind
from app.domain.validation import raise_field_errors
from app.gateway import ApiResponse, ApiTransport, GatewayOptions, StaticHeaderAuth
from app.gateway.pagination import PageGuard, next_offset, offset_of

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
    | Capability.SPLIT_NAMES
    | Capability.PHONE
    | Capability.METADATA  # `meta`
    | Capability.ADDRESSES  # create [T]; list/update/delete [I]: see `AddressBook`
    | Capability.DEFAULT_ADDRESSES  # `default_shipping` / `default_billing` [S, T]
    | Capability.ORDERS
    | Capability.PASSWORD_TOKENS  # a customer JWT minted by the secret key, or a login email
    # In `meta.merchant_desk_notes`; `meta` is read, merged and sent whole (replaced or
    # merged by the API: unproven, read-merge-write holds either way) [T: Customer.ts meta]
    | Capability.NOTES
)
# Not declared, and why:
# - SORT: no source documents `sortBy` for the customer list; the list comes in Chec's order.
# - SEARCH_BY_PHONE: whether `query` matches phone numbers is not documented.
# - SEARCH_BY_COMPANY, COMPANY: Chec customers have no company [S: Customer.ts].
# - FILTER_HAS_ACCOUNT: Chec has no guest/registered distinction to filter on.
# - FILTER_EMAIL, FILTER_CREATED, FILTER_UPDATED: no such list parameters are known.
# - CHANGED_SINCE: no updated-since filter is known; a sync has to sweep everything.
# - GROUPS, GROUP_MEMBERSHIP: Chec has no customer groups.


# No source documents listing a customer's addresses (`GET /v1/customers/{id}/addresses`)
# [I]: its first answer decides the `AddressBook` (a 404/405: only the defaults, read-only).
ADDRESS_BOOK_NOTICE = ADDRESS_BOOK_DEFAULTS_ONLY.unavailable
_UNLISTED = "unlisted-"  # the id of an address Chec accepted but no answer showed


class ChecAdapter:
    """Implements the customer, address, order and token protocols for Chec v1."""

    name = "chec"
    capabilities = CAPABILITIES
    sort_fields = frozenset(mapping.SORT_FIELD)  # none: see CAPABILITIES
    routes = wire.ROUTES

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
        self._address_book = AddressBook.UNKNOWN
        self._missing_status: int | None = None  # the 404/405 that showed the list missing
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

    @property
    def address_book(self) -> AddressBook:
        """Whether customers' addresses are listed in full or only their defaults."""
        return self._address_book

    @property
    def limitations(self) -> tuple[Limitation, ...]:
        """What staff should be told this store cannot do, as found so far."""
        if self._address_book is AddressBook.DEFAULTS:
            return (ADDRESS_BOOK_DEFAULTS_ONLY.model_copy(update={"status": self._missing_status}),)
        return ()

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
        await self._http.request("GET", wire.CUSTOMERS.path, params={"limit": 1})

    # --- customers -----------------------------------------------------------------

    async def list_customers(
        self, query: CustomerQuery, page_token: str | None = None
    ) -> Page[CustomerSummary]:
        offset = offset_of(page_token)
        pages, total = await self._window(
            wire.CUSTOMERS.path,
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
        return await self._get(wire.CUSTOMER.format(id=customer_id), ChecCustomer)

    async def get_customer(self, customer_id: str) -> Customer:
        wire = await self._customer(customer_id)
        return mapping.customer(wire, await self._book(wire))

    async def create_customer(self, draft: CustomerDraft) -> Customer:
        raise_field_errors(mapping.unsupported_customer_fields(draft.company))
        response = await self._http.request(
            wire.CUSTOMER_CREATE.method,
            wire.CUSTOMER_CREATE.path,
            json=mapping.customer_create_body(draft),
            idempotent=False,  # a repeat would create a second customer
        )
        return mapping.customer(self._parse(response, ChecCustomer))

    async def update_customer(self, customer_id: str, patch: CustomerPatch) -> Customer:
        raise_field_errors(mapping.unsupported_customer_fields(patch.company))
        current = await self._customer(customer_id)
        body = mapping.customer_update_body(patch, current.meta)
        if not body:
            return mapping.customer(current, await self._book(current))
        response = await self._http.request(
            wire.CUSTOMER_UPDATE.method, wire.CUSTOMER_UPDATE.format(id=customer_id), json=body
        )
        # Accepted: from here on nothing turns the update into an error.
        try:
            updated = self._parse(response, ChecCustomer)
        except AppError:
            updated = await self._reread(customer_id) or current.model_copy(update=body)
        return mapping.customer(updated, await self._book(updated, after_write=True))

    async def delete_customer(self, customer_id: str) -> None:
        await self._http.request(
            wire.CUSTOMER_DELETE.method, wire.CUSTOMER_DELETE.format(id=customer_id)
        )

    # --- addresses -----------------------------------------------------------------

    async def _reread(self, customer_id: str) -> ChecCustomer | None:
        """The customer after an accepted write, or None where reading it fails."""
        try:
            return await self._customer(customer_id)
        except AppError:
            return None

    async def _listed(self, customer_id: str) -> list[ChecAddress] | None:
        """Every saved address, or None where the store lists none (404/405)."""
        if self._address_book is AddressBook.DEFAULTS:
            return None
        out: list[ChecAddress] = []
        page = 1
        while True:
            try:
                body = await self._get(
                    wire.ADDRESSES.format(id=customer_id),
                    ChecAddressList,
                    {"limit": ADDRESS_PAGE, "page": page},
                )
            except HttpStatusError as exc:
                if exc.status not in (404, 405):
                    raise
                # Asked right after the customer was read: the route is what is missing.
                # Once it has answered, a 404 is this customer gone, not the route.
                if self._address_book is AddressBook.UNKNOWN:
                    self._address_book = AddressBook.DEFAULTS
                    self._missing_status = exc.status
                return None
            self._address_book = AddressBook.LISTED
            out.extend(body.data)
            if body.meta is None or page >= body.meta.pagination.total_pages or not body.data:
                return out
            page += 1

    async def _book(self, wire: ChecCustomer, *, after_write: bool = False) -> list[ChecAddress]:
        """The customer's addresses: listed where the store lists them, else its defaults.
        `after_write`: a failing read falls back to the defaults too (the write stands)."""
        try:
            listed = await self._listed(wire.id)
        except AppError:
            if not after_write:
                raise
            listed = None
        return listed if listed is not None else mapping.default_addresses(wire)

    async def list_addresses(self, customer_id: str) -> list[Address]:
        wire = await self._customer(customer_id)  # the default flags live on the customer
        return list(mapping.customer_addresses(wire, await self._book(wire)))

    async def _address(self, customer_id: str, address_id: str) -> Address:
        for item in await self.list_addresses(customer_id):
            if item.id == address_id:
                return item
        if self._address_book is AddressBook.DEFAULTS or address_id.startswith(_UNLISTED):
            raise UnsupportedOperationError(ADDRESS_BOOK_NOTICE)
        raise NotFoundError(
            "This address no longer exists.",
            details=ErrorDetails(
                backend=self.name,
                url=wire.ADDRESS_UPDATE.format(id=customer_id, address_id=address_id),
            ),
        )

    async def create_address(self, customer_id: str, draft: AddressDraft) -> Address:
        sent = mapping.address_create_body(draft)
        response = await self._http.request(
            wire.ADDRESS_CREATE.method,
            wire.ADDRESS_CREATE.format(id=customer_id),
            json=sent,
            idempotent=False,
        )
        # Accepted. What Chec answers is undocumented [I]: the address, or something else
        # (the customer, a bare acknowledgement). Find the address; never fail from here.
        answer = _created_answer(response)
        owner = answer if isinstance(answer, ChecCustomer) else await self._reread(customer_id)
        book = await self._book(owner, after_write=True) if owner is not None else []
        if isinstance(answer, ChecAddress):
            book = [a for a in book if a.id != answer.id] + [answer]
            found: ChecAddress | None = answer
        else:
            found = _match(book, sent)
        if found is None or found.id is None:
            return mapping.drafted_address(customer_id, _UNLISTED + uuid.uuid4().hex, draft)
        if owner is None:  # the flags cannot be read back: the ones asked for
            return mapping.address(found, customer_id).model_copy(
                update={
                    "is_default_shipping": draft.is_default_shipping,
                    "is_default_billing": draft.is_default_billing,
                }
            )
        shown = mapping.customer_addresses(owner, book)
        return next(a for a in shown if a.id == found.id)

    async def update_address(
        self, customer_id: str, address_id: str, patch: AddressPatch
    ) -> Address:
        current = await self._address(customer_id, address_id)
        body = mapping.address_update_body(patch, current)
        if not body:
            return current
        path = wire.ADDRESS_UPDATE.format(id=customer_id, address_id=address_id)
        await self._address_write(self._http.request(wire.ADDRESS_UPDATE.method, path, json=body))
        # Accepted: a read that fails or cannot show it leaves the change as sent.
        try:
            return await self._address(customer_id, address_id)
        except AppError:
            return mapping.patched_address(current, patch)

    async def delete_address(self, customer_id: str, address_id: str) -> None:
        path = wire.ADDRESS_DELETE.format(id=customer_id, address_id=address_id)
        await self._address_write(self._http.request(wire.ADDRESS_DELETE.method, path))

    async def _address_write(self, request: Awaitable[ApiResponse]) -> None:
        """An address update or delete; where the store lists no addresses, a 404/405 is
        the undocumented route missing [I], not the address: say so, nothing changed."""
        try:
            await request
        except HttpStatusError as exc:
            missing = exc.status == 405 or (
                exc.status == 404 and self._address_book is AddressBook.DEFAULTS
            )
            if missing:
                self._address_book = AddressBook.DEFAULTS
                self._missing_status = self._missing_status or exc.status
                raise UnsupportedOperationError(ADDRESS_BOOK_NOTICE, details=exc.details) from exc
            raise

    # --- orders --------------------------------------------------------------------

    async def list_orders(
        self, customer_id: str, page_token: str | None = None, page_size: int = 20
    ) -> Page[OrderSummary]:
        offset = offset_of(page_token)
        pages, total = await self._window(
            wire.ORDERS.format(id=customer_id),
            list(mapping.ORDER_SORT_PARAMS),
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

    # Chec documents no updated (nor created) filter and no sort for `GET /v1/orders`, and
    # its orders carry no `updated` [S: Order.ts]: every pass reads every order.
    filters_orders_by_updated_at = False

    async def list_orders_changed_since(
        self, since: datetime | None, page_token: str | None = None, page_size: int = 500
    ) -> Page[OrderSummary]:
        """Every order whatever `since` says (see `filters_orders_by_updated_at`), paged in
        Chec's own order: an order placed during a pass may push one already listed onto
        the next page, where it comes again (the mirror keys orders by id)."""
        offset = offset_of(page_token)
        pages, total = await self._window(
            wire.ALL_ORDERS.path, [], offset, page_size, ChecOrderList
        )
        rows = _slice([o for p in pages for o in p.data], offset, page_size)
        return Page(
            items=tuple(mapping.order_summary(o) for o in rows),
            total=total if page_token is None else None,
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
            wire.CUSTOMER_ORDER.format(id=owner, order_id=order_id)
            if owner
            else wire.ORDER.format(order_id=order_id)
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
                    action="Email login link",
                )
            return TokenEligibility(
                allowed=True,
                action="Email login link",
                description=(
                    f"Chec will email a one-click login link to {customer.email}. "
                    "The link is short-lived."
                ),
            )
        # Every Chec customer can sign in: there is no guest record without an account.
        return TokenEligibility(
            allowed=True,
            action="Issue login token",
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
            wire.ISSUE_TOKEN.method, wire.ISSUE_TOKEN.format(id=customer.id), idempotent=False
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
            wire.EMAIL_TOKEN.method,
            wire.EMAIL_TOKEN.path,
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


def _created_answer(response: ApiResponse) -> ChecAddress | ChecCustomer | None:
    """What an address create answered: the address (with its id), the customer, or
    neither (None). Some answers wrap the object in `data`."""
    try:
        body = response.json()
    except AppError:
        return None
    if isinstance(body, dict) and "id" not in body and isinstance(body.get("data"), dict):
        body = body["data"]
    if not isinstance(body, dict) or not isinstance(body.get("id"), str):
        return None
    customer_like = ("email", "firstname", "lastname", "default_shipping", "default_billing")
    model: type[ChecAddress] | type[ChecCustomer] = (
        ChecCustomer if any(k in body for k in customer_like) else ChecAddress
    )
    try:
        return model.model_validate(body)
    except ValueError:
        return None


def _match(book: list[ChecAddress], sent: dict[str, Any]) -> ChecAddress | None:
    """The saved address a create without its id in the answer made: the newest alike."""
    alike = [a for a in book if a.id and mapping.same_place(a, sent)]
    return alike[-1] if alike else None


def _total(pages: list[Any]) -> int:
    for page in pages:
        meta = getattr(page, "meta", None)
        if isinstance(meta, ChecListMeta):
            return meta.pagination.total
    return 0


def _slice(rows: list[W], offset: int, size: int) -> list[W]:
    window = mapping.wire_window(offset, size, MAX_LIMIT)
    return rows[window.skip : window.skip + size]
