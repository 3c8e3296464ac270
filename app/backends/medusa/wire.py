"""Medusa 2.x admin API JSON, as observed on a real 2.21.2 server.

Reference: docs.medusajs.com/api/admin (Customers, Customer Groups, Orders) and the
measured shapes in the project's Medusa contract suite. Wire models are lenient
(`extra="ignore"`) so new server fields never break us; they never leave this package.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict

from app.domain.money import WireAmount, WireQuantity


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
