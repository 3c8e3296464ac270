"""Chec / Commerce.js REST API v1 JSON, and the evidence for every request the adapter makes.

The vendor's API reference (commercejs.com/docs/api) is not reachable from here. Sources,
read in full with their history (newest first), tagged below:

[S] vendor SDK source, `chec/commerce.js`: master at 7f4c57f (2022-08-08), where
    `src/features/customer.js` last changed in 6366fbc (2021-11-26); `getOrders()` sends
    `sortBy=created_at` since 1fe26ff (2021-04-06, "the sortBy param default setted to
    'created' causes error"; 0be1041 had introduced `created` in Nov 2020). Types:
    `src/types/api/*.ts`, branch 3.0 at 370ba81 (added in 6cd0359, 2022-02-25).
[D] vendor SDK docs, `chec/commerce.js` docs/05_Customers.md, 07_Concepts.md,
    01_Products.md at 7f4c57f; `chec/commercejs-nextjs-demo-store` at 15a3096.
[T] third-party code quoting the reference's headings, texts and sample values (see
    /work/shared/docs/apis-reference.md §3); one Chec app calling these routes.
[I] inferred, NOT verified: the conservative choice; the adapter degrades where it fails.

Every request, with its evidence (all with the secret key, `X-Authorization: sk_…`
[S: src/commerce.js, D: Concepts]):

- `GET /v1/customers?limit&page[&query]`: the route and `data[]` [T]; `limit`, `page`, the
  "standard pagination parameters" [D: Products]; `query` [I: as third-party copies show
  for orders]; max `limit` unknown, we ask <= 100 [I]. NO `sortBy`/`sortDirection`: no
  source documents them for customers, so none is sent and `SORT` is not declared.
- List envelope: `pagination` beside `data` [S: PaginatedResponse.ts]; `meta.pagination`
  is read as well [I].
- `GET /v1/customers/{id}`: [D: Customers, S: `about()`].
- `POST /v1/customers` -> 201 Customer, body `email, phone, firstname, lastname, meta` [T].
- `PUT /v1/customers/{id}`, the changed fields: [D: "Update customer", S: `update()`];
  `phone`, `meta` [S: Customer.ts]; `meta` replaced whole [I]; answers the customer [D:
  example], a failing parse re-reads it (the update stands).
- `DELETE /v1/customers/{id}`: [T]; its answer is ignored [I].
- `GET /v1/customers/{id}/addresses?limit&page`: [I], no source documents it. A 404/405
  degrades to the customer's `default_shipping`/`default_billing` [S: Customer.ts],
  read-only (`ChecAdapter.address_book`, `.limitations`).
- `POST /v1/customers/{id}/addresses`, body `name, street, street_2, town_city,
  county_state, postal_zip_code, country, default_billing, default_shipping, meta` [T];
  the answer's shape [I]: the address (maybe in `data`), the customer or anything else.
- `PUT|DELETE /v1/customers/{id}/addresses/{address_id}`: [I], no source documents them;
  a 405 (or 404 once the list is known missing) is "unsupported", nothing changed.
- `GET /v1/customers/{id}/orders?sortBy=created_at&sortDirection=desc&limit&page`: the
  route [D, S: `getOrders()`]; the sort exactly as the SDK sends it [S: 1fe26ff];
  `limit`, `page` [D: Products, I].
- `GET /v1/customers/{id}/orders/{order_id}`: [D: "Get order for customer", S:
  `getOrder()`]; wrapped in `data` or not [T/I: both read].
- `GET /v1/orders/{order_id}`: [D: "Retrieve order", linked from the SDK docs; T].
- `POST /v1/customers/{id}/issue-token`, no body -> `{jwt}`: [T: the reference's "Issue
  JWT for customer" quoted in third-party code; a NextAuth app reads `.jwt`]; valid 24 h
  [D: "Get access token"; I: the same for this route].
- `POST /v1/customers/email-token {email, base_url}`: [D, S: `login()`].
- Errors `{status_code?, error: {type, message, errors?, param?}}`: `type`, `message` as a
  list of `{param, error}` [S: demo store pages/checkout/index.js]; `status_code`,
  `errors.email[0]` [T]; 401/404/422 for a bad key, unknown id, invalid data [I].

Shapes: Customer `id, external_id, firstname, lastname, email, phone, meta, created,
updated` (Unix seconds), `default_shipping`/`default_billing` (Address or null) [S:
Customer.ts]. Address `id, name, street, street_2, town_city, postal_zip_code,
county_state, country, delivery_instructions, meta`; no phone, company or label [S:
Address.ts]. Order `id, customer_reference, created, status_payment, status_fulfillment,
currency, order_value, order {subtotal, total, total_with_tax, shipping, line_items,
discount}, shipping, billing, customer, tax` [S: Order.ts, Order/LineItem.ts, Tax.ts].
Money `{raw, formatted, formatted_with_symbol, formatted_with_code}`, `raw` in major units
[S: Price.ts, D: Concepts]. PHP sends an empty object as `[]` [I, handled].

Wire models are lenient (`extra="ignore"`) and never leave this package.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


def _object_or_none(value: Any) -> Any:
    # PHP serialises an empty associative array as `[]`.
    return None if isinstance(value, list) and not value else value


class ChecPrice(Wire):
    raw: Decimal = Decimal(0)
    formatted: str | None = None
    formatted_with_symbol: str | None = None
    formatted_with_code: str | None = None


class ChecAddress(Wire):
    id: str | None = None
    name: str | None = None
    street: str | None = None
    street_2: str | None = None
    town_city: str | None = None
    county_state: str | None = None
    postal_zip_code: str | None = None
    country: str | None = None
    delivery_instructions: str | None = None
    meta: dict[str, Any] | None = None

    _meta = field_validator("meta", mode="before")(_object_or_none)


class ChecCustomer(Wire):
    id: str
    external_id: str | None = None
    firstname: str | None = None
    lastname: str | None = None
    email: str | None = None
    phone: str | None = None
    meta: dict[str, Any] | None = None
    created: int
    updated: int
    default_shipping: ChecAddress | None = None
    default_billing: ChecAddress | None = None

    _meta = field_validator("meta", "default_shipping", "default_billing", mode="before")(
        _object_or_none
    )


class ChecPagination(Wire):
    total: int
    count: int = 0
    per_page: int = 0
    current_page: int = 1
    total_pages: int = 0


class ChecListMeta(Wire):
    pagination: ChecPagination


def _envelope(value: Any) -> Any:
    """The SDK's type puts `pagination` beside `data` [S: PaginatedResponse.ts]; the
    Laravel-style `meta.pagination` [I] is read as well. Both end up in `meta`."""
    if (
        isinstance(value, dict)
        and "meta" not in value
        and isinstance(value.get("pagination"), dict)
    ):
        return {**value, "meta": {"pagination": value["pagination"]}}
    return value


class ChecPage(Wire):
    _envelope = model_validator(mode="before")(_envelope)


class ChecCustomerList(ChecPage):
    data: list[ChecCustomer]
    meta: ChecListMeta


class ChecAddressList(ChecPage):
    data: list[ChecAddress]
    meta: ChecListMeta | None = None


class ChecCurrency(Wire):
    code: str
    symbol: str | None = None


class ChecLineItem(Wire):
    id: str
    product_id: str | None = None
    product_name: str | None = None
    product_sku: str | None = None
    quantity: int
    price: ChecPrice
    line_total: ChecPrice | None = None


class ChecShippingMethod(Wire):
    id: str | None = None
    description: str | None = None
    price: ChecPrice | None = None


class ChecDiscount(Wire):
    code: str | None = None
    amount_saved: ChecPrice | None = None


class ChecOrderTotals(Wire):
    subtotal: ChecPrice | None = None
    total: ChecPrice | None = None
    total_with_tax: ChecPrice | None = None
    total_paid: ChecPrice | None = None
    shipping: ChecShippingMethod | None = None
    line_items: list[ChecLineItem] = []
    discount: ChecDiscount | None = None  # `[]` when there is none

    _empty = field_validator("shipping", "discount", mode="before")(_object_or_none)


class ChecTax(Wire):
    amount: ChecPrice | None = None
    included_in_price: bool = False


class ChecOrderCustomer(Wire):
    id: str | None = None
    email: str | None = None
    firstname: str | None = None
    lastname: str | None = None


class ChecOrder(Wire):
    id: str
    customer_reference: str | None = None
    created: int
    status_payment: str | None = None
    status_fulfillment: str | None = None
    currency: ChecCurrency | None = None
    order_value: ChecPrice | None = None
    order: ChecOrderTotals | None = None
    shipping: ChecAddress | None = None
    billing: ChecAddress | None = None
    customer: ChecOrderCustomer | None = None
    tax: ChecTax | None = None

    _empty = field_validator("shipping", "billing", "customer", "tax", mode="before")(
        _object_or_none
    )


class ChecOrderList(ChecPage):
    data: list[ChecOrder]
    meta: ChecListMeta


class ChecIssuedJwt(Wire):
    jwt: str
    customer_id: str | None = None
