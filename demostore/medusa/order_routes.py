"""/admin/orders, /admin/draft-orders and /admin/regions."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from demostore.core import orders_repo as repo
from demostore.core.errors import invalid_data
from demostore.core.fields import parse_fields
from demostore.medusa.customer_routes import split_list_query
from demostore.medusa.httpkit import admin, body_of, context, json_response, query_of, worker_json
from demostore.medusa.validation import (
    Array,
    BigNumber,
    Bool,
    Num,
    Obj,
    Record,
    Str,
    Union,
    find_params,
    nullish_str,
    operator_map,
    str_or_list,
    validate,
)

# Medusa's order list schema is a zod ``transform``, which is not made strict:
# unknown query parameters are accepted (unlike customers).
LIST_ORDERS = find_params(
    {
        "id": operator_map(),
        "status": operator_map(),
        "sales_channel_id": Array(item=Str()),
        "region_id": str_or_list(),
        "customer_id": str_or_list(),
        "q": Str(),
        "created_at": operator_map(),
        "updated_at": operator_map(),
        "total": operator_map(),
    }
)
LIST_ORDERS.strict = False
GET_ORDER = Obj(shape={"fields": Str(), "version": Str()}, strict=True)

_ADDRESS = Obj(
    shape={
        name: nullish_str()
        for name in (
            "first_name",
            "last_name",
            "phone",
            "company",
            "address_1",
            "address_2",
            "city",
            "country_code",
            "province",
            "postal_code",
        )
    }
    | {"metadata": Record(nullable=True)}
)
_ITEM = Obj(
    shape={
        "title": nullish_str(),
        "variant_sku": nullish_str(),
        "variant_barcode": nullish_str(),
        "sku": nullish_str(),
        "barcode": nullish_str(),
        "variant_id": nullish_str(),
        "unit_price": BigNumber(nullable=True),
        "quantity": Num(optional=False),
        "metadata": Record(nullable=True),
    }
)
CREATE_DRAFT = Obj(
    shape={
        "status": Str(),
        "sales_channel_id": nullish_str(),
        "email": nullish_str(),
        "customer_id": nullish_str(),
        "billing_address": Union(options=(_ADDRESS, Str())),
        "shipping_address": Union(options=(_ADDRESS, Str())),
        "items": Array(item=_ITEM),
        "region_id": Str(optional=False),
        "promo_codes": Array(item=Str()),
        "currency_code": nullish_str(),
        "no_notification_order": Bool(),
        "shipping_methods": Array(item=Obj()),
        "locale": Str(),
        "metadata": Record(nullable=True),
        "additional_data": Record(nullable=True),
    },
    strict=True,
)
CREATE_REGION = Obj(
    shape={
        "name": Str(optional=False),
        "currency_code": Str(optional=False),
        "countries": Array(item=Str()),
        "automatic_taxes": Bool(),
        "is_tax_inclusive": Bool(),
        "payment_providers": Array(item=Str()),
        "metadata": Record(nullable=True),
    },
    strict=True,
)
LIST_REGIONS = find_params({"q": Str(), "id": str_or_list(), "currency_code": str_or_list()})


@admin
async def list_orders(request: Request, actor: str) -> Response:
    validated = validate(LIST_ORDERS, query_of(request))
    validated.pop("total", None)  # not modelled: the demo keeps no order summaries to filter on
    validated.pop("q", None)
    filters, selection, order, limit, offset = split_list_query(
        validated, 15, repo.ORDER_LIST_DEFAULT_FIELDS
    )
    return await worker_json(request, repo.list_orders, filters, selection, order, limit, offset)


@admin
async def get_order(request: Request, actor: str) -> Response:
    validated = validate(GET_ORDER, query_of(request))
    selection = parse_fields(validated.get("fields"), repo.ORDER_DETAIL_DEFAULT_FIELDS)
    order = await context(request).store.call(repo.get_order, request.path_params["id"], selection)
    return json_response({"order": order})


@admin
async def cancel_order(request: Request, actor: str) -> Response:
    # Medusa validates only the query here (the body validator is commented out in
    # middlewares.js), then answers the order with the retrieve defaults.
    selection = parse_fields(
        validate(GET_ORDER, query_of(request)).get("fields"), repo.ORDER_DETAIL_DEFAULT_FIELDS
    )
    order_id = request.path_params["id"]
    store = context(request).store
    await store.call(repo.cancel_order, order_id)
    return json_response({"order": await store.call(repo.get_order, order_id, selection)})


@admin
async def create_draft_order(request: Request, actor: str) -> Response:
    data = validate(CREATE_DRAFT, await body_of(request))
    if any(item.get("variant_id") for item in data.get("items", [])):
        raise invalid_data(
            "The demo store has no products: use custom items {title, unit_price, quantity}"
        )
    draft = await context(request).store.call(repo.create_draft_order, data)
    return json_response({"draft_order": draft})


@admin
async def convert_draft_order(request: Request, actor: str) -> Response:
    await body_of(request)
    order = await context(request).store.call(repo.convert_draft_order, request.path_params["id"])
    return json_response({"order": order})


@admin
async def list_regions(request: Request, actor: str) -> Response:
    filters, _, order, limit, offset = split_list_query(
        validate(LIST_REGIONS, query_of(request)), 50, ()
    )
    return await worker_json(request, repo.list_regions, filters, order, limit, offset)


@admin
async def create_region(request: Request, actor: str) -> Response:
    data = validate(CREATE_REGION, await body_of(request))
    region = await context(request).store.call(repo.create_region, data)
    return json_response({"region": region})


ROUTES = [
    Route("/admin/orders", list_orders, methods=["GET"]),
    Route("/admin/orders/{id}", get_order, methods=["GET"]),
    # Medusa 2.21.2 api/admin/orders/[id]/cancel/route.js: cancelOrderWorkflow, then the order.
    Route("/admin/orders/{id}/cancel", cancel_order, methods=["POST"]),
]
# Only for tests (seeding orders through drafts, as on a real Medusa): served when
# `DemoSettings.test_routes` is on, never in the app.
TEST_ROUTES = [
    Route("/admin/draft-orders", create_draft_order, methods=["POST"]),
    Route("/admin/draft-orders/{id}/convert-to-order", convert_draft_order, methods=["POST"]),
    Route("/admin/regions", list_regions, methods=["GET"]),
    Route("/admin/regions", create_region, methods=["POST"]),
]
