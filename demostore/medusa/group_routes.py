"""/admin/customer-groups and group membership."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from demostore.core import customers_repo as repo
from demostore.core.errors import not_found
from demostore.medusa.customer_routes import LINK_BODY, selection_of, split_list_query
from demostore.medusa.httpkit import admin, body_of, context, json_response, query_of, worker_json
from demostore.medusa.validation import (
    Obj,
    Record,
    Schema,
    Str,
    Union,
    find_params,
    operator_map,
    str_or_list,
    validate,
    with_and_or,
)

_CUSTOMER_IN_GROUP = Obj(
    shape={
        "id": str_or_list(),
        "email": operator_map(),
        "company_name": str_or_list(),
        "first_name": str_or_list(),
        "last_name": str_or_list(),
        "created_by": str_or_list(),
        "created_at": operator_map(),
        "updated_at": operator_map(),
        "deleted_at": operator_map(),
    }
)
_GROUP_FILTERS: dict[str, Schema] = {
    "q": Str(),
    "id": str_or_list(),
    "name": str_or_list(),
    "customers": Union(options=(Str(), str_or_list(), _CUSTOMER_IN_GROUP)),
    "created_by": str_or_list(),
    "created_at": operator_map(),
    "updated_at": operator_map(),
    "deleted_at": operator_map(),
}
LIST_GROUPS = find_params(with_and_or(_GROUP_FILTERS))
CREATE_GROUP = Obj(
    shape={"name": Str(optional=False), "metadata": Record(nullable=True)}, strict=True
)
UPDATE_GROUP = Obj(shape={"name": Str(), "metadata": Record(nullable=True)}, strict=True)


@admin
async def list_groups(request: Request, actor: str) -> Response:
    filters, selection, order, limit, offset = split_list_query(
        validate(LIST_GROUPS, query_of(request)), 50, repo.GROUP_DEFAULT_FIELDS
    )
    return await worker_json(request, repo.list_groups, filters, selection, order, limit, offset)


@admin
async def create_group(request: Request, actor: str) -> Response:
    data = validate(CREATE_GROUP, await body_of(request))
    selection = selection_of(request, repo.GROUP_DEFAULT_FIELDS)
    group = await context(request).store.call(repo.create_group, data, actor, selection)
    return json_response({"customer_group": group})


@admin
async def get_group(request: Request, actor: str) -> Response:
    group_id = request.path_params["id"]
    selection = selection_of(request, repo.GROUP_DEFAULT_FIELDS)
    group = await context(request).store.call(repo.get_group, group_id, selection)
    if group is None:
        raise not_found(f"Customer group with id: {group_id} not found")
    return json_response({"customer_group": group})


@admin
async def update_group(request: Request, actor: str) -> Response:
    data = validate(UPDATE_GROUP, await body_of(request))
    selection = selection_of(request, repo.GROUP_DEFAULT_FIELDS)
    group = await context(request).store.call(
        repo.update_group, request.path_params["id"], data, selection
    )
    return json_response({"customer_group": group})


@admin
async def delete_group(request: Request, actor: str) -> Response:
    group_id = request.path_params["id"]
    await context(request).store.call(repo.delete_group, group_id)
    return json_response({"id": group_id, "object": "customer_group", "deleted": True})


@admin
async def link_customers(request: Request, actor: str) -> Response:
    data = validate(LINK_BODY, await body_of(request))
    selection = selection_of(request, repo.GROUP_DEFAULT_FIELDS)
    group = await context(request).store.call(
        repo.link_group_customers,
        request.path_params["id"],
        data.get("add", []),
        data.get("remove", []),
        actor,
        selection,
    )
    return json_response({} if group is None else {"customer_group": group})


ROUTES = [
    Route("/admin/customer-groups", list_groups, methods=["GET"]),
    Route("/admin/customer-groups", create_group, methods=["POST"]),
    Route("/admin/customer-groups/{id}", get_group, methods=["GET"]),
    Route("/admin/customer-groups/{id}", update_group, methods=["POST"]),
    Route("/admin/customer-groups/{id}", delete_group, methods=["DELETE"]),
    Route("/admin/customer-groups/{id}/customers", link_customers, methods=["POST"]),
]
