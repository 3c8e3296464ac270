"""Addresses (default flags, Medusa's 200-{} quirk) and customer groups."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.unit.demostore.helpers import create_customer, list_ids

FLAGS = {"fields": "+is_default_shipping,+is_default_billing"}


async def _addresses(admin: httpx.AsyncClient, customer_id: str) -> dict[str, dict[str, Any]]:
    body = (await admin.get(f"/admin/customers/{customer_id}/addresses", params=FLAGS)).json()
    return {a["address_name"]: a for a in body["addresses"]}


@pytest.mark.asyncio
async def test_default_flags_move_between_addresses(admin: httpx.AsyncClient) -> None:
    customer = await create_customer(admin, email="addr@example.com")
    base = f"/admin/customers/{customer['id']}/addresses"
    first = await admin.post(
        base, json={"address_name": "Home", "is_default_shipping": True, "city": "Köln"}
    )
    assert set(first.json()) == {"customer"}  # the answer is the customer, not the address
    with_addresses = await admin.post(
        base,
        params={"fields": "*addresses"},
        json={
            "address_name": "Work",
            "is_default_shipping": True,
            "is_default_billing": True,
            "country_code": "US",
        },
    )
    assert len(with_addresses.json()["customer"]["addresses"]) == 2
    rows = await _addresses(admin, customer["id"])
    assert (rows["Home"]["is_default_shipping"], rows["Work"]["is_default_shipping"]) == (
        False,
        True,
    )
    assert rows["Work"]["country_code"] == "US"  # not normalised, like Medusa
    plain = (await admin.get(base)).json()["addresses"][0]
    assert "is_default_shipping" not in plain  # not among the default fields

    home = rows["Home"]["id"]
    await admin.post(
        f"{base}/{home}", json={"is_default_billing": True, "metadata": {"door": "red"}}
    )
    await admin.post(f"{base}/{home}", json={"metadata": {"bell": 2}})
    rows = await _addresses(admin, customer["id"])
    assert (rows["Home"]["is_default_billing"], rows["Work"]["is_default_billing"]) == (True, False)
    assert rows["Home"]["metadata"] == {"bell": 2, "door": "red"}


@pytest.mark.asyncio
async def test_address_quirks_and_delete(admin: httpx.AsyncClient) -> None:
    customer = await create_customer(admin, email="q@example.com")
    base = f"/admin/customers/{customer['id']}/addresses"
    unknown = await admin.get(f"{base}/cuaddr_nope")
    assert (unknown.status_code, unknown.json()) == (200, {})
    noop = await admin.post(f"{base}/cuaddr_nope", params={"fields": "id"}, json={"city": "X"})
    assert noop.json() == {"customer": {"id": customer["id"]}}
    missing = await admin.post("/admin/customers/cus_nope/addresses", json={"city": "X"})
    assert (missing.status_code, missing.json()["message"]) == (
        404,
        "You tried to set relationship customer_id: cus_nope, but such entity does not exist",
    )
    bad = await admin.post(base, json={"is_default_billing": None})
    assert bad.json()["message"] == (
        "Invalid request: Expected type: 'boolean' for field 'is_default_billing', got: 'null'"
    )
    created = await admin.post(base, params={"fields": "id,addresses.id"}, json={"city": "X"})
    address_id = created.json()["customer"]["addresses"][0]["id"]
    assert address_id.startswith("cuaddr_")
    for _ in range(2):
        deleted = (
            await admin.delete(f"{base}/{address_id}", params={"fields": "id,*addresses"})
        ).json()
        assert deleted == {
            "id": address_id,
            "object": "customer_address",
            "deleted": True,
            "parent": {"id": customer["id"], "addresses": []},
        }


@pytest.mark.asyncio
async def test_groups_membership_and_filters(admin: httpx.AsyncClient) -> None:
    a = await create_customer(admin, email="ga@example.com")
    b = await create_customer(admin, email="gb@example.com")
    created = (
        await admin.post("/admin/customer-groups", json={"name": "VIP", "metadata": {"k": 1}})
    ).json()
    group_id = created["customer_group"]["id"]
    assert group_id.startswith("cusgroup_")
    duplicate = await admin.post("/admin/customer-groups", json={"name": "VIP"})
    assert duplicate.json() == {
        "type": "invalid_data",
        "message": "Customer group with name: VIP, already exists.",
    }

    await admin.post(
        f"/admin/customer-groups/{group_id}/customers", json={"add": [a["id"], a["id"]]}
    )
    linked = await admin.post(
        f"/admin/customers/{b['id']}/customer-groups",
        params={"fields": "id,groups.name"},
        json={"add": [group_id]},
    )
    assert linked.json() == {"customer": {"id": b["id"], "groups": [{"name": "VIP"}]}}
    for params in (
        {"groups": group_id},
        {"groups[]": group_id},
        {"groups[id]": group_id},
        {"groups[name]": "VIP"},
    ):
        assert await list_ids(admin, **params) == [a["id"], b["id"]]
    members = await admin.get(
        "/admin/customer-groups", params={"fields": "id,name,customers.email"}
    )
    assert members.json()["customer_groups"][0]["customers"] == [
        {"email": "ga@example.com", "id": a["id"]},
        {"email": "gb@example.com", "id": b["id"]},
    ]
    missing = await admin.post(
        f"/admin/customer-groups/{group_id}/customers", json={"add": ["cus_nope"]}
    )
    assert missing.status_code == 404

    await admin.post(f"/admin/customer-groups/{group_id}/customers", json={"remove": [a["id"]]})
    assert await list_ids(admin, groups=group_id) == [b["id"]]
    assert (await admin.get("/admin/customer-groups/cusgroup_nope")).json() == {
        "type": "not_found",
        "message": "Customer group with id: cusgroup_nope not found",
    }
    renamed = await admin.post(
        f"/admin/customer-groups/{group_id}", json={"name": "Gold", "metadata": {"k": ""}}
    )
    assert (
        renamed.json()["customer_group"]["name"],
        renamed.json()["customer_group"]["metadata"],
    ) == ("Gold", {})
    assert (await admin.delete(f"/admin/customer-groups/{group_id}")).json()["deleted"] is True
    assert await list_ids(admin, groups=group_id) == []
    recreated = await admin.post("/admin/customer-groups", json={"name": "Gold"})
    assert recreated.status_code == 200  # the name of a deleted group is free again
