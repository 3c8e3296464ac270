"""Elastic Path Commerce Cloud JSON, and the evidence for every request the adapter makes.

The service cannot be reached from here. Each request the adapter sends is a `Route` in
`ROUTES` with its `Evidence` (kind, repository@commit path, what it says): vendor-docs for
the reference and OpenAPI specs (and, marked "recorded answer", the live service's answers
the CLI tutorial prints), vendor-source for the SDK and CLI, inferred where that is our
reading and a live sandbox would settle it. `tests/unit/app/backends/elasticpath/
test_routes.py` fails when the adapter sends a request not declared here, or a declared one
is never sent; docs/backends.md shows them (generated). Sources, as read (newest snapshot):

- DEV = `elasticpath/elasticpath-dev` @ 33ab00fe67e95e70872fa68329919548a33c152d (2024-11-18;
  the newest revision; per-file last changes given in the entries);
- SDK = `elasticpath/js-sdk` @ 4f1c6c72cff644a56a55250f2105e02794124e78 (2026-05-13);
- CLI = `elasticpath/epcc-cli` @ 6fdb53595b8f53588b3e347b4ba0b8ddaa2745d4 (2026-03-09); its
  `docs/tutorial.md` prints answers of the live service ("recorded" below).

Wire models are lenient (`extra="ignore"`) and never leave this package. Custom fields of
the `customers` flow are extra top-level attributes of a customer (DEV
`guides/How-To/Customers/extend-customer-resources.md`), hence `extra="allow"` on
`EPCustomer`.
"""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict

from app.backends.evidence import Evidence, Source
from app.backends.routes import Route
from app.domain.money import WireIntQuantity, WireMinorAmount

DEV = "elasticpath/elasticpath-dev"
SDK = "elasticpath/js-sdk@4f1c6c72cff644a56a55250f2105e02794124e78"
CLI = "elasticpath/epcc-cli@6fdb53595b8f53588b3e347b4ba0b8ddaa2745d4"
# elasticpath-dev files at their last change before the 33ab00fe snapshot.
_ADDRESSES_SPEC = (
    f"{DEV}@d454f1578e4496b873f66b73efdef3e417d6af7e "
    "openapispecs/customeraddresses/CustomerAddresses.yaml"
)
_ERRORS = f"{DEV}@ecbdbbec5f65bd2a86abe582d18e01740b0a1818 guides/Getting-Started/errors.md"
_CUSTOMER_DOCS = (
    f"{DEV}@54c56520d7fa8a389a85f46a755b8b03f6e0ab06 docs/customer-management/"
    "customer-management-api"
)
_ORDERS_SPEC = (
    f"{DEV}@ab8c2c170bfd53d87e138fc038dd9040e1c66f52 openapispecs/cartsorders/OpenAPISpec.yaml"
)
_TUTORIAL = f"{CLI} docs/tutorial.md"


_docs = Source("vendor-docs")
_src = Source("vendor-source")
_inferred = Source("inferred")
_customer_docs = Source("vendor-docs", f"{_CUSTOMER_DOCS}/")


def _recorded(note: str) -> Evidence:
    """An answer of the live service as the vendor's CLI tutorial prints it."""
    return Evidence("vendor-docs", _TUTORIAL, f"recorded answer: {note}")


_ADDRESS_BODY = (
    _docs(
        _ADDRESSES_SPEC,
        "Address: {data: {type: 'address', name (the label), first_name, last_name, "
        "company_name, phone_number, instructions, line_1, line_2, city, county, region, "
        "postcode, country}}",
    ),
    _src(f"{SDK} src/endpoints/customer-addresses.js", "type 'address'"),
    _src(f"{CLI} external/resources/yaml/customers.yaml", "customer-addresses"),
    _recorded(
        "400 to an empty address, one {detail: '<f> is required', source: 'data', status: "
        "400, title: 'required'} each for first_name, last_name, line_1, county, postcode, "
        "country; region optional"
    ),
    _src(
        "elasticpath/js-sdk@40402c551993fc1fd624364cb82d2b1c6d3406b2 "
        "src/types/customer-address.d.ts",
        "CustomerAddressEdit lists them; county/region keep their '?' (optional in the type)",
    ),
    _inferred(
        f"{_TUTORIAL} names county, not region, as required; elasticpath/js-sdk@"
        "a626147858b3aa7034e7b26a90755d78c395838c src/types/customer-address.d.ts says "
        "'Region or County or both can be used'",
        "region alone does not stand in for county (the desk asks for county): not settled",
    ),
    _inferred(
        f'{_TUTORIAL} 201 body has "line_2": ""; {_ADDRESSES_SPEC} types every '
        "attribute as a string; nothing documents clearing",
        'a field never set reads ""; clearing an optional field writes "" (never null)',
    ),
    _inferred(
        f"{_ADDRESSES_SPEC} ErrorBadRequest: \"Validation failed: field 'Name' on the 'min' tag.\"",
        "the label may not be emptied: its 400 names Name (the label); the trigger is our reading",
    ),
)
_FILTER = _docs(
    f"{DEV}@4a8a0378abf62784600dd8236f82d6f861b7a5a7 guides/Getting-Started/filtering.md",
    "filter=op(field,value) joined by ':'",
)
_PAGE = _docs(
    f"{DEV}@d333d440733784a445426f7706756c2a3621d9c9 guides/Getting-Started/pagination.md",
    "page[limit] (at most 100), page[offset]; meta.page, meta.results.total",
)
_LIST = _customer_docs(
    "get-all-customers.mdx",
    "filter eq/like on email and name, eq/ge/gt/le/lt on id, created_at, updated_at; sort "
    "created_at|email|id|name|updated_at with '-'",
)
_SDK_ALL = _src(f"{SDK} src/endpoints/customers.js", "All: filter, sort, limit, offset")
_ORDERS_FILTER = _docs(_ORDERS_SPEC, "orders filter table: eq(customer_id, …), sort -created_at")

SIGN_IN = Route(
    "POST",
    "/oauth/access_token",
    "client-credentials token: grant_type, client_id, client_secret (form) -> "
    "{access_token, token_type, expires_in, expires}; within 1 hour",
    (
        _docs(
            f"{DEV}@983b928034c7a01314dc6bf3d5f67d8d62da7e9d "
            "openapispecs/authentication/OpenAPISpec.yaml",
            "form body grant_type=client_credentials, client_id, client_secret",
        ),
        _src(f"{SDK} src/factories/request.js", "form-encoded, the same three fields"),
        _inferred(
            f"{DEV} authentication pages (unwrapped example) vs. other pages",
            "some pages wrap the token in data: both accepted",
        ),
    ),
)
CUSTOMERS = Route(
    "GET",
    "/v2/customers",
    "list, search, filter and sort customers; changed-since; a listing carries no addresses",
    (
        _LIST,
        _SDK_ALL,
        _customer_docs(
            "customer-management-api-overview.mdx",
            "no address attribute: addresses are a sub-resource (a refresh keeps mirrored ones)",
        ),
    ),
    params=(
        ("filter", _LIST),
        ("filter", _FILTER),
        ("sort", _LIST),
        ("sort", _SDK_ALL),
        ("page[limit]", _PAGE),
        ("page[offset]", _PAGE),
    ),
)
CUSTOMER_CREATE = Route(
    "POST",
    "/v2/customers",
    "create a customer: {data: {type: 'customer', name, email, password?}} -> 201",
    (
        _customer_docs("create-a-customer.mdx", "name and email required"),
        _recorded("201 Created"),
        _recorded(
            "a missing email is 422 {detail: 'The data.email field is required.', title: "
            "'Failed Validation'}"
        ),
        _inferred(
            f"nothing for customers in {DEV}, js-sdk or epcc-cli; {DEV}@33ab00fe67e95e70872fa"
            "68329919548a33c152d openapispecs/accounts/OpenAPISpec.yaml ConflictError (409 "
            "'Conflict', '… already exists') and the recorded 422 shape",
            "a duplicate email: any error speaking of an existing email, or a 409 on a "
            "customer speaking of an existing record, lands on the email",
        ),
    ),
)
CUSTOMER = Route(
    "GET",
    "/v2/customers/{id}",
    "one customer: {data: customer}",
    (_customer_docs("get-a-customer.mdx", "{data: customer}"),),
)
CUSTOMER_UPDATE = Route(
    "PUT",
    "/v2/customers/{id}",
    "change a customer or set its password: only what changed (name, email, password, "
    "custom fields); omitted attributes stay",
    (
        _customer_docs("update-a-customer.mdx", "all body attributes optional"),
        _docs(_TUTORIAL, "epcc update customer … name …"),
        _docs(_ERRORS, "a 'Write conflict detected' 409 may be retried"),
    ),
)
CUSTOMER_DELETE = Route(
    "DELETE",
    "/v2/customers/{id}",
    "delete a customer: 204",
    (_customer_docs("delete-a-customer.mdx", "204"),),
)
CUSTOMER_TOKEN = Route(
    "POST",
    "/v2/customers/tokens",
    "a customer's token by email and password: {data: {customer_id, token, expires}}",
    (
        _customer_docs(
            "customer-tokens.mdx",
            "{data: {type: 'token', email, password, authentication_mechanism: 'password'}}",
        ),
        _src(f"{SDK} src/endpoints/customers.js", "TokenViaPassword"),
    ),
)
FLOW_FIELDS = Route(
    "GET",
    "/v2/flows/customers/fields",
    "the customers flow's custom fields (slug, enabled); 404 without such a flow",
    (
        _docs(
            f"{DEV}@cfe6630c6f1ffeccf9c516257271578d92052a9e openapispecs/flows/flows.yaml",
            "getAllFieldsByFlow",
        ),
        _src(f"{CLI} external/resources/yaml/flows.yaml", "flow-fields"),
    ),
)
ADDRESSES = Route(
    "GET",
    "/v2/customers/{id}/addresses",
    "a customer's addresses: {data: [address]}",
    (_docs(_ADDRESSES_SPEC, "{data: [address]}"),),
)
ADDRESS = Route(
    "GET",
    "/v2/customers/{id}/addresses/{address_id}",
    "one address (read back after an update): {data: address}",
    (_docs(_ADDRESSES_SPEC, "{data: address}"),),
)
ADDRESS_CREATE = Route(
    "POST",
    "/v2/customers/{id}/addresses",
    "add an address; any 2xx is a success",
    (
        *_ADDRESS_BODY,
        _recorded("HTTP/2.0 201 Created (the spec says 200)"),
        _docs(_ADDRESSES_SPEC, "200"),
    ),
)
ADDRESS_UPDATE = Route(
    "PUT",
    "/v2/customers/{id}/addresses/{address_id}",
    "change an address: only the named attributes",
    (
        *_ADDRESS_BODY,
        _inferred(
            f"{_ADDRESSES_SPEC} (no attribute required in Address); {SDK} "
            "src/endpoints/customer-addresses.js Update",
            "partial: only the named attributes change",
        ),
    ),
)
ADDRESS_DELETE = Route(
    "DELETE",
    "/v2/customers/{id}/addresses/{address_id}",
    "delete an address: 204",
    (_docs(_ADDRESSES_SPEC, "204"),),
)
_PAGINATION = f"{DEV}@d333d440733784a445426f7706756c2a3621d9c9 guides/Getting-Started/pagination.md"
_OFFSET_CAP = _docs(
    _PAGINATION, "/v2/orders has a hard offset limit of 10,000 records (Page Offset)"
)
_ALL_ORDERS = _docs(
    _PAGINATION,
    "Performance: every order by sort=created_at and filter=ge(created_at,<last value>); "
    "equal timestamps may need another page",
)
_ORDERS_DATES = _docs(
    _ORDERS_SPEC,
    "Get all Orders filters: created_at and updated_at take eq/gt/ge/le/lt; beyond 10,000 "
    "orders 'use a filter'",
)
ORDERS = Route(
    "GET",
    "/v2/orders",
    "a customer's orders, newest first; every order by created_at windows for the mirror",
    (
        _ORDERS_FILTER,
        _ORDERS_DATES,
        _ALL_ORDERS,
        _src(f"{SDK} src/endpoints/orders.js", "Orders extends BaseExtend: All with filter, sort"),
    ),
    params=(
        ("filter", _ORDERS_FILTER),
        ("filter", _ORDERS_DATES),
        ("sort", _ORDERS_FILTER),
        ("sort", _ALL_ORDERS),
        ("page[limit]", _PAGE),
        ("page[offset]", _PAGE),
        ("page[offset]", _OFFSET_CAP),
    ),
)
ORDER = Route(
    "GET",
    "/v2/orders/{id}",
    "one order: {data: order} with meta.display_price; shipping price optional",
    (
        _docs(_ORDERS_SPEC, "{data: order}"),
        _src(f"{SDK} src/types/order.d.ts", "formerly moltin/js-sdk: Order"),
    ),
)
ORDER_ITEMS = Route(
    "GET",
    "/v2/orders/{id}/items",
    "an order's lines: {data: [order_item]}",
    (
        _docs(_ORDERS_SPEC, "{data: [order_item]}"),
        _src(f"{CLI} external/resources/yaml/carts-and-orders.yaml", "order-items"),
    ),
)
ERRORS = (
    _docs(_ERRORS, "{errors: [{status (number or string), title, detail?, source?}]}"),
    _docs(_ADDRESSES_SPEC, "field 'X' names Go fields: Name, FirstName, Line1"),
    _recorded("a field named by source (not the bare 'data'), by 'data.X' or 'X is required'"),
)

ROUTES = (
    SIGN_IN,
    CUSTOMERS,
    CUSTOMER_CREATE,
    CUSTOMER,
    CUSTOMER_UPDATE,
    CUSTOMER_DELETE,
    CUSTOMER_TOKEN,
    FLOW_FIELDS,
    ADDRESSES,
    ADDRESS,
    ADDRESS_CREATE,
    ADDRESS_UPDATE,
    ADDRESS_DELETE,
    ORDERS,
    ORDER,
    ORDER_ITEMS,
)


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class EPAccessToken(Wire):
    access_token: str
    token_type: str = "Bearer"
    expires_in: float | None = None
    expires: float | None = None  # epoch seconds


class EPTimestamps(Wire):
    created_at: AwareDatetime
    updated_at: AwareDatetime


class EPMeta(Wire):
    timestamps: EPTimestamps


class EPCustomer(Wire):
    """Custom (flow) fields arrive as extra top-level attributes: see `model_extra`."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str
    type: str = "customer"
    name: str | None = None
    email: str | None = None
    password: bool = False
    external_ref: str | None = None
    meta: EPMeta

    def custom_fields(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class EPPageMeta(Wire):
    limit: int = 0
    offset: int = 0
    current: int = 0
    total: int = 0


class EPResults(Wire):
    total: int = 0


class EPListMeta(Wire):
    page: EPPageMeta = EPPageMeta()
    results: EPResults = EPResults()


class EPCustomerList(Wire):
    data: list[EPCustomer]
    meta: EPListMeta = EPListMeta()


class EPCustomerEnvelope(Wire):
    data: EPCustomer


class EPField(Wire):
    id: str | None = None
    slug: str
    name: str | None = None
    field_type: str = "string"
    enabled: bool = True


class EPFieldList(Wire):
    data: list[EPField]


class EPAddressMeta(Wire):
    timestamps: EPTimestamps | None = None


class EPAddress(Wire):
    id: str
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    phone_number: str | None = None
    instructions: str | None = None
    line_1: str | None = None
    line_2: str | None = None
    city: str | None = None
    county: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None
    meta: EPAddressMeta | None = None


class EPAddressList(Wire):
    data: list[EPAddress]


class EPAddressEnvelope(Wire):
    data: EPAddress


class EPPrice(Wire):
    amount: WireMinorAmount = 0  # minor units
    currency: str | None = None
    formatted: str | None = None


class EPDisplayPrice(Wire):
    with_tax: EPPrice | None = None
    without_tax: EPPrice | None = None
    tax: EPPrice | None = None
    discount: EPPrice | None = None
    shipping: EPPrice | None = None


class EPOrderMeta(Wire):
    display_price: EPDisplayPrice = EPDisplayPrice()
    timestamps: EPTimestamps


class EPOrderCustomer(Wire):
    id: str | None = None
    name: str | None = None
    email: str | None = None


class EPOrderAddress(Wire):
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    phone_number: str | None = None
    line_1: str | None = None
    line_2: str | None = None
    city: str | None = None
    county: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None
    instructions: str | None = None


class EPRelationshipData(Wire):
    id: str
    type: str | None = None


class EPRelationship(Wire):
    data: EPRelationshipData | None = None


class EPOrderRelationships(Wire):
    customer: EPRelationship | None = None


class EPOrder(Wire):
    id: str
    type: str = "order"
    status: str
    payment: str | None = None
    shipping: str | None = None
    order_number: str | None = None
    customer: EPOrderCustomer | None = None
    shipping_address: EPOrderAddress | None = None
    billing_address: EPOrderAddress | None = None
    meta: EPOrderMeta
    relationships: EPOrderRelationships | None = None


class EPOrderList(Wire):
    data: list[EPOrder]
    meta: EPListMeta = EPListMeta()


class EPOrderEnvelope(Wire):
    data: EPOrder


class EPUnitValue(Wire):
    unit: EPPrice | None = None
    value: EPPrice | None = None


class EPItemDisplayPrice(Wire):
    with_tax: EPUnitValue | None = None
    without_tax: EPUnitValue | None = None


class EPItemMeta(Wire):
    display_price: EPItemDisplayPrice | None = None


class EPOrderItem(Wire):
    id: str
    name: str | None = None
    sku: str | None = None
    quantity: WireIntQuantity
    unit_price: EPPrice = EPPrice()
    value: EPPrice = EPPrice()
    meta: EPItemMeta | None = None


class EPOrderItemList(Wire):
    data: list[EPOrderItem]


class EPCustomerToken(Wire):
    id: str | None = None
    customer_id: str
    token: str
    expires: float | None = None


class EPCustomerTokenEnvelope(Wire):
    data: EPCustomerToken
