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

Every request is a `Route` below (`ROUTES`) with its `Evidence`, converted from the
tags: [S] vendor-source (`chec/commerce.js@<commit> <path>`), [D] vendor-docs, [T]
third-party, [I] inferred. All requests carry the secret key, `X-Authorization: sk_…`
[S: src/commerce.js, D: Concepts]. docs/backends.md shows them (generated) and says what
a live sandbox would settle.

Shapes: Customer `id, external_id, firstname, lastname, email, phone, meta, created,
updated` (Unix seconds), `default_shipping`/`default_billing` (Address or null) [S:
Customer.ts]. Address `id, name, street, street_2, town_city, postal_zip_code,
county_state, country, delivery_instructions, meta`; no phone, company or label [S:
Address.ts]. Order `id, customer_reference, created, status_payment, status_fulfillment,
currency, order_value, order {subtotal, total, total_with_tax, shipping, line_items,
discount}, shipping, billing, customer, tax, transactions` [S: Order.ts, Order/LineItem.ts,
Tax.ts, Order/Transaction.ts]; no `updated` and no overall status.
Money `{raw, formatted, formatted_with_symbol, formatted_with_code}`, `raw` in major units
[S: Price.ts, D: Concepts]. PHP sends an empty object as `[]` [I, handled].

Wire models are lenient (`extra="ignore"`) and never leave this package.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from app.backends.evidence import Evidence, Source
from app.backends.routes import Route
from app.domain.money import WireAmount, WireIntQuantity

SDK = "chec/commerce.js@7f4c57f10d2e787757e8ea3f8947fe4d648fee65"  # master, 2022-08-08
TYPES = "chec/commerce.js@370ba81dd442637ac690c1f647be4e3523f4e92d"  # branch 3.0 (types)
SORT_FIX = "chec/commerce.js@1fe26ffe9f0384b09dae0bc3a02d452441a93116"  # 2021-04-06
DEMO_STORE = "chec/commercejs-nextjs-demo-store@15a3096a17c7cfbbf14aa79f64aae15905e58c2a"
REFERENCE = "/work/shared/docs/apis-reference.md § 3"


_sdk = Source("vendor-source", f"{SDK} ")
_type = Source("vendor-source", f"{TYPES} src/types/api/")
_docs = Source("vendor-docs", f"{SDK} docs/")
_third = Source("third-party", f"{REFERENCE}.")


def _guess(note: str) -> Evidence:
    return Evidence("inferred", "no vendor source; the adapter degrades where it fails", note)


_PAGING = _docs("01_Products.md", "limit, page: the 'standard pagination parameters'")
_PAGE_PARAMS = (("limit", _PAGING), ("page", _PAGING))
_MAX_LIMIT = _guess("max limit unknown: we ask for at most 100")

CUSTOMERS = Route(
    "GET",
    "/v1/customers",
    "list and search customers, in Chec's own order (no sort is sent)",
    (
        _third("2", "the route and data[] (apps read data[].email/firstname/lastname/phone/meta)"),
        _type("PaginatedResponse.ts", "pagination {count, current_page, per_page, total, …}"),
        _guess("the envelope: pagination beside data, or meta.pagination (both read)"),
    ),
    params=(
        *_PAGE_PARAMS,
        ("limit", _MAX_LIMIT),
        ("query", _guess("as third-party copies of 'List orders' show; what it matches unknown")),
    ),
)
CUSTOMER = Route(
    "GET",
    "/v1/customers/{id}",
    "one customer with its default addresses",
    (_docs("05_Customers.md", "get customer"), _sdk("src/features/customer.js", "about()")),
)
CUSTOMER_CREATE = Route(
    "POST",
    "/v1/customers",
    "create a customer: email, phone, firstname, lastname, meta -> 201 the customer",
    (_third("2", "the reference's 'Create a new customer' text; 201 checked by one app"),),
)
CUSTOMER_UPDATE = Route(
    "PUT",
    "/v1/customers/{id}",
    "change a customer: the changed fields; answers the customer (a failing parse re-reads)",
    (
        _docs("05_Customers.md", "Update customer: all fields optional; answers the customer"),
        _sdk("src/features/customer.js", "update()"),
        _type("Customer.ts", "phone, meta"),
        _guess("meta is replaced whole: the adapter sends the merged meta"),
    ),
)
CUSTOMER_DELETE = Route(
    "DELETE",
    "/v1/customers/{id}",
    "delete a customer (the answer is ignored)",
    (_third("2", "DELETE with the secret key"), _guess("the answer's body is not read")),
)
ADDRESSES = Route(
    "GET",
    "/v1/customers/{id}/addresses",
    "a customer's saved addresses; a 404/405 degrades to its defaults, read-only",
    (
        _guess("no source documents it; 404/405 -> default_shipping/default_billing only"),
        _type("Customer.ts", "default_shipping, default_billing (Address or null)"),
    ),
    params=_PAGE_PARAMS,
)
ADDRESS_CREATE = Route(
    "POST",
    "/v1/customers/{id}/addresses",
    "add an address; whatever the answer, the address is found (never an error after 2xx)",
    (
        _third(
            "3",
            "body name, street, street_2, town_city, county_state, postal_zip_code, country, "
            "default_billing, default_shipping (the reference's sample values)",
        ),
        _type("Address.ts", "the fields of an address (no phone, company or label)"),
        _guess("the answer's shape: the address (maybe in data), the customer or other"),
    ),
)
ADDRESS_UPDATE = Route(
    "PUT",
    "/v1/customers/{id}/addresses/{address_id}",
    "change an address; a 405 (or a 404 once the list is missing) is 'unsupported'",
    (_guess("no source documents it"),),
)
ADDRESS_DELETE = Route(
    "DELETE",
    "/v1/customers/{id}/addresses/{address_id}",
    "delete an address; a 405 (or a 404 once the list is missing) is 'unsupported'",
    (_guess("no source documents it"),),
)
_ORDER_SORT = Evidence(
    "vendor-source",
    f"{SORT_FIX} src/features/customer.js",
    "getOrders() sends sortBy=created_at, sortDirection=desc ('created' causes error)",
)
ORDERS = Route(
    "GET",
    "/v1/customers/{id}/orders",
    "a customer's orders, newest first, as the SDK asks for them",
    (_docs("05_Customers.md", "get orders for customer"), _sdk("src/features/customer.js")),
    params=(("sortBy", _ORDER_SORT), ("sortDirection", _ORDER_SORT), *_PAGE_PARAMS),
)
CUSTOMER_ORDER = Route(
    "GET",
    "/v1/customers/{id}/orders/{order_id}",
    "one order of a customer we listed orders of (wrapped in data or not: both read)",
    (
        _docs("05_Customers.md", "Get order for customer"),
        _sdk("src/features/customer.js", "getOrder()"),
    ),
)
ORDER = Route(
    "GET",
    "/v1/orders/{order_id}",
    "one order whose customer we do not know (the merchant's 'Retrieve order')",
    (_docs("05_Customers.md", "links the reference's Retrieve order"), _third("4", "called")),
)
ALL_ORDERS = Route(
    "GET",
    "/v1/orders",
    "every order of the store, in Chec's own order, page by page (the mirror re-reads all)",
    (
        _docs("05_Customers.md", "a customer's orders answer the same as 'List orders'"),
        _third("4", "an admin lists GET /v1/orders with limit, page, query and the secret key"),
        _guess("no sort, no created/updated filter is documented: none is sent"),
    ),
    params=(
        *_PAGE_PARAMS,
        ("limit", _MAX_LIMIT),
        ("limit", _third("4", "third-party apps send limit=10 and page=1 to /v1/orders")),
    ),
)
ISSUE_TOKEN = Route(
    "POST",
    "/v1/customers/{id}/issue-token",
    "a customer JWT shown once to staff: no body -> {jwt}; valid 24 h",
    (
        _third("5", "the reference's 'Issue JWT for customer'; a NextAuth app reads .jwt"),
        _docs("05_Customers.md", "Get access token: customer JWTs last 24 hours"),
        _guess("the 24 hours hold for this route too"),
    ),
)
EMAIL_TOKEN = Route(
    "POST",
    "/v1/customers/email-token",
    "Chec emails the customer a login link: {email, base_url}",
    (_docs("05_Customers.md", "login"), _sdk("src/features/customer.js", "login()")),
)
ERRORS = (
    Evidence(
        "vendor-source",
        f"{DEMO_STORE} pages/checkout/index.js",
        "error {type, message}; message a list of {param, error}",
    ),
    _third("6", "status_code, errors.email[0]"),
    _guess("401/404/422 for a bad key, an unknown id, invalid data"),
)

ROUTES = (
    CUSTOMERS,
    CUSTOMER,
    CUSTOMER_CREATE,
    CUSTOMER_UPDATE,
    CUSTOMER_DELETE,
    ADDRESSES,
    ADDRESS_CREATE,
    ADDRESS_UPDATE,
    ADDRESS_DELETE,
    ORDERS,
    CUSTOMER_ORDER,
    ORDER,
    ALL_ORDERS,
    ISSUE_TOKEN,
    EMAIL_TOKEN,
)


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


class ChecTransaction(Wire):
    """A charge or refund [S: Order/Transaction.ts]: `type` charge|refund, `status` pending|
    complete|cancelled|failed, `status_reason` (order_cancelled, ...), `updated` (Unix s)."""

    id: str | None = None
    type: str | None = None
    status: str | None = None
    status_reason: str | None = None
    amount: ChecPrice | None = None
    created: int | None = None
    updated: int | None = None


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
    transactions: list[ChecTransaction] | None = None

    _empty = field_validator("shipping", "billing", "customer", "tax", mode="before")(
        _object_or_none
    )


class ChecOrderList(ChecPage):
    data: list[ChecOrder]
    meta: ChecListMeta


class ChecIssuedJwt(Wire):
    jwt: str
    customer_id: str | None = None
