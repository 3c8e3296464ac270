"""`ChecAdapter` against recorded, vendor-shaped answers: what it asks (each request as the
vendor's evidence has it) and how an accepted write stays a success whatever follows.

Bodies follow chec/commerce.js src/types/api/Customer.ts and Address.ts (branch 3.0,
6cd0359) with the values of the SDK docs (docs/05_Customers.md); nothing here depends on
the demo store's emulation.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr

from app.backends.chec import ChecAdapter
from app.domain.customer import AddressDraft
from app.domain.errors import UnsupportedOperationError
from app.domain.limitations import ADDRESS_BOOK_DEFAULTS_ONLY, AddressBook
from app.domain.patch import AddressPatch, CustomerPatch
from app.domain.query import CustomerQuery, Sort, SortField
from app.gateway import GatewayOptions

pytestmark = pytest.mark.asyncio

CID = "cstmr_K1YDR2qy29Qem6"
HOME: dict[str, Any] = {
    "id": "addr_7RyWOwmK5nEa2V",
    "name": "Leslie Lawless",
    "street": "123 Fake St",
    "street_2": None,
    "town_city": "San Francisco",
    "postal_zip_code": "94103",
    "county_state": "CA",
    "country": "US",
    "delivery_instructions": "",
    "meta": [],
}
CUSTOMER: dict[str, Any] = {
    "id": CID,
    "external_id": "MY_CRM_USER_123",
    "firstname": "Leslie",
    "lastname": "Lawless",
    "email": "leslie.lawless@example.com",
    "phone": None,
    "meta": [],
    "created": 1600000000,
    "updated": 1600000000,
    "default_shipping": HOME,
    "default_billing": HOME,
}
PAGINATION = {
    "pagination": {
        "total": 0,
        "count": 0,
        "per_page": 20,
        "current_page": 1,
        "total_pages": 0,
        "links": {},
    }
}
NOT_FOUND = {"status_code": 404, "error": {"type": "not_found", "message": "Not found"}}

Route = Callable[[httpx.Request], httpx.Response]


class Recorded:
    """Answers by (method, path); records every request."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.requests: list[httpx.Request] = []

    def on(self, method: str, path: str, status: int, body: Any = None) -> None:
        def answer(_: httpx.Request) -> httpx.Response:
            return httpx.Response(status, json=body)

        self.routes[(method, path)] = answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        route = self.routes.get((request.method, request.url.path))
        return route(request) if route else httpx.Response(404, json=NOT_FOUND)

    def sent(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if (r.method, r.url.path) == (method, path)]


@pytest_asyncio.fixture
async def chec() -> AsyncIterator[tuple[Recorded, ChecAdapter]]:
    recorded = Recorded()
    recorded.on("GET", f"/v1/customers/{CID}", 200, CUSTOMER)
    options = GatewayOptions(transport=httpx.MockTransport(recorded))
    adapter = ChecAdapter("https://api.chec.io", SecretStr("sk_test_recorded"), options)
    try:
        yield recorded, adapter
    finally:
        await adapter.aclose()


# --- what is asked -----------------------------------------------------------------------


async def test_order_history_sorts_by_created_at_like_the_vendor_sdk(
    chec: tuple[Recorded, ChecAdapter],
) -> None:
    recorded, adapter = chec
    recorded.on("GET", f"/v1/customers/{CID}/orders", 200, {"data": [], "meta": PAGINATION})
    await adapter.list_orders(CID)
    (request,) = recorded.sent("GET", f"/v1/customers/{CID}/orders")
    # chec/commerce.js getOrders() since 1fe26ff: `created` "causes error" on the server.
    assert request.url.params["sortBy"] == "created_at"
    assert request.url.params["sortDirection"] == "desc"


async def test_customer_list_sends_no_undocumented_sort(
    chec: tuple[Recorded, ChecAdapter],
) -> None:
    recorded, adapter = chec
    recorded.on("GET", "/v1/customers", 200, {"data": [CUSTOMER], "meta": PAGINATION})
    query = CustomerQuery(text="leslie", sort=Sort(field=SortField.LAST_NAME, descending=False))
    await adapter.list_customers(query)
    (request,) = recorded.sent("GET", "/v1/customers")
    assert "sortBy" not in request.url.params
    assert "sortDirection" not in request.url.params
    assert request.url.params["query"] == "leslie"


# --- the address list route missing --------------------------------------------------------


@pytest.mark.parametrize("status", [404, 405])
async def test_customer_shows_its_defaults_where_addresses_are_not_listed(
    chec: tuple[Recorded, ChecAdapter], status: int
) -> None:
    recorded, adapter = chec
    recorded.on("GET", f"/v1/customers/{CID}/addresses", status, NOT_FOUND)
    before = adapter.address_book
    customer = await adapter.get_customer(CID)
    (home,) = customer.addresses
    assert (home.id, home.address_1, home.country_code) == (HOME["id"], "123 Fake St", "us")
    assert home.is_default_shipping
    assert home.is_default_billing
    assert (before, adapter.address_book) == (AddressBook.UNKNOWN, AddressBook.DEFAULTS)
    # The status that taught it travels along (the doctor reports it).
    assert adapter.limitations == (
        ADDRESS_BOOK_DEFAULTS_ONLY.model_copy(update={"status": status}),
    )
    # Known missing: not asked again.
    await adapter.list_addresses(CID)
    assert len(recorded.sent("GET", f"/v1/customers/{CID}/addresses")) == 1


async def test_an_accepted_customer_update_stays_a_success(
    chec: tuple[Recorded, ChecAdapter],
) -> None:
    recorded, adapter = chec
    recorded.on("PUT", f"/v1/customers/{CID}", 200, {**CUSTOMER, "firstname": "Les"})
    recorded.on("GET", f"/v1/customers/{CID}/addresses", 404, NOT_FOUND)
    updated = await adapter.update_customer(CID, CustomerPatch(first_name="Les"))
    assert updated.first_name == "Les"
    assert [a.id for a in updated.addresses] == [HOME["id"]]
    (put,) = recorded.sent("PUT", f"/v1/customers/{CID}")
    assert json.loads(put.content) == {"firstname": "Les"}


async def test_a_failing_read_after_an_update_does_not_undo_the_success(
    chec: tuple[Recorded, ChecAdapter],
) -> None:
    recorded, adapter = chec
    recorded.on("PUT", f"/v1/customers/{CID}", 200, {"success": True})  # not a customer
    recorded.on("GET", f"/v1/customers/{CID}/addresses", 500, {"error": {"type": "x"}})
    updated = await adapter.update_customer(CID, CustomerPatch(last_name="Law"))
    assert updated.last_name == "Lawless"  # the re-read customer: what the store holds
    assert [a.id for a in updated.addresses] == [HOME["id"]]


# --- address create: its answer is undocumented -------------------------------------------

OFFICE = {**HOME, "id": "addr_0egY5ePVYo3QnA", "street": "Ring 1", "town_city": "Bonn"}
DRAFT = AddressDraft(
    first_name="Leslie",
    last_name="Lawless",
    address_1="Ring 1",
    city="Bonn",
    postal_code="94103",
    province="CA",
    country_code="us",
    is_default_shipping=True,
)


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(OFFICE, id="the-address"),
        pytest.param({"data": OFFICE}, id="the-address-in-data"),
        pytest.param({**CUSTOMER, "default_shipping": OFFICE}, id="the-customer"),
    ],
)
async def test_address_create_finds_the_address_whatever_the_answer(
    chec: tuple[Recorded, ChecAdapter], answer: dict[str, Any]
) -> None:
    recorded, adapter = chec
    recorded.on("POST", f"/v1/customers/{CID}/addresses", 201, answer)
    recorded.on("GET", f"/v1/customers/{CID}", 200, {**CUSTOMER, "default_shipping": OFFICE})
    recorded.on("GET", f"/v1/customers/{CID}/addresses", 405, None)
    created = await adapter.create_address(CID, DRAFT)
    assert created.id == OFFICE["id"]
    assert (created.address_1, created.city) == ("Ring 1", "Bonn")
    assert created.is_default_shipping
    assert not created.is_default_billing
    (post,) = recorded.sent("POST", f"/v1/customers/{CID}/addresses")
    assert json.loads(post.content)["street"] == "Ring 1"


async def test_address_create_without_a_readable_answer_is_still_a_success(
    chec: tuple[Recorded, ChecAdapter],
) -> None:
    recorded, adapter = chec
    recorded.on("POST", f"/v1/customers/{CID}/addresses", 201, {"success": True})
    recorded.on("GET", f"/v1/customers/{CID}/addresses", 404, NOT_FOUND)
    created = await adapter.create_address(CID, DRAFT.model_copy(update={"city": "Köln"}))
    # Not a default, so no read shows it: the address as sent, with a stand-in id.
    assert created.id.startswith("unlisted-")
    assert (created.address_1, created.city, created.customer_id) == ("Ring 1", "Köln", CID)


async def test_address_edit_without_a_route_says_so_and_changes_nothing(
    chec: tuple[Recorded, ChecAdapter],
) -> None:
    recorded, adapter = chec
    recorded.on("GET", f"/v1/customers/{CID}/addresses", 405, None)
    await adapter.get_customer(CID)
    with pytest.raises(UnsupportedOperationError):
        await adapter.update_address(CID, HOME["id"], AddressPatch(city="Oakland"))
    with pytest.raises(UnsupportedOperationError):
        await adapter.delete_address(CID, HOME["id"])


async def test_an_accepted_address_edit_stays_a_success_when_the_reread_fails(
    chec: tuple[Recorded, ChecAdapter],
) -> None:
    recorded, adapter = chec
    book = {"data": [HOME], "meta": {**PAGINATION, "pagination": {"total_pages": 1, "total": 1}}}
    recorded.on("GET", f"/v1/customers/{CID}/addresses", 200, book)
    recorded.on("PUT", f"/v1/customers/{CID}/addresses/{HOME['id']}", 200, {})
    calls = 0

    def flaky(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls > 1:  # the read after the accepted write
            return httpx.Response(503, json={"error": {"type": "unavailable"}})
        return httpx.Response(200, json=CUSTOMER)

    recorded.routes[("GET", f"/v1/customers/{CID}")] = flaky
    edited = await adapter.update_address(CID, HOME["id"], AddressPatch(city="Oakland"))
    assert (edited.id, edited.city, edited.address_1) == (HOME["id"], "Oakland", "123 Fake St")


def _customer(n: int) -> dict[str, Any]:
    return {**CUSTOMER, "id": f"cstmr_{n:04d}", "email": f"c{n}@example.com"}


@pytest.mark.parametrize("beside_data", [True, False], ids=["sdk-type", "under-meta"])
async def test_list_pages_read_either_pagination_envelope(
    chec: tuple[Recorded, ChecAdapter], beside_data: bool
) -> None:
    """The SDK's type puts `pagination` beside `data` [S]; `meta.pagination` is [I]."""
    recorded, adapter = chec

    def page(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        limit = int(request.url.params["limit"])
        rows = [_customer(n) for n in range(5)][(number - 1) * limit : number * limit]
        pagination = {
            "total": 5,
            "count": len(rows),
            "per_page": limit,
            "current_page": number,
            "total_pages": 3,
            "links": [],
        }
        envelope = (
            {"pagination": pagination} if beside_data else {"meta": {"pagination": pagination}}
        )
        return httpx.Response(200, json={"data": rows, **envelope})

    recorded.routes[("GET", "/v1/customers")] = page
    first = await adapter.list_customers(CustomerQuery(page_size=2))
    rest = await adapter.list_customers(CustomerQuery(page_size=3), first.next_token)
    assert first.total == 5
    assert [c.id for c in (*first.items, *rest.items)] == [f"cstmr_{n:04d}" for n in range(5)]
