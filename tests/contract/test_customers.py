"""Customers: search, filters, sort, patch semantics, delete, changed-since."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from app.domain.capabilities import Capability
from app.domain.customer import Customer, CustomerDraft
from app.domain.errors import NotFoundError, ValidationFailedError
from app.domain.patch import CustomerPatch, MetadataPatch
from app.domain.query import CustomerQuery, DateRange, Sort, SortField
from tests.contract.conftest import Target, need

pytestmark = pytest.mark.asyncio


async def ids_for(target: Target, query: CustomerQuery) -> list[str]:
    out: list[str] = []
    token: str | None = None
    while True:
        page = await target.backend.list_customers(query, token)
        out.extend(c.id for c in page.items)
        if page.next_token is None:
            return out
        token = page.next_token


async def seed_people(target: Target) -> dict[str, Customer]:
    """Four customers from several scripts; phone and company only where the backend has them."""
    t = target.tag
    caps = target.backend.capabilities
    phone = Capability.PHONE in caps
    company = Capability.COMPANY in caps
    rows = {
        "zoe": ("zoe+vip", "Zoë", "Müller", "+49 30 5550101", f"Café Ünal GmbH {t}"),
        "dmitri": ("dmitri", "Дмитрий", "Иванов", "+7 495 5550202", f"Ромашка {t}"),
        "hana": ("hana", "花子", "山田", "+81 3 5550303", f"{t} 株式会社"),
        "anna": ("anna", "Anna", "Koch", "+49 40 5550404", None),
    }
    out = {}
    for key, (local, first, last, tel, firm) in rows.items():
        draft = CustomerDraft(
            email=target.email(local),
            first_name=first,
            last_name=last,
            phone=tel if phone else None,
            company=firm if company else None,
        )
        out[key] = await target.backend.create_customer(draft)
    return out


async def search(target: Target, text: str) -> set[str]:
    return set(await ids_for(target, CustomerQuery(text=text)))


async def test_create_and_get_round_trip(target: Target) -> None:
    people = await seed_people(target)
    zoe = await target.backend.get_customer(people["zoe"].id)
    assert zoe.email == target.email("zoe+vip")
    assert (zoe.first_name, zoe.last_name) == ("Zoë", "Müller")
    if Capability.PHONE in target.backend.capabilities:
        assert zoe.phone == "+49 30 5550101"
    if Capability.COMPANY in target.backend.capabilities:
        assert zoe.company == f"Café Ünal GmbH {target.tag}"
    assert zoe.has_account is False
    assert zoe.created_at.tzinfo is not None
    assert zoe.addresses == ()


async def test_search_by_names_email_and_scripts(target: Target) -> None:
    need(target, Capability.CUSTOMER_SEARCH)
    p = await seed_people(target)
    t = target.tag
    assert await search(target, t) == {c.id for c in p.values()}  # the tag is in every email
    assert await search(target, f"{t} MÜLLER") == {p["zoe"].id}  # case-insensitive, non-ASCII
    assert await search(target, f"{t}.zoe+vip") == {p["zoe"].id}  # '+' in the email
    assert await search(target, f"{t} Дмитрий") == {p["dmitri"].id}  # Cyrillic
    assert await search(target, f"{t} 山田") == {p["hana"].id}  # CJK
    assert await search(target, f"Zoë Müller {t}") == {p["zoe"].id}  # full name
    assert await search(target, f"{t} Anna Koch") == {p["anna"].id}
    assert await search(target, f"{t} nobody-like-this") == set()


async def test_search_by_phone_digits_and_company(target: Target) -> None:
    need(target, Capability.SEARCH_BY_PHONE)
    need(target, Capability.SEARCH_BY_COMPANY)
    p = await seed_people(target)
    t = target.tag
    assert await search(target, f"{t} 5550202") == {p["dmitri"].id}  # phone digits
    assert await search(target, f"café {t}") == {p["zoe"].id}  # company


async def test_filter_has_account(target: Target) -> None:
    need(target, Capability.FILTER_HAS_ACCOUNT)
    p = await seed_people(target)
    t = target.tag
    registered = await target.harness.register_customer(target.email("reg"), "Reg", f"Istered {t}")
    with_account = await ids_for(target, CustomerQuery(text=t, has_account=True))
    without = await ids_for(target, CustomerQuery(text=t, has_account=False))
    assert with_account == [registered]
    assert set(without) == {c.id for c in p.values()}


async def test_filter_group(target: Target) -> None:
    need(target, Capability.FILTER_GROUP)
    p = await seed_people(target)
    group_id = await target.harness.create_group(f"VIP {target.tag}")
    await target.backend.change_group_membership(p["anna"].id, frozenset({group_id}), frozenset())
    in_group = await ids_for(
        target, CustomerQuery(text=target.tag, group_ids=frozenset({group_id}))
    )
    assert in_group == [p["anna"].id]


async def test_filter_email(target: Target) -> None:
    need(target, Capability.FILTER_EMAIL)
    p = await seed_people(target)
    by_email = await ids_for(target, CustomerQuery(email=target.email("hana")))
    assert by_email == [p["hana"].id]


async def test_filter_created_range(target: Target) -> None:
    need(target, Capability.FILTER_CREATED)
    p = await seed_people(target)
    t = target.tag
    first = min(c.created_at for c in p.values())
    last = max(c.created_at for c in p.values())
    span = DateRange(start=first, end=last + timedelta(milliseconds=1))
    assert set(await ids_for(target, CustomerQuery(text=t, created=span))) == {
        c.id for c in p.values()
    }
    assert await ids_for(target, CustomerQuery(text=t, created=DateRange(end=first))) == []


async def test_filter_updated_range(target: Target) -> None:
    need(target, Capability.FILTER_UPDATED)
    p = await seed_people(target)
    await asyncio.sleep(0.01)  # updated_at has millisecond resolution
    touched = await target.backend.update_customer(p["hana"].id, CustomerPatch(last_name="Yamada"))
    updated = await ids_for(
        target, CustomerQuery(text=target.tag, updated=DateRange(start=touched.updated_at))
    )
    assert updated == [p["hana"].id]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("field", [SortField.EMAIL, SortField.LAST_NAME, SortField.ID])
async def test_sort(target: Target, field: SortField, descending: bool) -> None:
    need(target, Capability.SORT)
    if field not in target.backend.sort_fields:
        pytest.skip(f"{target.name} cannot sort by {field.value}")
    t = target.tag
    for local, last in (
        ("carla", "Berg"),
        ("alma", "Zeller"),
        ("bert", "Adler"),
        ("dora", "Meier"),
    ):
        await target.backend.create_customer(
            CustomerDraft(email=target.email(local), first_name=local.title(), last_name=last)
        )
    query = CustomerQuery(text=t, sort=Sort(field=field, descending=descending), page_size=3)
    page1 = await target.backend.list_customers(query)
    assert page1.total == 4
    assert page1.next_token is not None
    page2 = await target.backend.list_customers(query, page1.next_token)
    rows = [*page1.items, *page2.items]
    keys = [getattr(c, field.value) for c in rows]
    assert keys == sorted(keys, reverse=descending)
    assert len({c.id for c in rows}) == 4


async def test_patch_semantics(target: Target) -> None:
    need(target, Capability.METADATA)
    need(target, Capability.PHONE)
    p = await seed_people(target)
    zoe = p["zoe"]
    await target.backend.update_customer(
        zoe.id, CustomerPatch(metadata=MetadataPatch(set={"tier": "gold", "note": "likes tea"}))
    )
    after = await target.backend.update_customer(
        zoe.id,
        CustomerPatch(
            first_name="Zoé",
            phone=None,
            metadata=MetadataPatch(
                set={"tier": "platinum", "visits": 3}, remove=frozenset({"note"})
            ),
        ),
    )
    assert after.first_name == "Zoé"
    assert after.phone is None  # cleared
    assert after.last_name == "Müller"  # unchanged
    assert after.email == zoe.email
    assert after.company == zoe.company
    assert after.metadata == {"tier": "platinum", "visits": 3}
    assert after.updated_at >= zoe.updated_at
    again = await target.backend.get_customer(zoe.id)
    assert again.metadata == after.metadata
    assert again.phone is None


async def test_empty_patch_changes_nothing(target: Target) -> None:
    p = await seed_people(target)
    same = await target.backend.update_customer(p["anna"].id, CustomerPatch())
    assert same.updated_at == p["anna"].updated_at


async def test_duplicate_email_is_a_field_error(target: Target) -> None:
    p = await seed_people(target)
    with pytest.raises(ValidationFailedError) as create_info:
        await target.backend.create_customer(
            CustomerDraft(email=p["anna"].email, first_name="Twin")
        )
    assert create_info.value.for_field("email")
    with pytest.raises(ValidationFailedError) as update_info:
        await target.backend.update_customer(p["zoe"].id, CustomerPatch(email=p["anna"].email))
    assert update_info.value.for_field("email")
    assert "already" in update_info.value.user_message


async def test_invalid_email_from_backend_is_a_field_error(target: Target) -> None:
    p = await seed_people(target)
    with pytest.raises(ValidationFailedError) as info:
        await target.backend.update_customer(p["anna"].id, CustomerPatch(email="not-an-email"))
    assert info.value.for_field("email")


async def test_delete(target: Target) -> None:
    need(target, Capability.CUSTOMER_DELETE)
    p = await seed_people(target)
    await target.backend.delete_customer(p["anna"].id)
    with pytest.raises(NotFoundError):
        await target.backend.get_customer(p["anna"].id)
    with pytest.raises(NotFoundError):
        await target.backend.delete_customer(p["anna"].id)
    assert p["anna"].id not in await search(target, target.tag)
    # The email is free again after a (soft) delete.
    again = await target.backend.create_customer(CustomerDraft(email=p["anna"].email))
    assert again.id != p["anna"].id


async def test_changed_since(target: Target) -> None:
    need(target, Capability.CHANGED_SINCE)
    p = await seed_people(target)
    await asyncio.sleep(0.01)
    changed = await target.backend.update_customer(p["dmitri"].id, CustomerPatch(first_name="Dima"))
    seen: list[Customer] = []
    token: str | None = None
    while True:
        page = await target.backend.list_changed_since(changed.updated_at, token, page_size=50)
        seen.extend(page.items)
        token = page.next_token
        if token is None:
            break
    ours = [c for c in seen if c.id in {x.id for x in p.values()}]
    assert [c.id for c in ours] == [p["dmitri"].id]
    assert ours[0].first_name == "Dima"
