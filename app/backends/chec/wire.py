"""Chec / Commerce.js REST API v1 JSON, as the vendor's reference describes it.

The vendor reference (commercejs.com/docs/api) is not reachable from here; what follows
comes from the vendor's own SDK and SDK docs, and from third-party code that copies the
reference's snippets. Every endpoint the adapter uses, with its evidence:

[S] vendor SDK source `chec/commerce.js` (src/features/customer.js, src/types/api/*.ts);
[D] vendor SDK docs `chec/commerce.js` docs/05_Customers.md, docs/07_Concepts.md;
[T] third-party code quoting the reference's headings, texts and examples;
[I] inferred, NOT verified (the reference is silent or out of reach): choices below are the
    conservative ones and are listed again in the adapter's capability comments.

- Auth: `X-Authorization: sk_…` (secret key) on every request [S: customer.js, D: Concepts].
- `GET /v1/customers` list (secret key) -> `{data: [Customer], meta: {pagination}}` [T];
  parameters `query` (search), `limit`, `page`, `sortBy`, `sortDirection` [I: the SDK's
  customer-orders call passes `sortBy=created&sortDirection=desc`, S]; which fields `query`
  matches and which `sortBy` values are accepted [I]; maximum `limit` unknown, we ask for
  at most 100 [I]. No created/updated/changed-since filter is known [I].
- Pagination `{total, count, per_page, current_page, total_pages, links}` [S:
  PaginatedResponse.ts]; on the wire under `meta.pagination` [I].
- `GET /v1/customers/{id}` -> Customer [D: "Get customer"]; `POST /v1/customers` -> 201
  Customer, body `email, phone, firstname, lastname, external_id, meta` [T];
  `PUT /v1/customers/{id}` all fields optional, email unique per merchant [D: "Update
  customer"]; `phone` and `meta` on update [S: Customer.ts]; `meta` replaced whole [I];
  `DELETE /v1/customers/{id}` [T], response body unknown (ignored) [I].
- Customer: `id` (`cstmr_…`), `external_id`, `firstname`, `lastname`, `email`, `phone`,
  `meta`, `created`/`updated` (Unix seconds), `default_shipping`/`default_billing`
  (Address or null) [S: Customer.ts].
- Addresses: `POST /v1/customers/{id}/addresses` with `name, street, street_2, town_city,
  county_state, postal_zip_code, country, default_billing, default_shipping` [T]; list,
  update (`PUT …/addresses/{address_id}`) and delete [I]. Address: `id, name, street,
  street_2, town_city, postal_zip_code, county_state, country, delivery_instructions,
  meta` [S: Address.ts]; no phone, company or label field [S].
- Orders: `GET /v1/customers/{id}/orders` = "List orders" response [D, S];
  `GET /v1/customers/{id}/orders/{order_id}` = "Retrieve order" [D]; the merchant's own
  `GET /v1/orders/{order_id}` ("Retrieve order", secret key) [D: linked from the SDK docs,
  T]; whether a single order comes wrapped in `data` [T/I: both accepted].
  Order: `id` (`ord_…`), `customer_reference`, `created`, `status_payment`,
  `status_fulfillment`, `currency {code, symbol}`, `order_value`, `order {subtotal, total,
  total_with_tax, shipping {price}, line_items, discount}`, `shipping`, `billing`,
  `customer`, `tax {amount, included_in_price}` [S: Order.ts, Order/LineItem.ts, Tax.ts].
- Money: `{raw, formatted, formatted_with_symbol, formatted_with_code}`, `raw` in major
  units [S: Price.ts, D: Concepts "Multiple price formats"].
- Tokens: `POST /v1/customers/email-token {email, base_url}` emails a one-click login link
  [D, S: login()]; `POST /v1/customers/{id}/issue-token` (secret key, no body) -> `{jwt}`
  [T: "Issue JWT for customer … using your secret Chec API key"]; customer JWTs are valid
  24 h [D: "Get access token"], assumed the same for issue-token [I].
- Errors: `{status_code?, error: {type, message, errors?: {field: [text]}, param?}}`
  [S: chec/commercejs-nextjs-demo-store, T]; 404 for an unknown id, 401 for a bad key,
  422 for invalid data [I].

Wire models are lenient (`extra="ignore"`) and never leave this package.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from app.domain.money import WireAmount, WireIntQuantity


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


def _object_or_none(value: Any) -> Any:
    # PHP serialises an empty associative array as `[]`.
    return None if isinstance(value, list) and not value else value


class ChecPrice(Wire):
    raw: WireAmount = Decimal(0)
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


class ChecCustomerList(Wire):
    data: list[ChecCustomer]
    meta: ChecListMeta


class ChecAddressList(Wire):
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
    quantity: WireIntQuantity
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


class ChecOrderList(Wire):
    data: list[ChecOrder]
    meta: ChecListMeta


class ChecIssuedJwt(Wire):
    jwt: str
    customer_id: str | None = None
