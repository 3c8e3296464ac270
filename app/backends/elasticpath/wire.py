"""Elastic Path Commerce Cloud JSON, as the vendor's reference documents it.

The service cannot be reached from here; every shape below is taken from the published
reference in `elasticpath/elasticpath-dev` (cited per endpoint) and proven only against the
project's emulation (`app.demo.elasticpath`), which was written from the same reference.

- Token: `POST /oauth/access_token`, form-encoded `grant_type=client_credentials`,
  `client_id`, `client_secret` → `{access_token, token_type, expires_in, expires, identifier}`
  (`openapispecs/authentication/OpenAPISpec.yaml`; tokens "expire within 1 hour"). The spec's
  example wraps nothing, other pages show `{"data": {...}}`: both are accepted.
- Customers: `GET/POST /v2/customers`, `GET/PUT/DELETE /v2/customers/{id}`; `{data}` envelopes,
  lists with `meta.page {limit, offset, current, total}` and `meta.results.total`
  (`docs/customer-management/customer-management-api/get-all-customers.md`,
  `create-a-customer.md`, `update-a-customer.mdx`, `customer-management-api-overview.md`).
  A customer has one `name`, `email`, `password` (a boolean: a password exists; never the
  password), `external_ref`, `meta.timestamps`. Custom fields of the `customers` core flow are
  extra top-level attributes (`guides/How-To/Customers/extend-customer-resources.md`), hence
  `extra="allow"` on `EPCustomer`.
- Flow fields: `GET /v2/flows/{flowSlug}/fields` (flows reference, `getAllFieldsByFlow`).
- Addresses: `/v2/customers/{customerID}/addresses[/{addressID}]`
  (`openapispecs/customeraddresses/CustomerAddresses.yaml`): `name` is the address label,
  `line_1/line_2`, `county`, `region`, `postcode`, `country` (ISO 3166 two letters),
  `phone_number`, `company_name`, `instructions`; no default-address flags.
- Orders: `GET /v2/orders?filter=eq(customer_id,…)`, `GET /v2/orders/{id}`,
  `GET /v2/orders/{id}/items` (`openapispecs/cartsorders/OpenAPISpec.yaml`; field names as in
  `moltin/js-sdk src/types/order.d.ts`). Money is in minor units with `currency` and
  `formatted`. `meta.display_price.shipping` is not in the SDK types: optional here.
- Customer tokens: `POST /v2/customers/tokens` → `{data: {type, id, customer_id, token,
  expires}}` (`docs/customer-management/customer-management-api/customer-tokens.md`).
- Errors: `{errors: [{status (number or string), title, detail?, source?}]}`
  (`guides/Getting-Started/errors.md`, `CustomerAddresses.yaml`).

Wire models are lenient (`extra="ignore"`) and never leave this package.
"""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from app.domain.money import WireIntQuantity, WireMinorAmount


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


class EPError(Wire):
    status: int | str | None = None
    title: str | None = None
    detail: str | None = None
    source: str | dict[str, Any] | None = None


class EPErrorBody(Wire):
    errors: list[EPError] = Field(default_factory=list)
