"""/admin/customers, their addresses and group links."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from demostore.core import customers_repo as repo
from demostore.core.errors import not_found
from demostore.core.fields import Selection, parse_fields
from demostore.medusa.httpkit import admin, body_of, context, json_response, query_of, worker_json
from demostore.medusa.validation import (
    Array,
    Bool,
    Obj,
    Record,
    Schema,
    Str,
    Union,
    boolean_string,
    find_params,
    nullish_str,
    operator_map,
    select_params,
    str_or_list,
    validate,
    with_and_or,
)

_PAGING_KEYS = ("fields", "limit", "offset", "order", "with_deleted")

_GROUP_IN_CUSTOMER = Obj(
    shape={
        "id": str_or_list(),
        "name": str_or_list(),
        "created_at": operator_map(),
        "updated_at": operator_map(),
        "deleted_at": operator_map(),
    }
)
_CUSTOMER_FILTERS: dict[str, Schema] = {
    "q": Str(),
    "id": operator_map(),
    "email": str_or_list(),
    "groups": Union(options=(_GROUP_IN_CUSTOMER, Str(), Array(item=Str()))),
    "company_name": str_or_list(),
    "first_name": str_or_list(),
    "last_name": str_or_list(),
    "has_account": boolean_string(),
    "created_by": str_or_list(),
    "created_at": operator_map(),
    "updated_at": operator_map(),
    "deleted_at": operator_map(),
}
LIST_CUSTOMERS = find_params(with_and_or(_CUSTOMER_FILTERS))
LIST_ADDRESSES = find_params(
    {
        "q": Str(),
        "company": str_or_list(),
        "city": str_or_list(),
        "country_code": str_or_list(),
        "province": str_or_list(),
        "postal_code": str_or_list(),
    }
)
SELECT = select_params()

CUSTOMER_BODY = Obj(
    shape={
        "email": Str(nullable=True, email=True),
        "company_name": nullish_str(),
        "first_name": nullish_str(),
        "last_name": nullish_str(),
        "phone": nullish_str(),
        "metadata": Record(nullable=True),
        "additional_data": Record(nullable=True),
    },
    strict=True,
)
ADDRESS_BODY = Obj(
    shape={
        "address_name": nullish_str(),
        "is_default_shipping": Bool(),
        "is_default_billing": Bool(),
        "company": nullish_str(),
        "first_name": nullish_str(),
        "last_name": nullish_str(),
        "address_1": nullish_str(),
        "address_2": nullish_str(),
        "city": nullish_str(),
        "country_code": nullish_str(),
        "province": nullish_str(),
        "postal_code": nullish_str(),
        "phone": nullish_str(),
        "metadata": Record(nullable=True),
        "additional_data": Record(nullable=True),
    },
    strict=True,
)
LINK_BODY = Obj(shape={"add": Array(item=Str()), "remove": Array(item=Str())}, strict=True)


def split_list_query(
    validated: dict[str, Any], default_limit: int, defaults: tuple[str, ...]
) -> tuple[dict[str, Any], Selection, str | None, int, int]:
    """Validated list query -> (filters, selection, order, limit, offset)."""
    filters = {k: v for k, v in validated.items() if k not in _PAGING_KEYS}
    selection = parse_fields(validated.get("fields"), defaults)
    limit = int(validated.get("limit", default_limit))
    offset = int(validated.get("offset", 0))
    return filters, selection, validated.get("order"), limit, offset


def selection_of(request: Request, defaults: tuple[str, ...]) -> Selection:
    return parse_fields(validate(SELECT, query_of(request)).get("fields"), defaults)


def _without_additional_data(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "additional_data"}


@admin
async def list_customers(request: Request, actor: str) -> Response:
    filters, selection, order, limit, offset = split_list_query(
        validate(LIST_CUSTOMERS, query_of(request)), 50, repo.CUSTOMER_DEFAULT_FIELDS
    )
    return await worker_json(request, repo.list_customers, filters, selection, order, limit, offset)


@admin
async def create_customer(request: Request, actor: str) -> Response:
    data = _without_additional_data(validate(CUSTOMER_BODY, await body_of(request)))
    selection = selection_of(request, repo.CUSTOMER_DEFAULT_FIELDS)
    customer = await context(request).store.call(repo.create_customer, data, actor, selection)
    return json_response({"customer": customer})


@admin
async def get_customer(request: Request, actor: str) -> Response:
    customer_id = request.path_params["id"]
    selection = selection_of(request, repo.CUSTOMER_DEFAULT_FIELDS)
    customer = await context(request).store.call(repo.get_customer, customer_id, selection)
    if customer is None:
        raise not_found(f"Customer with id: {customer_id} not found")
    return json_response({"customer": customer})


@admin
async def update_customer(request: Request, actor: str) -> Response:
    data = _without_additional_data(validate(CUSTOMER_BODY, await body_of(request)))
    selection = selection_of(request, repo.CUSTOMER_DEFAULT_FIELDS)
    customer = await context(request).store.call(
        repo.update_customer, request.path_params["id"], data, selection
    )
    return json_response({"customer": customer})


@admin
async def delete_customer(request: Request, actor: str) -> Response:
    customer_id = request.path_params["id"]
    await context(request).store.call(repo.delete_customer, customer_id)
    return json_response({"id": customer_id, "object": "customer", "deleted": True})


def _with_customer(key: str, customer: dict[str, Any] | None) -> dict[str, Any]:
    # A customer that cannot be refetched is left out, as JSON drops Medusa's undefined.
    return {} if customer is None else {key: customer}


@admin
async def list_addresses(request: Request, actor: str) -> Response:
    filters, selection, order, limit, offset = split_list_query(
        validate(LIST_ADDRESSES, query_of(request)), 50, repo.ADDRESS_DEFAULT_FIELDS
    )
    return await worker_json(
        request,
        repo.list_addresses,
        request.path_params["id"],
        filters,
        selection,
        order,
        limit,
        offset,
    )


@admin
async def create_address(request: Request, actor: str) -> Response:
    data = _without_additional_data(validate(ADDRESS_BODY, await body_of(request)))
    selection = selection_of(request, repo.CUSTOMER_DEFAULT_FIELDS)
    customer = await context(request).store.call(
        repo.create_address, request.path_params["id"], data, selection
    )
    return json_response(_with_customer("customer", customer))


@admin
async def get_address(request: Request, actor: str) -> Response:
    selection = selection_of(request, repo.ADDRESS_DEFAULT_FIELDS)
    address = await context(request).store.call(
        repo.get_address, request.path_params["id"], request.path_params["address_id"], selection
    )
    # Medusa answers 200 {} for an unknown address (its handler sends {address: undefined}).
    return json_response({} if address is None else {"address": address})


@admin
async def update_address(request: Request, actor: str) -> Response:
    data = _without_additional_data(validate(ADDRESS_BODY, await body_of(request)))
    selection = selection_of(request, repo.CUSTOMER_DEFAULT_FIELDS)
    customer = await context(request).store.call(
        repo.update_address,
        request.path_params["id"],
        request.path_params["address_id"],
        data,
        selection,
    )
    return json_response(_with_customer("customer", customer))


@admin
async def delete_address(request: Request, actor: str) -> Response:
    address_id = request.path_params["address_id"]
    selection = selection_of(request, repo.CUSTOMER_DEFAULT_FIELDS)
    customer = await context(request).store.call(
        repo.delete_address, request.path_params["id"], address_id, selection
    )
    body = {"id": address_id, "object": "customer_address", "deleted": True}
    return json_response({**body, **_with_customer("parent", customer)})


@admin
async def link_groups(request: Request, actor: str) -> Response:
    data = validate(LINK_BODY, await body_of(request))
    selection = selection_of(request, repo.CUSTOMER_DEFAULT_FIELDS)
    customer = await context(request).store.call(
        repo.link_customer_groups,
        request.path_params["id"],
        data.get("add", []),
        data.get("remove", []),
        actor,
        selection,
    )
    return json_response(_with_customer("customer", customer))


ROUTES = [
    Route("/admin/customers", list_customers, methods=["GET"]),
    Route("/admin/customers", create_customer, methods=["POST"]),
    Route("/admin/customers/{id}", get_customer, methods=["GET"]),
    Route("/admin/customers/{id}", update_customer, methods=["POST"]),
    Route("/admin/customers/{id}", delete_customer, methods=["DELETE"]),
    Route("/admin/customers/{id}/addresses", list_addresses, methods=["GET"]),
    Route("/admin/customers/{id}/addresses", create_address, methods=["POST"]),
    Route("/admin/customers/{id}/addresses/{address_id}", get_address, methods=["GET"]),
    Route("/admin/customers/{id}/addresses/{address_id}", update_address, methods=["POST"]),
    Route("/admin/customers/{id}/addresses/{address_id}", delete_address, methods=["DELETE"]),
    Route("/admin/customers/{id}/customer-groups", link_groups, methods=["POST"]),
]
