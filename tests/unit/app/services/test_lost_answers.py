"""A create whose answer is lost (issue 13 point 9): look in the store before any retry.

The store below acts on the POST and then drops the connection. Before the fix the desk
said "could not be reached", and trying again created a second address or customer.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from app.backends.medusa import MedusaAdapter, MedusaCredentials
from app.domain.customer import AddressDraft, CustomerDraft
from app.domain.errors import ConnectionFailedError, OutcomeUnknownError
from app.gateway import GatewayOptions
from app.services.customers import CustomerService

pytestmark = pytest.mark.asyncio
T = "2026-01-01T00:00:00Z"


class Store:
    """Medusa-shaped, in memory; `apply` says whether a POST acts before the line drops."""

    def __init__(self, *, apply: bool) -> None:
        self.apply = apply
        self.posts = 0
        self.addresses: list[dict[str, Any]] = []
        self.customers: list[dict[str, Any]] = []

    def customer(self) -> dict[str, Any]:
        return {"id": "cus_1", "created_at": T, "updated_at": T, "addresses": self.addresses}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "POST":
            self.posts += 1
            if self.apply and path.endswith("/addresses"):
                self.addresses.append({"id": f"caddr_{self.posts}", "address_1": "Weg 5"})
            elif self.apply:
                body = {"id": "cus_9", "email": "new@example.com", "first_name": "Neu"}
                self.customers.append(body | {"created_at": T, "updated_at": T})
            raise httpx.RemoteProtocolError("peer closed connection", request=request)
        if path.endswith("/addresses"):
            return httpx.Response(200, json={"addresses": self.addresses, "count": 1})
        if path == "/admin/customers":
            rows = [c for c in self.customers if c["email"] == request.url.params.get("email")]
            return httpx.Response(200, json={"customers": rows, "count": len(rows)})
        if path == "/admin/customers/cus_9":
            return httpx.Response(200, json={"customer": self.customers[0]})
        return httpx.Response(200, json={"customer": self.customer()})


def service(store: Store) -> tuple[CustomerService, MedusaAdapter]:
    options = GatewayOptions(transport=httpx.MockTransport(store))
    adapter = MedusaAdapter("http://s.test", MedusaCredentials(api_key=SecretStr("k")), options)
    return CustomerService(adapter), adapter


async def test_an_address_the_store_made_is_found_not_made_again() -> None:
    store = Store(apply=True)
    customers, adapter = service(store)
    try:
        address = await customers.add_address("cus_1", AddressDraft(address_1="Weg 5"))
    finally:
        await adapter.aclose()
    assert address.id == "caddr_1"
    assert store.posts == 1
    assert len(store.addresses) == 1


async def test_an_address_the_store_did_not_make_is_a_plain_failure() -> None:
    store = Store(apply=False)
    customers, adapter = service(store)
    try:
        with pytest.raises(ConnectionFailedError) as caught:
            await customers.add_address("cus_1", AddressDraft(address_1="Weg 5"))
    finally:
        await adapter.aclose()
    assert not isinstance(caught.value, OutcomeUnknownError)
    assert "did not save it" in caught.value.user_message
    assert store.posts == 1


async def test_a_customer_the_store_made_is_found_by_email() -> None:
    store = Store(apply=True)
    customers, adapter = service(store)
    try:
        made = await customers.create(CustomerDraft(email="new@example.com", first_name="Neu"))
    finally:
        await adapter.aclose()
    assert made.id == "cus_9"
    assert store.posts == 1
