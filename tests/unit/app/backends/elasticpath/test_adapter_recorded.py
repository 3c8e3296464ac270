"""The adapter against Elastic Path's recorded answers (`recorded.py`), served by a mock
transport: what the service is known to say, not what our emulation says."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from app.backends.elasticpath import ElasticPathAdapter, ElasticPathCredentials
from app.domain.customer import AddressDraft, CustomerDraft
from app.domain.errors import ValidationFailedError
from app.domain.patch import AddressPatch, CustomerPatch
from app.gateway import GatewayOptions
from tests.unit.app.backends.elasticpath import recorded

pytestmark = pytest.mark.asyncio

STAMPS = {
    "timestamps": {"created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}
}
CUSTOMER = {
    "type": "customer",
    "id": "c1",
    "name": "Ron Swanson",
    "email": "r@x.io",
    "meta": STAMPS,
}
FULL = AddressDraft(
    first_name="Ron",
    last_name="Swanson",
    address_1="1 Sunny Street",
    county="Sunnyville",
    province="Pawnee",
    postal_code="SU33 1YY",
    country_code="gb",
)

Route = Callable[[httpx.Request], httpx.Response | None]


class Recorder:
    """Answers the token request, then each request with the first route that answers."""

    def __init__(self, *routes: Route) -> None:
        self.routes = routes
        self.sent: list[tuple[str, str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/access_token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
        body = json.loads(request.content) if request.content else None
        self.sent.append((request.method, request.url.path, body))
        for route in self.routes:
            if (answer := route(request)) is not None:
                return answer
        return httpx.Response(404, json={"errors": [{"status": 404, "title": "Not Found"}]})


def adapter(recorder: Recorder) -> ElasticPathAdapter:
    async def no_sleep(_: float) -> None:
        return None

    options = GatewayOptions(transport=httpx.MockTransport(recorder), sleep=no_sleep)
    creds = ElasticPathCredentials("id", SecretStr("secret"))
    return ElasticPathAdapter("https://ep.test", creds, options)


def answer(method: str, path: str, status: int, body: Any) -> Route:
    def route(request: httpx.Request) -> httpx.Response | None:
        if request.method == method and request.url.path == path:
            return httpx.Response(status, json=body)
        return None

    return route


NO_FLOW = answer("GET", "/v2/flows/customers/fields", 404, {"errors": [{"status": 404}]})


async def test_the_specs_name_error_on_an_address_points_at_the_label() -> None:
    rec = Recorder(
        answer("PUT", "/v2/customers/c1/addresses/a1", 400, recorded.ADDRESS_NAME_MIN_400)
    )
    with pytest.raises(ValidationFailedError) as caught:
        await adapter(rec).update_address("c1", "a1", AddressPatch(address_name="H"))
    assert [e.field for e in caught.value.field_errors] == ["address_name"]


async def test_the_recorded_required_errors_point_at_the_desks_fields() -> None:
    rec = Recorder(answer("POST", "/v2/customers/c1/addresses", 400, recorded.EMPTY_ADDRESS_400))
    with pytest.raises(ValidationFailedError) as caught:
        await adapter(rec).create_address("c1", FULL)
    assert [e.field for e in caught.value.field_errors] == [
        "first_name",
        "last_name",
        "address_1",
        "county",
        "postal_code",
        "country_code",
    ]


async def test_an_address_without_county_is_refused_before_sending() -> None:
    rec = Recorder()
    draft = FULL.model_copy(update={"county": None})
    with pytest.raises(ValidationFailedError) as caught:
        await adapter(rec).create_address("c1", draft)
    assert caught.value.for_field("county") == "County is required by this store."
    assert rec.sent == []


async def test_county_and_region_are_sent_as_elastic_path_attributes() -> None:
    rec = Recorder(answer("POST", "/v2/customers/c1/addresses", 201, recorded.CREATED_ADDRESS_201))
    created = await adapter(rec).create_address("c1", FULL)
    (_, _, body) = rec.sent[0]
    assert body["data"]["county"] == "Sunnyville"
    assert body["data"]["region"] == "Pawnee"
    assert (created.county, created.province) == ("IL", "WA")


async def test_clearing_the_label_is_refused_before_sending() -> None:
    rec = Recorder()
    with pytest.raises(ValidationFailedError) as caught:
        await adapter(rec).update_address("c1", "a1", AddressPatch(address_name=None))
    assert [e.field for e in caught.value.field_errors] == ["address_name"]
    assert rec.sent == []


async def test_an_accepted_update_stays_a_success_when_the_follow_up_read_fails() -> None:
    rec = Recorder(
        NO_FLOW,
        answer("GET", "/v2/customers/c1", 200, {"data": CUSTOMER}),
        answer("PUT", "/v2/customers/c1", 200, {"data": {**CUSTOMER, "name": "Ron Berg"}}),
        answer("GET", "/v2/customers/c1/addresses", 500, {"errors": [{"status": 500}]}),
    )
    saved = await adapter(rec).update_customer("c1", CustomerPatch(last_name="Berg"))
    assert (saved.first_name, saved.last_name) == ("Ron", "Berg")
    assert [m for m, *_ in rec.sent].count("PUT") == 1  # sent once, not queued or re-sent


async def test_a_409_on_a_new_customer_that_speaks_of_an_existing_record_is_the_email() -> None:
    conflict = {"errors": [{"status": 409, "title": "Conflict", "detail": "already exists"}]}
    rec = Recorder(NO_FLOW, answer("POST", "/v2/customers", 409, conflict))
    with pytest.raises(ValidationFailedError) as caught:
        await adapter(rec).create_customer(CustomerDraft(email="r@x.io", first_name="Ron"))
    assert [e.field for e in caught.value.field_errors] == ["email"]


async def test_a_write_conflict_is_still_retried_once() -> None:
    calls: list[int] = []

    def flaky(request: httpx.Request) -> httpx.Response | None:
        if request.method == "PUT":
            calls.append(1)
            if len(calls) == 1:
                return httpx.Response(409, json=recorded.WRITE_CONFLICT_409)
            return httpx.Response(200, json=recorded.CREATED_ADDRESS_201)
        return None

    rec = Recorder(flaky)
    saved = await adapter(rec).update_address("c1", "a1", AddressPatch(city="Pittsburgh"))
    assert saved.city == "Pittsburgh"
    assert len(calls) == 2
