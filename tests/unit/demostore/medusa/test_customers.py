"""Customer list/search/filter/paging and write semantics, as Medusa 2.21 behaves."""

from __future__ import annotations

import httpx
import pytest

from tests.unit.demostore.helpers import create_customer, list_ids


@pytest.mark.asyncio
async def test_search_tokens_each_match_some_field_case_insensitively(
    admin: httpx.AsyncClient,
) -> None:
    anna = await create_customer(
        admin, email="anna@example.com", first_name="Anna", last_name="Müller"
    )
    await create_customer(admin, email="bernd@example.com", first_name="Bernd", last_name="Müller")
    zoe = await create_customer(
        admin, email="z@example.com", first_name="Zoë", company_name="Ü GmbH"
    )

    assert await list_ids(admin, q="anna MÜLLER") == [anna["id"]]  # both tokens, any field
    assert len(await list_ids(admin, q="müller")) == 2
    assert await list_ids(admin, q="zoË ü") == [zoe["id"]]  # Unicode case folding
    assert await list_ids(admin, q="anna bernd") == []  # tokens are ANDed
    # ILIKE wildcards in a token work like in PostgreSQL; tokens never span two fields.
    assert await list_ids(admin, q="a_na") == [anna["id"]]
    assert await list_ids(admin, q="annamüller") == []


@pytest.mark.asyncio
async def test_search_lowers_per_character_like_postgres(admin: httpx.AsyncClient) -> None:
    nikos = await create_customer(admin, first_name="Νίκος")
    ibrahim = await create_customer(admin, first_name="İbrahim")
    # PostgreSQL lowers Σ to σ (never the final ς) and İ to a plain i.
    assert await list_ids(admin, q="ΝΊΚΟΣ") == []
    assert await list_ids(admin, q="νίκος") == [nikos["id"]]
    assert await list_ids(admin, q="ibrahim") == [ibrahim["id"]]
    assert await list_ids(admin, q="İBRAHİM") == [ibrahim["id"]]


@pytest.mark.asyncio
async def test_null_fields_never_match_a_wildcard(admin: httpx.AsyncClient) -> None:
    await create_customer(admin)  # every searchable field NULL
    named = await create_customer(admin, first_name="X")
    assert await list_ids(admin, q="%") == [named["id"]]


@pytest.mark.asyncio
async def test_filters(admin: httpx.AsyncClient) -> None:
    a = await create_customer(admin, email="a@example.com", first_name="Ann", company_name="ACME")
    b = await create_customer(admin, email="b@example.com", first_name="Ben")
    c = await create_customer(admin, email="c@example.com", first_name="Cid")
    assert await list_ids(admin, email="a@example.com") == [a["id"]]
    assert await list_ids(admin, **{"email[]": "a@example.com,c@example.com"}) == [a["id"], c["id"]]
    assert await list_ids(admin, email="a@example.com,c@example.com") == []  # one literal email
    assert await list_ids(admin, company_name="ACME") == [a["id"]]
    assert await list_ids(admin, has_account="false") == [a["id"], b["id"], c["id"]]
    assert await list_ids(admin, has_account="TRUE") == []
    assert await list_ids(admin, **{"id[$gt]": a["id"]}) == [b["id"], c["id"]]
    assert await list_ids(admin, **{"id[$lt]": c["id"], "id[$ne]": a["id"]}) == [b["id"]]
    assert await list_ids(admin, **{"$or[0][first_name]": "Ann", "$or[1][first_name]": "Cid"}) == [
        a["id"],
        c["id"],
    ]
    stamp = b["created_at"]  # millisecond precision: neighbours may share it
    everyone = (a, b, c)
    later = [x["id"] for x in everyone if x["created_at"] >= stamp]
    earlier = [x["id"] for x in everyone if x["created_at"] < stamp]
    assert b["id"] in later
    assert await list_ids(admin, **{"created_at[$gte]": stamp}) == later
    assert await list_ids(admin, **{"created_at[$lt]": stamp}) == earlier
    assert await list_ids(admin, **{"updated_at[$gte]": "2000-01-01"}) == [
        a["id"],
        b["id"],
        c["id"],
    ]


@pytest.mark.asyncio
async def test_bad_queries_answer_like_medusa(admin: httpx.AsyncClient) -> None:
    cases = {
        (("limit", "abc"),): (
            400,
            "Invalid request: Expected type: 'number' for field 'limit', got: 'abc'",
        ),
        (("bogus", "1"),): (400, "Invalid request: Unrecognized fields: 'bogus'"),
        (("has_account", "maybe"),): (400, "Invalid request: Invalid input"),
        (("first_name[$ilike]", "x"),): (
            400,
            "Invalid request: Expected type: 'string, array' for field 'first_name', "
            "got: '[object Object]'",
        ),
    }
    for params, (status, message) in cases.items():
        response = await admin.get("/admin/customers", params=list(params))
        assert (response.status_code, response.json()["message"]) == (status, message)
    unknown = {
        "code": "unknown_error",
        "type": "unknown_error",
        "message": "An unknown error occurred.",
    }
    for bad in (
        {"order": "bogus"},
        {"order": "created_at,id"},
        {"limit": "-1"},
        {"created_at[$gte]": "nope"},
    ):
        response = await admin.get("/admin/customers", params=bad)
        assert (response.status_code, response.json()) == (500, unknown)


@pytest.mark.asyncio
async def test_unknown_routes_answer_like_express(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    assert (await anon.get("/admin/bogus")).json() == {"message": "Unauthorized"}  # auth first
    for method, path in (("GET", "/admin/bogus"), ("PUT", "/admin/customers"), ("GET", "/nope")):
        response = await admin.request(method, path)
        assert response.status_code == 404
        assert f"<pre>Cannot {method} {path}</pre>" in response.text


@pytest.mark.asyncio
async def test_count_only_and_fields(admin: httpx.AsyncClient) -> None:
    for i in range(3):
        await create_customer(admin, email=f"f{i}@example.com")
    body = (await admin.get("/admin/customers", params={"limit": 0})).json()
    assert body == {"customers": [], "count": 3, "offset": 0, "limit": 0}
    first = (
        await admin.get("/admin/customers", params={"fields": "email,*groups", "limit": 1})
    ).json()
    assert list(first["customers"][0]) == ["email", "id", "groups"]
    plus = (
        await admin.get("/admin/customers", params={"fields": "+groups.name,-metadata", "limit": 1})
    ).json()
    assert "metadata" not in plus["customers"][0]
    assert plus["customers"][0]["groups"] == []
    assert (await admin.get("/admin/customers", params={"fields": "bogus"})).json()["customers"][
        0
    ] == {"id": first["customers"][0]["id"]}


@pytest.mark.asyncio
async def test_sorting_is_bytewise_with_postgres_null_placement(admin: httpx.AsyncClient) -> None:
    for name in ("alice", "Émile", None, "Alice", "zoë"):
        await create_customer(admin, first_name=name)

    async def names(order: str) -> list[str | None]:
        body = (
            await admin.get("/admin/customers", params={"order": order, "fields": "first_name"})
        ).json()
        return [c["first_name"] for c in body["customers"]]

    # C.UTF-8: code point order ("A" < "a" < "z" < "É"); NULLS LAST ascending, FIRST descending.
    assert await names("first_name") == ["Alice", "alice", "zoë", "Émile", None]
    assert await names("-first_name") == [None, "Émile", "zoë", "alice", "Alice"]


@pytest.mark.asyncio
async def test_id_order_keyset_paging_never_repeats_or_skips(admin: httpx.AsyncClient) -> None:
    created = [
        (await create_customer(admin, email=f"p{i:02d}@example.com"))["id"] for i in range(23)
    ]
    assert created == sorted(created)  # ids are monotonic: id order is creation order
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": 5, "order": "id", **({"id[$gt]": cursor} if cursor else {})}
        page = await list_ids(admin, **params)
        if not page:
            break
        if cursor is None:  # a customer added mid-way lands after the cursor, exactly once
            created.append((await create_customer(admin, email="late@example.com"))["id"])
        seen.extend(page)
        cursor = page[-1]
    assert seen == created


@pytest.mark.asyncio
async def test_metadata_merges_and_empty_string_removes(admin: httpx.AsyncClient) -> None:
    customer = await create_customer(
        admin, email="m@example.com", metadata={"zz": 1, "a": 2, "n": {"x": 1}}
    )
    assert list(customer["metadata"]) == ["a", "n", "zz"]  # jsonb key order
    url = f"/admin/customers/{customer['id']}"
    updated = (
        await admin.post(url, json={"metadata": {"a": "", "b": True, "n": {"y": 2}}})
    ).json()["customer"]
    assert updated["metadata"] == {"b": True, "n": {"y": 2}, "zz": 1}
    assert updated["updated_at"] >= customer["updated_at"]
    same = (await admin.post(url, json={"metadata": {}})).json()["customer"]
    assert same["updated_at"] == updated["updated_at"]  # nothing changed, nothing bumped
    cleared = (await admin.post(url, json={"metadata": None, "phone": None})).json()["customer"]
    assert cleared["metadata"] is None
    assert cleared["phone"] is None


@pytest.mark.asyncio
async def test_updated_at_moves_on_every_change(admin: httpx.AsyncClient) -> None:
    customer = await create_customer(admin, email="u@example.com")
    url = f"/admin/customers/{customer['id']}"
    stamps = [customer["updated_at"]]
    for name in ("A", "B"):
        stamps.append(
            (await admin.post(url, json={"first_name": name})).json()["customer"]["updated_at"]
        )
    assert stamps == sorted(stamps)
    assert stamps[-1].endswith("Z")
    assert len(stamps[-1]) == 24
    changed = await list_ids(admin, **{"updated_at[$gte]": stamps[-1]})
    assert changed == [customer["id"]]


@pytest.mark.asyncio
async def test_validation_and_duplicates(admin: httpx.AsyncClient) -> None:
    await create_customer(admin, email="dup@example.com")
    response = await admin.post("/admin/customers", json={"email": "dup@example.com"})
    assert (response.status_code, response.json()) == (
        400,
        {
            "type": "invalid_data",
            "message": "Customer with email: dup@example.com, has_account: false, already exists.",
        },
    )
    await create_customer(admin, email="DUP@example.com")  # uniqueness is case-sensitive
    response = await admin.post(
        "/admin/customers", json={"email": "x@y", "first_name": 5, "bogus": 1}
    )
    assert response.json()["message"] == (
        "Invalid request: Invalid email address; Expected type: 'string' for field 'first_name', "
        "got: '5'; Unrecognized fields: 'bogus'"
    )
    not_json = await admin.post(
        "/admin/customers", content=b"hi", headers={"content-type": "text/plain"}
    )
    assert not_json.json()["message"] == "Invalid request: Field '' is required"
    trailing = await admin.post(
        "/admin/customers", content=b'{"a":1}x', headers={"content-type": "application/json"}
    )
    assert (
        trailing.json()["message"] == "Unexpected non-whitespace character after JSON at position 7"
    )
    malformed = await admin.post(
        "/admin/customers", content=b"bogus", headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 400
    assert list(malformed.json()) == ["message", "type"]


@pytest.mark.asyncio
async def test_not_found_and_soft_delete(admin: httpx.AsyncClient) -> None:
    missing = await admin.get("/admin/customers/cus_nope")
    assert (missing.status_code, missing.json()) == (
        404,
        {"type": "not_found", "message": "Customer with id: cus_nope not found"},
    )
    update = await admin.post("/admin/customers/cus_nope", json={"first_name": "x"})
    assert update.json()["message"] == 'Customer with id "cus_nope" not found'
    customer = await create_customer(admin, email="gone@example.com")
    url = f"/admin/customers/{customer['id']}"
    for _ in range(2):  # a second delete answers the same 200
        deleted = await admin.delete(url)
        assert deleted.json() == {"id": customer["id"], "object": "customer", "deleted": True}
    assert (await admin.get(url)).status_code == 404
    assert await list_ids(admin, with_deleted="true") == []
    await create_customer(admin, email="gone@example.com")  # the email is free again
