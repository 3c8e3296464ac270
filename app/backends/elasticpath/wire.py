"""Elastic Path Commerce Cloud JSON, and the evidence for every request the adapter makes.

The service cannot be reached from here. Each request the adapter sends is listed in
`REQUESTS` with what it relies on, where that comes from (repository, path, commit) and how
sure it is (`Confidence`); `tests/unit/app/backends/elasticpath/test_evidence.py` fails when
the adapter sends a request not listed here. Sources, as read (newest snapshot commit):

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

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class Confidence(StrEnum):
    RECORDED = "recorded"  # an answer of the live service, as the vendor printed it
    DOCUMENTED = "documented"  # the vendor's reference or OpenAPI spec says so
    SDK = "sdk"  # the vendor's SDK or CLI sends or types it so
    INFERRED = "inferred"  # our reading; a live sandbox would settle it


@dataclass(frozen=True, slots=True)
class Evidence:
    claim: str
    source: str
    confidence: Confidence


DEV = "elasticpath/elasticpath-dev"
SDK = "elasticpath/js-sdk"
CLI = "elasticpath/epcc-cli"
_ADDRESSES_SPEC = f"{DEV} openapispecs/customeraddresses/CustomerAddresses.yaml @d454f157"
_TUTORIAL = f"{CLI} docs/tutorial.md (recorded answers)"
_ERRORS = f"{DEV} guides/Getting-Started/errors.md @ecbdbbec"
_CUSTOMER_DOCS = f"{DEV} docs/customer-management/customer-management-api/*.mdx @54c56520"

_ADDRESS_BODY = (
    Evidence(
        "body {data: {type: 'address', name (the label), first_name, last_name, company_name, "
        "phone_number, instructions, line_1, line_2, city, county, region, postcode, country}}",
        f"{_ADDRESSES_SPEC} `Address`; {SDK} src/endpoints/customer-addresses.js (type "
        f"'address'); {CLI} external/resources/yaml/customers.yaml `customer-addresses`",
        Confidence.DOCUMENTED,
    ),
    Evidence(
        "required on create: first_name, last_name, line_1, county, postcode, country; "
        "region optional",
        f"{_TUTORIAL}, 400 to an empty address, one `{{detail: '<f> is required', source: "
        f"'data', status: 400, title: 'required'}}` each; {SDK} src/types/customer-address.d.ts "
        "@40402c55 lists them in `CustomerAddressEdit` (county/region keep their `?` through "
        "`WithRequired`'s Pick: optional in the type)",
        Confidence.RECORDED,
    ),
    Evidence(
        "region alone does not stand in for county (the desk asks for county)",
        f"{_TUTORIAL} names county, not region, as required; {SDK} a626147 says 'Region or "
        "County or both can be used': not settled",
        Confidence.INFERRED,
    ),
    Evidence(
        'a field never set reads ""; clearing an optional field writes "" (never null)',
        f'{_TUTORIAL} 201 body `"line_2": ""`; {_ADDRESSES_SPEC} types every attribute '
        "as a string; nothing documents clearing",
        Confidence.INFERRED,
    ),
    Evidence(
        "the label may not be emptied: its 400 names `Name` (the label), not the customer",
        f"{_ADDRESSES_SPEC} `ErrorBadRequest`: \"Validation failed: field 'Name' on the 'min' "
        'tag." (the trigger is our reading)',
        Confidence.INFERRED,
    ),
)

# "METHOD /path" (ids as {…}) -> what the adapter relies on when it sends that request.
REQUESTS: dict[str, tuple[Evidence, ...]] = {
    "POST /oauth/access_token": (
        Evidence(
            "form body grant_type=client_credentials, client_id, client_secret → "
            "{access_token, token_type, expires_in, expires}; tokens expire within 1 hour",
            f"{DEV} openapispecs/authentication/OpenAPISpec.yaml @983b9280; {SDK} "
            "src/factories/request.js (form-encoded, same three fields)",
            Confidence.SDK,
        ),
        Evidence(
            "some pages wrap the token in `data`: both accepted",
            f"{DEV} authentication pages (unwrapped example) vs. other pages",
            Confidence.INFERRED,
        ),
    ),
    "GET /v2/customers": (
        Evidence(
            "filter eq/like on email and name, eq/ge/gt/le/lt on id, created_at, updated_at; "
            "sort created_at|email|id|name|updated_at with '-'; page[limit] (≤ 100), "
            "page[offset]; meta.page and meta.results.total",
            f"{_CUSTOMER_DOCS} get-all-customers.mdx; {DEV} guides/Getting-Started/"
            f"filtering.md @4a8a0378, pagination.md @d333d440; {SDK} src/endpoints/customers.js "
            "`All` (filter, sort, limit, offset)",
            Confidence.DOCUMENTED,
        ),
        Evidence(
            "a listing carries no addresses: a refresh keeps the mirrored ones",
            f"{_CUSTOMER_DOCS} customer-management-api-overview.mdx (no address attribute); "
            f"addresses are a sub-resource ({_ADDRESSES_SPEC})",
            Confidence.DOCUMENTED,
        ),
    ),
    "POST /v2/customers": (
        Evidence(
            "body {data: {type: 'customer', name, email, password?}} (name and email "
            "required) → 201",
            f"{_CUSTOMER_DOCS} create-a-customer.mdx; {_TUTORIAL} 201 Created",
            Confidence.RECORDED,
        ),
        Evidence(
            "a missing email is 422 `{detail: 'The data.email field is required.', title: "
            "'Failed Validation'}`",
            f"{_TUTORIAL} ('Getting Started' 5)",
            Confidence.RECORDED,
        ),
        Evidence(
            "a duplicate email: shape undocumented; any error speaking of an existing email, "
            "or a 409 on a customer speaking of an existing record, lands on the email",
            "nothing for customers in DEV, SDK or CLI; the accounts API's documented duplicate "
            f"({DEV} openapispecs/accounts/OpenAPISpec.yaml `ConflictError`: 409 'Conflict', "
            "'… already exists') and the recorded 422 shape are both read "
            "(mapping.is_duplicate_email)",
            Confidence.INFERRED,
        ),
    ),
    "GET /v2/customers/{id}": (
        Evidence("{data: customer}", f"{_CUSTOMER_DOCS} get-a-customer.mdx", Confidence.DOCUMENTED),
    ),
    "PUT /v2/customers/{id}": (
        Evidence(
            "partial body (only what changed: name, email, password, custom fields); omitted "
            "attributes stay",
            f"{_CUSTOMER_DOCS} update-a-customer.mdx (all body attributes optional); "
            f"{CLI} docs/tutorial.md `epcc update customer … name …`",
            Confidence.DOCUMENTED,
        ),
        Evidence(
            "a 'Write conflict detected' 409 may be retried",
            _ERRORS,
            Confidence.DOCUMENTED,
        ),
    ),
    "DELETE /v2/customers/{id}": (
        Evidence("204", f"{_CUSTOMER_DOCS} delete-a-customer.mdx", Confidence.DOCUMENTED),
    ),
    "POST /v2/customers/tokens": (
        Evidence(
            "body {data: {type: 'token', email, password, authentication_mechanism: "
            "'password'}} → {data: {customer_id, token, expires}}",
            f"{_CUSTOMER_DOCS} customer-tokens.mdx; {SDK} src/endpoints/customers.js "
            "`TokenViaPassword`",
            Confidence.SDK,
        ),
    ),
    "GET /v2/flows/customers/fields": (
        Evidence(
            "the `customers` flow's fields (slug, enabled); 404 without such a flow",
            f"{DEV} openapispecs/flows/flows.yaml @cfe6630c `getAllFieldsByFlow`; {CLI} "
            "external/resources/yaml/flows.yaml `flow-fields`",
            Confidence.DOCUMENTED,
        ),
    ),
    "GET /v2/customers/{id}/addresses": (
        Evidence("{data: [address]}", _ADDRESSES_SPEC, Confidence.DOCUMENTED),
    ),
    "GET /v2/customers/{id}/addresses/{id}": (
        Evidence("{data: address}", _ADDRESSES_SPEC, Confidence.DOCUMENTED),
    ),
    "POST /v2/customers/{id}/addresses": (
        *_ADDRESS_BODY,
        Evidence(
            "answers 201 (the spec says 200): any 2xx is a success",
            f"{_TUTORIAL} 'HTTP/2.0 201 Created'; {_ADDRESSES_SPEC} '200'",
            Confidence.RECORDED,
        ),
    ),
    "PUT /v2/customers/{id}/addresses/{id}": (
        *_ADDRESS_BODY,
        Evidence(
            "partial: only the named attributes change",
            f"{_ADDRESSES_SPEC} (no attribute required in `Address`); {SDK} "
            "src/endpoints/customer-addresses.js `Update`",
            Confidence.INFERRED,
        ),
    ),
    "DELETE /v2/customers/{id}/addresses/{id}": (
        Evidence("204", _ADDRESSES_SPEC, Confidence.DOCUMENTED),
    ),
    "GET /v2/orders": (
        Evidence(
            "filter eq(customer_id,…), sort -created_at, page[limit], page[offset]",
            f"{DEV} openapispecs/cartsorders/OpenAPISpec.yaml @ab8c2c17 (orders filter table)",
            Confidence.DOCUMENTED,
        ),
    ),
    "GET /v2/orders/{id}": (
        Evidence(
            "{data: order} with meta.display_price; `shipping` price optional",
            f"{DEV} openapispecs/cartsorders/OpenAPISpec.yaml @ab8c2c17; moltin/js-sdk "
            "src/types/order.d.ts",
            Confidence.DOCUMENTED,
        ),
    ),
    "GET /v2/orders/{id}/items": (
        Evidence(
            "{data: [order_item]}",
            f"{DEV} openapispecs/cartsorders/OpenAPISpec.yaml @ab8c2c17; {CLI} "
            "external/resources/yaml/carts-and-orders.yaml",
            Confidence.DOCUMENTED,
        ),
    ),
}
ERROR_EVIDENCE = (
    Evidence(
        "{errors: [{status (number or string), title, detail?, source?}]}; a field is named by "
        "`source` (not the bare 'data'), by \"field 'X'\" (Go names: Name, FirstName, Line1), "
        "by 'data.X' or by 'X is required'",
        f"{_ERRORS}; {_ADDRESSES_SPEC}; {_TUTORIAL}",
        Confidence.RECORDED,
    ),
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
    amount: int = 0  # minor units
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
    quantity: int
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


class EPError(Wire):
    status: int | str | None = None
    title: str | None = None
    detail: str | None = None
    source: str | dict[str, Any] | None = None


class EPErrorBody(Wire):
    errors: list[EPError] = Field(default_factory=list)
