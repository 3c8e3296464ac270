"""`ElasticPathAdapter`: Elastic Path Commerce Cloud (Customers v2) behind our protocols.

Built from the vendor's reference, SDK and CLI (`wire.ROUTES` holds each request's
evidence and how sure it is) and proven against the strict emulation in
`demostore.elasticpath`. Its address form (`address_form`) is what Elastic Path requires.
What Elastic Path cannot do is left out of `CAPABILITIES` rather than faked: no phone,
company, groups, has-account filter or default addresses; no staff-side password token
(see `password_token_refusal`).
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel, SecretStr, ValidationError

from app.backends.elasticpath import mapping
from app.backends.elasticpath import wire as api
from app.backends.elasticpath.auth import ExpiringTokenAuth, IssuedToken
from app.backends.elasticpath.wire import (
    EPAccessToken,
    EPAddress,
    EPAddressEnvelope,
    EPAddressList,
    EPCustomer,
    EPCustomerEnvelope,
    EPCustomerList,
    EPCustomerTokenEnvelope,
    EPFieldList,
    EPOrderEnvelope,
    EPOrderItemList,
    EPOrderList,
)
from app.domain.capabilities import Capability
from app.domain.customer import Address, AddressDraft, Customer, CustomerDraft, CustomerSummary
from app.domain.errors import (
    AppError,
    AuthenticationError,
    BadResponseError,
    ConflictError,
    FieldError,
    NotFoundError,
    ValidationFailedError,
)
from app.domain.order import OrderDetail, OrderSummary
from app.domain.patch import UNSET, AddressPatch, CustomerPatch
from app.domain.query import CustomerQuery, Page, SortField
from app.domain.token import TokenIssuance, TokenKind
from app.gateway import ApiResponse, ApiTransport, GatewayOptions
from app.gateway.pagination import check_advances, keyset_of, keyset_token, next_offset

W = TypeVar("W", bound=BaseModel)

# "Authentication tokens ... expire within 1 hour" (authentication OpenAPISpec.yaml): the
# lifetime we assume when a token answer carries neither `expires_in` nor `expires`.
DEFAULT_TOKEN_LIFETIME_S = 3600.0
WRITE_CONFLICT_RETRY_DELAY_S = 0.25

CAPABILITIES = (
    Capability.CUSTOMER_LIST
    | Capability.CUSTOMER_SEARCH
    | Capability.CUSTOMER_CREATE
    | Capability.CUSTOMER_UPDATE
    | Capability.CUSTOMER_DELETE
    | Capability.FILTER_EMAIL
    | Capability.FILTER_CREATED
    | Capability.FILTER_UPDATED
    | Capability.SORT
    | Capability.CHANGED_SINCE
    | Capability.METADATA
    | Capability.ADDRESSES
    | Capability.ORDERS
    # A customer created without a password (`password: false`) cannot sign in.
    | Capability.GUEST_CUSTOMERS
)


@dataclass(frozen=True, slots=True)
class ElasticPathCredentials:
    """An application key's client id and secret (Commerce Manager › Application Keys)."""

    client_id: str
    client_secret: SecretStr

    def __post_init__(self) -> None:
        if not self.client_id or not self.client_secret.get_secret_value():
            raise ValueError("Elastic Path needs a client id and a client secret")


@dataclass
class _Stream:
    """One server-side filtered, sorted listing that the merge consumes in order."""

    filters: tuple[str, ...]
    consumed: int = 0  # offset mode: rows taken from the stream (incl. the token's start)
    fetched: int = 0  # offset mode: rows fetched so far (the next page's offset)
    after: str | None = None  # keyset mode: fetch rows after this id
    buffer: deque[EPCustomer] = field(default_factory=deque)
    exhausted: bool = False
    total: int | None = None


def _offsets(token: str | None, count: int) -> list[int]:
    if token and token.startswith("o:"):
        try:
            values = [max(0, int(v)) for v in token[2:].split(",")]
        except ValueError:
            values = []
        if len(values) == count:
            return values
    return [0] * count


@dataclass(frozen=True, slots=True)
class _OrderWindow:
    """Where a created_at pass over /v2/orders stands: orders created at or after `start`
    (None: from the first), of which the first `skip` were already returned."""

    start: str | None = None
    skip: int = 0

    @classmethod
    def of(cls, token: str | None) -> _OrderWindow:
        start, _, skip = (keyset_of(token) or "").rpartition(" ")
        if not start or not skip.isdigit():
            return cls()
        return cls(start, int(skip))

    def after(self, rows: list[OrderSummary]) -> _OrderWindow:
        if not rows:
            return self
        last = mapping.iso(rows[-1].created_at)
        same = sum(1 for r in rows if mapping.iso(r.created_at) == last)
        if last == self.start:  # the whole page shared the window's instant
            return _OrderWindow(last, self.skip + len(rows))
        if self.start is not None and last < self.start:
            # The server ignored the window (or its sort): it would never end.
            check_advances(self.start, last)
        return _OrderWindow(last, same)

    def token(self) -> str:
        return keyset_token(f"{self.start} {self.skip}")


class ElasticPathAdapter:
    """Implements the directory, write, address, order-history and changed-since protocols."""

    name = "elasticpath"
    capabilities = CAPABILITIES
    lists_addresses = False  # addresses: one request per customer
    address_form = mapping.ADDRESS_FORM
    sort_fields = frozenset(mapping.SORT_FIELD)
    sign_in_routes = frozenset({(api.SIGN_IN.method, api.SIGN_IN.path)})
    routes = api.ROUTES

    def __init__(
        self,
        base_url: str,
        credentials: ElasticPathCredentials,
        options: GatewayOptions = GatewayOptions(),
    ) -> None:
        self._credentials = credentials
        self._clock = options.clock
        self._sleep = options.sleep
        self.auth = ExpiringTokenAuth(self._login, clock=options.clock)
        self._http = ApiTransport(
            base_url,
            backend=self.name,
            auth=self.auth,
            error_parser=mapping.parse_error_body,
            options=options,
        )
        self._field_slugs: frozenset[str] | None = None

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- plumbing ------------------------------------------------------------------

    async def _login(self) -> IssuedToken:
        creds = self._credentials
        try:
            # The token endpoint takes only a form body (authentication/OpenAPISpec.yaml).
            response = await self._http.request(
                api.SIGN_IN.method,
                api.SIGN_IN.path,
                form={
                    "grant_type": "client_credentials",
                    "client_id": creds.client_id,
                    "client_secret": creds.client_secret.get_secret_value(),
                },
                authenticate=False,
                idempotent=True,
            )
        except ValidationFailedError as exc:  # a refused client is a sign-in failure
            raise AuthenticationError(details=exc.details) from exc
        body = response.json()
        if isinstance(body, dict) and isinstance(body.get("data"), dict):
            body = body["data"]  # some reference pages wrap the token in `data`
        try:
            token = EPAccessToken.model_validate(body)
        except ValidationError as exc:
            raise BadResponseError(details=response.details) from exc
        now = self._clock()
        if token.expires_in is not None:
            expires_at = now + token.expires_in  # relative: immune to clock skew
        elif token.expires is not None:
            expires_at = token.expires
        else:
            expires_at = now + DEFAULT_TOKEN_LIFETIME_S
        return IssuedToken(token.access_token, expires_at, now)

    def _parse(self, response: ApiResponse, model: type[W]) -> W:
        return response.parse(model)

    async def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Any = None,
        idempotent: bool | None = None,
        address: bool = False,
    ) -> ApiResponse:
        """A request, with Elastic Path's refusals sorted out.

        Field errors name Elastic Path attributes: they become domain fields as the request
        was (`address`: `name` is the label; else a customer's name). A duplicate email has
        no documented shape (inferred): any error speaking of an existing email, or a 409 on
        a customer speaking of an existing record, is a field error on the email. A "Write
        conflict detected" 409 (guides/Getting-Started/errors.md) is retried once for
        idempotent requests; otherwise staff see `ConflictError`.
        """
        safe = method in ("GET", "PUT", "DELETE") if idempotent is None else idempotent
        translate = mapping.address_field_errors if address else mapping.customer_field_errors
        attempt = 0
        while True:
            try:
                return await self._http.request(
                    method, path, json=json, params=params, idempotent=idempotent
                )
            except ValidationFailedError as exc:
                raise ValidationFailedError(
                    exc.user_message,
                    field_errors=translate(exc.field_errors),
                    details=exc.details,
                ) from exc
            except ConflictError as exc:
                text = exc.details.body_excerpt or ""
                if mapping.is_duplicate_email(text, "", conflict=not address):
                    raise ValidationFailedError(
                        mapping.DUPLICATE_EMAIL_MESSAGE,
                        field_errors=(FieldError("email", mapping.DUPLICATE_EMAIL_MESSAGE),),
                        details=exc.details,
                    ) from exc
                if safe and attempt == 0 and "conflict" in text.lower():
                    attempt += 1
                    await self._sleep(WRITE_CONFLICT_RETRY_DELAY_S)
                    continue
                raise

    async def _get(self, path: str, model: type[W], params: Any = None) -> W:
        return self._parse(await self._send("GET", path, params=params), model)

    async def check_connection(self) -> None:
        await self._send("GET", api.CUSTOMERS.path, params={"page[limit]": 1})

    async def field_slugs(self) -> frozenset[str]:
        """Slugs of the enabled custom fields of the store's `customers` flow (cached)."""
        if self._field_slugs is None:
            try:
                fields = await self._get(api.FLOW_FIELDS.path, EPFieldList)
                self._field_slugs = frozenset(f.slug for f in fields.data if f.enabled)
            except NotFoundError:
                self._field_slugs = frozenset()  # no customers flow: no custom fields
        return self._field_slugs

    # --- customer listing ----------------------------------------------------------

    async def _fetch(self, stream: _Stream, sort: SortField, descending: bool, limit: int) -> None:
        params: list[tuple[str, str | int]] = []
        filters = list(stream.filters)
        if sort is SortField.ID:
            if stream.after is not None:
                filters.append(mapping.op("lt" if descending else "gt", "id", stream.after))
        else:
            params.append(("page[offset]", stream.fetched))
        if filters:
            params.append(("filter", ":".join(filters)))
        params.append(("sort", mapping.sort_param(sort, descending)))
        params.append(("page[limit]", limit))
        page = await self._get(api.CUSTOMERS.path, EPCustomerList, params)
        if stream.total is None:
            stream.total = page.meta.results.total
        stream.buffer.extend(page.data)
        stream.fetched += len(page.data)
        if page.data:
            if sort is SortField.ID:  # a server ignoring `gt(id,…)` would repeat itself
                check_advances(stream.after, page.data[-1].id, descending=descending)
            stream.after = page.data[-1].id
        stream.exhausted = len(page.data) < limit

    async def _collect(
        self,
        plan: mapping.SearchPlan,
        sort: SortField,
        descending: bool,
        size: int,
        token: str | None,
    ) -> tuple[list[EPCustomer], str | None, list[_Stream]]:
        """Merge the plan's streams in sort order, de-duplicated, filtered client-side."""
        keyset = sort is SortField.ID
        streams = [_Stream(filters=f) for f in plan.streams]
        if keyset:
            for s in streams:
                s.after = keyset_of(token)
        else:
            for s, start in zip(streams, _offsets(token, len(streams)), strict=True):
                s.consumed = s.fetched = start
        single = len(streams) == 1 and not plan.client_tokens
        out: list[EPCustomer] = []
        last_popped: str | None = keyset_of(token)
        while len(out) < size:
            need = [s for s in streams if not s.buffer and not s.exhausted]
            if need:
                limit = min(mapping.PAGE_LIMIT_MAX, size - len(out)) if single else 100
                await asyncio.gather(*(self._fetch(s, sort, descending, limit) for s in need))
            live = [s for s in streams if s.buffer]
            if not live:
                break
            keys = [mapping.sort_key(s.buffer[0], sort) for s in live]
            best = max(keys) if descending else min(keys)
            head_id = best[1]
            item: EPCustomer | None = None
            for s in live:
                if s.buffer[0].id == head_id:
                    item = s.buffer.popleft()
                    s.consumed += 1
            assert item is not None
            last_popped = item.id
            if mapping.matches_tokens(item, plan.client_tokens):
                out.append(item)
        more = any(s.buffer or not s.exhausted for s in streams)
        next_token: str | None = None
        if more and len(out) >= size:
            if keyset:
                # A full page popped at least one row, so there is a key to resume after.
                next_token = keyset_token(last_popped) if last_popped is not None else None
            else:
                next_token = "o:" + ",".join(str(s.consumed) for s in streams)
        return out, next_token, streams

    async def _total(self, plan: mapping.SearchPlan, streams: list[_Stream]) -> int | None:
        if plan.client_tokens or any(s.total is None for s in streams):
            return None
        if len(streams) == 1:
            return streams[0].total
        assert plan.overlap is not None
        both = await self._get(
            api.CUSTOMERS.path,
            EPCustomerList,
            [("filter", ":".join(plan.overlap)), ("page[limit]", 1)],
        )
        return sum(s.total or 0 for s in streams) - both.meta.results.total

    async def list_customers(
        self, query: CustomerQuery, page_token: str | None = None
    ) -> Page[CustomerSummary]:
        plan = mapping.search_plan(query)
        sort = query.sort.field if query.sort.field in self.sort_fields else SortField.ID
        rows, next_token, streams = await self._collect(
            plan, sort, query.sort.descending, query.page_size, page_token
        )
        total = await self._total(plan, streams) if page_token is None else None
        return Page(
            items=tuple(mapping.customer_summary(c) for c in rows),
            total=total,
            next_token=next_token,
        )

    async def list_changed_since(
        self, since: datetime | None, page_token: str | None = None, page_size: int = 500
    ) -> Page[Customer]:
        """Customers with updated_at >= since, in id order (keyset: stable under changes).

        Addresses are not included: Elastic Path lists them per customer only.
        """
        filters = (mapping.op("ge", "updated_at", mapping.iso(since)),) if since else ()
        plan = mapping.SearchPlan(streams=(filters,), client_tokens=(), overlap=None)
        rows, next_token, streams = await self._collect(
            plan, SortField.ID, False, page_size, page_token
        )
        slugs = await self.field_slugs()
        return Page(
            items=tuple(mapping.customer(c, slugs) for c in rows),
            total=streams[0].total if page_token is None else None,
            next_token=next_token,
        )

    # --- one customer --------------------------------------------------------------

    async def _wire_customer(self, customer_id: str) -> EPCustomer:
        return (await self._get(api.CUSTOMER.format(id=customer_id), EPCustomerEnvelope)).data

    async def _wire_addresses(self, customer_id: str) -> list[EPAddress]:
        path = api.ADDRESSES.format(id=customer_id)
        return self._parse(await self._send("GET", path, address=True), EPAddressList).data

    async def _after_write(self, wire: EPCustomer) -> Customer:
        """The customer an accepted write answered, with its addresses. The write stands
        whatever happens next: a failing follow-up read leaves the addresses out (the next
        open reads them) and shows the custom fields the answer carries."""
        try:
            slugs = await self.field_slugs()
        except AppError:
            slugs = frozenset(k for k, v in wire.custom_fields().items() if v is not None)
        try:
            addresses = await self._wire_addresses(wire.id)
        except AppError:
            addresses = []
        return mapping.customer(wire, slugs, [mapping.address(a, wire.id) for a in addresses])

    async def get_customer(self, customer_id: str) -> Customer:
        wire, slugs, addresses = await asyncio.gather(
            self._wire_customer(customer_id),
            self.field_slugs(),
            self._wire_addresses(customer_id),
        )
        return mapping.customer(wire, slugs, [mapping.address(a, wire.id) for a in addresses])

    async def create_customer(
        self, draft: CustomerDraft, password: SecretStr | None = None
    ) -> Customer:
        """A customer; with `password`, one who can sign in (`password: true`)."""
        slugs = await self.field_slugs()
        problems = mapping.unsupported_customer_fields(
            draft.phone, draft.company, draft.metadata, slugs
        )
        if not draft.email:
            problems.insert(
                0, FieldError("email", "Elastic Path needs an email address for every customer.")
            )
        _raise(problems)
        body = mapping.customer_create_body(draft)
        if password is not None:
            body["data"]["password"] = password.get_secret_value()
        response = await self._send(
            api.CUSTOMER_CREATE.method, api.CUSTOMER_CREATE.path, json=body, idempotent=False
        )
        wire = self._parse(response, EPCustomerEnvelope).data
        return mapping.customer(wire, slugs)

    async def update_customer(self, customer_id: str, patch: CustomerPatch) -> Customer:
        slugs = await self.field_slugs()
        _raise(
            mapping.unsupported_customer_fields(
                patch.phone if patch.phone is not UNSET else None,
                patch.company if patch.company is not UNSET else None,
                [*patch.metadata.set, *patch.metadata.remove],
                slugs,
            )
        )
        if patch.email is None:
            _raise([FieldError("email", "Elastic Path needs an email address.")])
        needs_current = (
            patch.first_name is not UNSET or patch.last_name is not UNSET or bool(patch.email)
        )
        current = await self._wire_customer(customer_id) if needs_current else None
        body = mapping.customer_update_body(patch, current)
        if set(body["data"]) == {"type"}:
            return await self.get_customer(customer_id)  # nothing Elastic Path stores changed
        envelope = self._parse(
            await self._send(
                api.CUSTOMER_UPDATE.method, api.CUSTOMER_UPDATE.format(id=customer_id), json=body
            ),
            EPCustomerEnvelope,
        )
        return await self._after_write(envelope.data)

    async def delete_customer(self, customer_id: str) -> None:
        await self._send(api.CUSTOMER_DELETE.method, api.CUSTOMER_DELETE.format(id=customer_id))

    # --- passwords and customer tokens (Elastic Path specific) ----------------------

    async def set_password(self, customer_id: str, password: SecretStr) -> Customer:
        """Set a customer's password (`PUT /v2/customers/:id {password}`); it is never read
        back, the customer then shows `has_account` (Elastic Path's `password: true`)."""
        body = {"data": {"type": "customer", "password": password.get_secret_value()}}
        envelope = self._parse(
            await self._send(
                api.CUSTOMER_UPDATE.method, api.CUSTOMER_UPDATE.format(id=customer_id), json=body
            ),
            EPCustomerEnvelope,
        )
        return await self._after_write(envelope.data)

    async def issue_customer_token(self, email: str, password: SecretStr) -> TokenIssuance:
        """A customer token (`POST /v2/customers/tokens`), which needs the customer's own
        password: for a customer at the desk who tells staff their password, never a mint."""
        body = {
            "data": {
                "type": "token",
                "email": email,
                "password": password.get_secret_value(),
                "authentication_mechanism": "password",
            }
        }
        response = await self._send(
            api.CUSTOMER_TOKEN.method, api.CUSTOMER_TOKEN.path, json=body, idempotent=False
        )
        token = self._parse(response, EPCustomerTokenEnvelope).data
        now = datetime.now(UTC)
        valid = (
            timedelta(seconds=max(0.0, token.expires - self._clock()))
            if token.expires is not None
            else None
        )
        return TokenIssuance(
            kind=TokenKind.CUSTOMER_TOKEN,
            customer_id=token.customer_id,
            delivered_to=None,
            issued_at=now,
            valid_for=valid,
            message=(
                f"Elastic Path issued a customer token for {email}; it is shown once and "
                "is not stored."
            ),
            secret=SecretStr(token.token),
        )

    # Not `SupportsPasswordTokens` (and no PASSWORD_TOKENS flag): the desk says why instead.
    password_token_refusal = (
        "Elastic Path cannot email a reset link or issue a sign-in token for a "
        "customer without the customer's own password. A new password can be set "
        "for the account in Commerce Manager instead."
    )

    # --- addresses -----------------------------------------------------------------

    async def list_addresses(self, customer_id: str) -> list[Address]:
        wires = await self._wire_addresses(customer_id)
        return sorted((mapping.address(a, customer_id) for a in wires), key=lambda a: a.id)

    async def create_address(self, customer_id: str, draft: AddressDraft) -> Address:
        _raise(
            mapping.ADDRESS_FORM.draft_problems(draft)
            + mapping.address_problems(
                draft.metadata, draft.is_default_shipping or draft.is_default_billing
            )
        )
        response = await self._send(
            "POST",
            api.ADDRESS_CREATE.format(id=customer_id),
            json=mapping.address_create_body(draft),
            idempotent=False,
            address=True,
        )
        return mapping.address(self._parse(response, EPAddressEnvelope).data, customer_id)

    async def update_address(
        self, customer_id: str, address_id: str, patch: AddressPatch
    ) -> Address:
        defaults = patch.is_default_shipping is True or patch.is_default_billing is True
        _raise(
            mapping.address_patch_problems(patch)
            + mapping.address_problems([*patch.metadata.set, *patch.metadata.remove], defaults)
        )
        path = api.ADDRESS_UPDATE.format(id=customer_id, address_id=address_id)
        body = mapping.address_update_body(patch)
        if set(body["data"]) == {"type"}:
            return mapping.address((await self._get(path, EPAddressEnvelope)).data, customer_id)
        response = await self._send("PUT", path, json=body, address=True)
        envelope = self._parse(response, EPAddressEnvelope)
        return mapping.address(envelope.data, customer_id)

    async def delete_address(self, customer_id: str, address_id: str) -> None:
        await self._send(
            api.ADDRESS_DELETE.method,
            api.ADDRESS_DELETE.format(id=customer_id, address_id=address_id),
            address=True,
        )

    # --- orders --------------------------------------------------------------------

    async def list_orders(
        self, customer_id: str, page_token: str | None = None, page_size: int = 20
    ) -> Page[OrderSummary]:
        start = _offsets(page_token, 1)[0]
        rows: list[OrderSummary] = []
        total = 0
        while len(rows) < page_size:
            limit = min(mapping.PAGE_LIMIT_MAX, page_size - len(rows))
            page = await self._get(
                api.ORDERS.path,
                EPOrderList,
                [
                    ("filter", mapping.op("eq", "customer_id", customer_id)),
                    ("sort", "-created_at"),  # newest first
                    ("page[limit]", limit),
                    ("page[offset]", start + len(rows)),
                ],
            )
            total = page.meta.results.total
            rows.extend(mapping.order_summary(o) for o in page.data)
            if len(page.data) < limit:
                break
        return Page(
            items=tuple(rows),
            total=total,
            next_token=next_offset(start, len(rows), total),
        )

    # Get all Orders filters updated_at with ge (cartsorders spec): an incremental pass.
    filters_orders_by_updated_at = True

    async def list_orders_changed_since(
        self, since: datetime | None, page_token: str | None = None, page_size: int = 500
    ) -> Page[OrderSummary]:
        """Every order by created_at windows, as pagination.md shows for /v2/orders: the
        offset is hard-capped at 10,000 there, so each page restarts the window at the last
        created_at seen (`ge`) and skips only the rows of that instant already returned.
        The offset stays the count of equal timestamps, never near the cap."""
        window = _OrderWindow.of(page_token)
        rows: list[OrderSummary] = []
        total: int | None = None
        while len(rows) < page_size:
            limit = min(mapping.PAGE_LIMIT_MAX, page_size - len(rows))
            filters = [] if window.start is None else [mapping.op("ge", "created_at", window.start)]
            if since is not None:
                filters.append(mapping.op("ge", "updated_at", mapping.iso(since)))
            params: list[tuple[str, str | int]] = [("sort", "created_at")]
            if filters:
                params.append(("filter", ":".join(filters)))
            params += [("page[limit]", limit), ("page[offset]", window.skip)]
            page = await self._get(api.ORDERS.path, EPOrderList, params)
            if total is None:
                total = page.meta.results.total
            found = [mapping.order_summary(o) for o in page.data]
            rows.extend(found)
            window = window.after(found)
            if len(found) < limit:
                return Page(items=tuple(rows), total=total if page_token is None else None)
        return Page(
            items=tuple(rows),
            total=total if page_token is None else None,
            next_token=window.token(),
        )

    async def get_order(self, order_id: str) -> OrderDetail:
        order, items = await asyncio.gather(
            self._get(api.ORDER.format(id=order_id), EPOrderEnvelope),
            self._get(api.ORDER_ITEMS.format(id=order_id), EPOrderItemList),
        )
        return mapping.order_detail(order.data, items.data)


def _raise(problems: list[FieldError]) -> None:
    if problems:
        raise ValidationFailedError(
            "; ".join(p.message for p in problems), field_errors=tuple(problems)
        )
