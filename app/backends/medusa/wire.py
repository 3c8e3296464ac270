"""Medusa 2.x admin API: the routes the adapter sends and the JSON they answer.

Every route below cites its evidence (`app.backends.evidence`): Medusa's own route
handlers and zod validators (medusajs/medusa at `SRC`, a 2.0 snapshot of 2024-10-24), and
what a real 2.21.2 server measured (`PEER`, /work/shared/docs/medusa-peer.md; the contract
suite runs the adapter against that server in CI). Where the two differ, the measurement
on 2.21.2 wins and says so. Wire models are lenient (`extra="ignore"`) so new server
fields never break us; they never leave this package.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict

from app.backends.evidence import Evidence, Source
from app.backends.routes import Route
from app.domain.money import WireAmount, WireQuantity

SRC = "medusajs/medusa@59e6747800133e091d20c2c167f600981abc5c0d"
API = "packages/medusa/src/api"
PEER = "/work/shared/docs/medusa-peer.md (Medusa 2.21.2, measured)"


_src = Source("vendor-source", f"{SRC} {API}/")
_peer = Source("measured", f"{PEER} § ")
# Medusa 2.21.2 itself: the npm packages' gitHead (read in the dist/ files that
# tests/peers/medusa/peer.sh installs), and what this project's peer tests measure there.
SRC_2_21_2 = "medusajs/medusa@cd1f5afa5aa8c0b15ea957008ee19f1d695cbd2e"
_v2_21 = Source("vendor-source", f"{SRC_2_21_2} packages/")
_PEER_TEST = Source("measured", "tests/peers/medusa/test_order_directory.py (2.21.2): ")


_FIND = _src(
    "utils/validators.ts",
    "createFindParams/createSelectParams: fields, limit, offset, order (one field, '-' = desc)",
)
_ORDER_ONE_FIELD = _peer(
    "Error body shapes", "an unknown order field or two fields answer 500: send one known field"
)

_FIELDS = _peer("Customers (admin)", "fields: a plain list replaces the defaults, +f/*rel add")
_ID_MAP = _peer("Customers (admin)", "only id and dates take operator maps")
_PAGED = (("order", _FIND), ("limit", _FIND), ("offset", _FIND))


def _dates(name: str) -> tuple[tuple[str, Evidence], ...]:
    ev = _src("admin/customers/validators.ts", f"{name}: createOperatorMap ($gte, $lt, …)")
    return ((f"{name}[$gte]", ev), (f"{name}[$lt]", ev))


SIGN_IN = Route(
    "POST",
    "/auth/user/emailpass",
    "admin sign-in: email + password for a bearer JWT (24 h)",
    (
        _src(
            "auth/[actor_type]/[auth_provider]/route.ts",
            "POST runs GET's handler: authenticate, answer {token}",
        ),
        _peer("Auth", "200 {token}; wrong password 401; use Authorization: Bearer"),
    ),
)
CUSTOMERS = Route(
    "GET",
    "/admin/customers",
    "list, search, filter and sort customers; changed-since for the mirror",
    (
        _src("admin/customers/route.ts", "GET lists customers with count, offset, limit"),
        _peer("Customers (admin)", "no maximum limit; default order id; created_at has ties"),
    ),
    params=(
        ("q", _src("admin/customers/validators.ts", "AdminCustomersParamsFields.q")),
        ("q", _peer("Customers (admin)", "q matches company, names, email, phone (ILIKE)")),
        ("has_account", _src("admin/customers/validators.ts", "has_account: booleanString")),
        ("groups[]", _src("admin/customers/validators.ts", "groups: string | string[] | {id}")),
        ("email", _src("admin/customers/validators.ts", "email: string | string[]")),
        *_dates("created_at"),
        *_dates("updated_at"),
        ("id[$gt]", _ID_MAP),
        ("id[$lt]", _ID_MAP),
        ("fields", _FIELDS),
        ("order", _FIND),
        ("order", _ORDER_ONE_FIELD),
        ("limit", _FIND),
        ("offset", _FIND),
    ),
)
CUSTOMER_CREATE = Route(
    "POST",
    "/admin/customers",
    "create a customer (has_account false)",
    (
        _src("admin/customers/route.ts", "POST with AdminCreateCustomer (validators.ts)"),
        _peer("Customers (admin)", "200 {customer}; uniqueness on (email, has_account)"),
    ),
    params=(("fields", _FIELDS),),
)
CUSTOMER = Route(
    "GET",
    "/admin/customers/{id}",
    "one customer with groups and addresses (fields=*groups,*addresses)",
    (
        _src("admin/customers/[id]/route.ts", "GET retrieves one customer"),
        _peer("Customers (admin)", "{customer}; unknown id 404"),
    ),
    params=(("fields", _FIELDS),),
)
CUSTOMER_UPDATE = Route(
    "POST",
    "/admin/customers/{id}",
    "change a customer; metadata is merged, a key sent as '' is removed",
    (
        _src("admin/customers/[id]/route.ts", "POST with AdminUpdateCustomer"),
        _peer("Customers (admin)", "metadata merged; '' removes a key; phone null clears"),
    ),
    params=(("fields", _FIELDS),),
)
CUSTOMER_DELETE = Route(
    "DELETE",
    "/admin/customers/{id}",
    "delete a customer (soft delete)",
    (
        _src("admin/customers/[id]/route.ts", "DELETE"),
        _peer("Customers (admin)", "200 even when already deleted: the adapter GETs first"),
    ),
)
ADDRESSES = Route(
    "GET",
    "/admin/customers/{id}/addresses",
    "a customer's addresses with the default flags, paged by id",
    (
        _src("admin/customers/[id]/addresses/route.ts", "GET lists addresses"),
        _peer("Addresses (admin)", "default flags only with fields=+is_default_…"),
    ),
    params=(
        ("fields", _peer("Addresses (admin)", "fields=+is_default_shipping,+is_default_billing")),
        *_PAGED,
    ),
)
ADDRESS_CREATE = Route(
    "POST",
    "/admin/customers/{id}/addresses",
    "add an address; the answer is the customer",
    (
        _src("admin/customers/[id]/addresses/route.ts", "POST with CreateCustomerAddress"),
        _peer("Addresses (admin)", "answers {customer}, not the address"),
    ),
    params=(("fields", _peer("Addresses (admin)", "?fields=*addresses shows the new one")),),
)
ADDRESS_UPDATE = Route(
    "POST",
    "/admin/customers/{id}/addresses/{address_id}",
    "change an address; the answer is the customer",
    (
        _src("admin/customers/[id]/addresses/[address_id]/route.ts", "POST"),
        _peer("Addresses (admin)", "an unknown address id answers 200, nothing changes"),
    ),
    params=(("fields", _FIELDS),),
)
ADDRESS_DELETE = Route(
    "DELETE",
    "/admin/customers/{id}/addresses/{address_id}",
    "delete an address",
    (
        _src("admin/customers/[id]/addresses/[address_id]/route.ts", "DELETE"),
        _peer("Addresses (admin)", "200, also when repeated"),
    ),
)
GROUPS = Route(
    "GET",
    "/admin/customer-groups",
    "all customer groups (id, name), paged by id",
    (
        _src("admin/customer-groups/route.ts", "GET lists groups"),
        _peer("Customer groups", "fields=id,name; duplicate names refused"),
    ),
    params=(("fields", _peer("Customer groups", "fields=id,name")), *_PAGED),
)
GROUP_MEMBERSHIP = Route(
    "POST",
    "/admin/customers/{id}/customer-groups",
    "add/remove a customer's groups; the answer is the customer",
    (
        # Not in the 2.0 snapshot (it has /admin/customer-groups/{id}/customers only).
        _peer("Customer groups", "{add, remove} of group ids -> {customer}; on 2.21.2"),
    ),
    params=(("fields", _FIELDS),),
)
_ORDER_VALIDATORS = _v2_21(
    "medusa/src/api/admin/orders/validators.ts",
    "AdminGetOrdersParams: id, created_at, updated_at take createOperatorMap ($gt, $gte, …)",
)
_ORDER_LIST = _v2_21(
    "core/core-flows/src/order/workflows/get-orders-list.ts",
    "the list always loads items.* and derives payment_status/fulfillment_status",
)
ORDERS = Route(
    "GET",
    "/admin/orders",
    "a customer's orders, newest first (order=-id); every order by id keyset for the mirror",
    (
        _src("admin/orders/route.ts", "GET lists orders (AdminGetOrdersParams, validators.ts)"),
        # The 2.0 validator lacks customer_id; 2.21.2 filters by it.
        _peer("Orders for a customer", "customer_id filter; default limit 15"),
        _ORDER_LIST,
    ),
    params=(
        ("customer_id", _peer("Orders for a customer", "GET /admin/orders?customer_id=cus_…")),
        ("customer_id", _ORDER_VALIDATORS),
        ("fields", _peer("Orders for a customer", "useful list fields; items always come")),
        ("fields", _PEER_TEST("list rows", "fields=…,summary: summary.refunded_total on each row")),
        ("id[$gt]", _ORDER_VALIDATORS),
        ("id[$gt]", _PEER_TEST("keyset pass", "order=id&id[$gt]=<last id> lists each order once")),
        ("updated_at[$gte]", _ORDER_VALIDATORS),
        ("updated_at[$gte]", _PEER_TEST("incremental", "cancel and refund move updated_at")),
        ("updated_at[$gte]", _PEER_TEST("capture", "mark-as-paid leaves updated_at alone")),
        *_PAGED,
    ),
)
ORDER = Route(
    "GET",
    "/admin/orders/{id}",
    "one order with items and totals (fields=+email,+currency_code,+customer_id)",
    (
        _src("admin/orders/[id]/route.ts", "GET retrieves one order"),
        _peer("Orders for a customer", "email, currency_code, customer_id not in defaults"),
    ),
    params=(
        ("fields", _peer("Orders for a customer", "fields=+email,+currency_code,+customer_id")),
    ),
)
RESET_PASSWORD = Route(
    "POST",
    "/auth/customer/emailpass/reset-password",
    "ask Medusa to send a customer a password-reset token (15 min)",
    (
        _src("auth/[actor_type]/[auth_provider]/reset-password/route.ts", "POST {identifier}"),
        _peer("Store side and password reset", "201 for any identifier; token never returned"),
    ),
)

ROUTES = (
    SIGN_IN,
    CUSTOMERS,
    CUSTOMER_CREATE,
    CUSTOMER,
    CUSTOMER_UPDATE,
    CUSTOMER_DELETE,
    ADDRESSES,
    ADDRESS_CREATE,
    ADDRESS_UPDATE,
    ADDRESS_DELETE,
    GROUPS,
    GROUP_MEMBERSHIP,
    ORDERS,
    ORDER,
    RESET_PASSWORD,
)


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class MedusaGroup(Wire):
    id: str
    name: str | None = None


class MedusaAddress(Wire):
    id: str
    customer_id: str | None = None
    address_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    address_1: str | None = None
    address_2: str | None = None
    city: str | None = None
    province: str | None = None
    postal_code: str | None = None
    country_code: str | None = None
    phone: str | None = None
    is_default_shipping: bool | None = None
    is_default_billing: bool | None = None
    metadata: dict[str, Any] | None = None


class MedusaCustomer(Wire):
    id: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    company_name: str | None = None
    has_account: bool = False
    metadata: dict[str, Any] | None = None
    created_at: AwareDatetime
    updated_at: AwareDatetime
    groups: list[MedusaGroup] | None = None
    addresses: list[MedusaAddress] | None = None


class MedusaCustomerList(Wire):
    customers: list[MedusaCustomer]
    count: int
    offset: int = 0
    limit: int = 0


class MedusaCustomerEnvelope(Wire):
    customer: MedusaCustomer


class MedusaAddressList(Wire):
    addresses: list[MedusaAddress]
    count: int


class MedusaGroupList(Wire):
    customer_groups: list[MedusaGroup]
    count: int


class MedusaOrderItem(Wire):
    id: str
    title: str | None = None
    product_title: str | None = None
    variant_sku: str | None = None
    quantity: WireQuantity
    unit_price: WireAmount
    total: WireAmount | None = None
    subtotal: WireAmount | None = None


class MedusaOrderTotals(Wire):
    """The order's `summary` as the list and detail print it (flat totals)."""

    refunded_total: WireAmount | None = None


class MedusaOrder(Wire):
    id: str
    display_id: int | None = None
    status: str
    payment_status: str | None = None
    fulfillment_status: str | None = None
    currency_code: str | None = None
    email: str | None = None
    customer_id: str | None = None
    total: WireAmount = Decimal(0)
    subtotal: WireAmount | None = None
    item_subtotal: WireAmount | None = None
    shipping_total: WireAmount | None = None
    shipping_subtotal: WireAmount | None = None
    tax_total: WireAmount | None = None
    discount_total: WireAmount | None = None
    discount_tax_total: WireAmount | None = None
    created_at: AwareDatetime
    updated_at: AwareDatetime | None = None
    summary: MedusaOrderTotals | None = None
    items: list[MedusaOrderItem] | None = None
    shipping_address: MedusaAddress | None = None
    billing_address: MedusaAddress | None = None


class MedusaOrderList(Wire):
    orders: list[MedusaOrder]
    count: int


class MedusaOrderEnvelope(Wire):
    order: MedusaOrder


class MedusaLogin(Wire):
    token: str
