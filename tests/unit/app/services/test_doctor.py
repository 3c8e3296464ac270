"""The store doctor: outcomes per feature, never a write, findings kept per store profile."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr

from app.backends.medusa import MedusaAdapter, MedusaCredentials
from app.domain.capabilities import Capability
from app.domain.errors import UnsupportedOperationError
from app.domain.query import RECORD_SORTS, CustomerQuery, Sort, SortField
from app.gateway import ApiTransport, GatewayOptions
from app.gateway.observe import observing
from app.services.context import Services, StoreContext, store_identity
from app.services.customers import CustomerService
from app.services.doctor import (
    DoctorService,
    Outcome,
    ReadOnlyGuard,
    WriteAttemptError,
    probe_backend,
)
from app.services.profiles import DEMO_PROFILES, BackendKind, StoreProfile
from app.services.restrictions import NONE, Restrictions, RestrictionStore
from demostore.core import FaultSettings, open_demo
from demostore.core.store import DemoStore
from demostore.medusa import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, create_demo_app
from tests.readonly_transport import ReadOnlyTransport

URL = "http://shop.test"
SIGN_IN = frozenset({("POST", "/auth/user/emailpass")})


class QuirkyShop(httpx.AsyncBaseTransport):
    """A Medusa-dialect shop that refuses `order=phone` and ignores `has_account` and `q`."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        if params.get("order") in ("phone", "-phone"):
            return httpx.Response(400, json={"type": "invalid_data", "message": "bad order"})
        for ignored in ("has_account", "q"):
            if ignored in request.url.params:
                request.url = request.url.copy_remove_param(ignored)
        return await self.inner.handle_async_request(request)


@pytest_asyncio.fixture
async def demo_store(tmp_path: Path) -> AsyncIterator[DemoStore]:
    store = await open_demo(str(tmp_path / "doctor-demo.sqlite3"), customers=60)
    try:
        yield store
    finally:
        await store.aclose()


def _adapter(
    store: DemoStore, *, quirky: bool = False, password: str = DEMO_ADMIN_PASSWORD
) -> tuple[MedusaAdapter, ReadOnlyTransport]:
    inner: httpx.AsyncBaseTransport = httpx.ASGITransport(
        app=create_demo_app(store, FaultSettings())
    )
    if quirky:
        inner = QuirkyShop(inner)
    wire = ReadOnlyTransport(inner, SIGN_IN)
    creds = MedusaCredentials(email=DEMO_ADMIN_EMAIL, password=SecretStr(password))
    return MedusaAdapter(URL, creds, GatewayOptions(transport=wire)), wire


@pytest.mark.asyncio
async def test_every_declared_read_works_on_an_honest_shop(demo_store: DemoStore) -> None:
    backend, wire = _adapter(demo_store)
    try:
        report = await probe_backend(backend, store="demo")
    finally:
        await backend.aclose()
    assert report.healthy
    assert not report.restrictions
    features = ("sign-in", "list", "customer", "addresses", "orders", "order", "order-directory")
    for feature in (*features, "groups"):
        assert report.result(feature).outcome is Outcome.WORKS, feature
        assert report.result(feature).status == 200
    # Each sort field in both directions, exactly what the adapter would send.
    sorts = {r.feature for r in report.results if r.sort is not None}
    assert sorts == {f"sort:{d}{f.value}" for f in RECORD_SORTS for d in ("", "-")}
    # Writes are listed, never exercised; the wire saw GETs and the sign-in only.
    assert report.result("customer_delete").outcome is Outcome.NOT_PROBED
    assert {m for m, _ in wire.seen} == {"GET", "POST"}
    assert [p for m, p in wire.seen if m == "POST"] == ["/auth/user/emailpass"]
    assert [(e.method, e.path) for e in report.exchanges] == wire.seen


@pytest.mark.asyncio
async def test_a_refused_sort_and_an_ignored_filter_are_reported(demo_store: DemoStore) -> None:
    backend, _ = _adapter(demo_store, quirky=True)
    try:
        report = await probe_backend(backend)
    finally:
        await backend.aclose()
    assert not report.healthy
    for feature in ("sort:phone", "sort:-phone"):
        assert report.result(feature).outcome is Outcome.REFUSED
        assert report.result(feature).status == 400
    ignored = report.result("filter-has-account")
    assert ignored.outcome is Outcome.DEGRADED
    assert ignored.status == 200
    assert "let other customers through" in ignored.detail
    assert report.result("sort:email").outcome is Outcome.WORKS
    for feature in ("search", "search-phone", "search-company"):
        assert report.result(feature).outcome is Outcome.DEGRADED, feature
        assert "the search was ignored" in report.result(feature).detail
    ignoring = (
        Capability.FILTER_HAS_ACCOUNT
        | Capability.CUSTOMER_SEARCH
        | Capability.SEARCH_BY_PHONE
        | Capability.SEARCH_BY_COMPANY
    )
    assert report.restrictions == Restrictions(ignoring, frozenset({SortField.PHONE}))


@pytest.mark.asyncio
async def test_a_refused_sign_in_stops_the_check(demo_store: DemoStore) -> None:
    backend, _ = _adapter(demo_store, password="wrong")
    try:
        report = await probe_backend(backend)
    finally:
        await backend.aclose()
    assert [(r.feature, r.outcome, r.status) for r in report.results] == [
        ("sign-in", Outcome.REFUSED, 401)
    ]
    assert not report.healthy


@pytest.mark.asyncio
async def test_the_guard_stops_a_write_before_it_is_sent() -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(f"{request.method} {request.url.path}")
        return httpx.Response(200, json={"token": "t"})

    http = ApiTransport(
        URL, backend="medusa", options=GatewayOptions(transport=httpx.MockTransport(handler))
    )
    guard = ReadOnlyGuard(SIGN_IN)
    try:
        with observing(guard):
            await http.request("POST", "/auth/user/emailpass", json={})
            await http.request("GET", "/admin/customers")
            with pytest.raises(WriteAttemptError):
                await http.request("POST", "/admin/customers", json={"email": "x@example.com"})
            with pytest.raises(WriteAttemptError):
                await http.request("DELETE", "/admin/customers/cus_1")
        await http.request("DELETE", "/admin/customers/cus_2")  # outside the check: not watched
    finally:
        await http.aclose()
    assert sent == [
        "POST /auth/user/emailpass",
        "GET /admin/customers",
        "DELETE /admin/customers/cus_2",
    ]
    assert [(e.method, e.status) for e in guard.exchanges] == [("POST", 200), ("GET", 200)]


@pytest.mark.asyncio
async def test_findings_are_kept_per_store_and_cleared_when_the_shop_is_fixed(
    demo_store: DemoStore,
) -> None:
    services = Services.create()
    profile = DEMO_PROFILES["demo"]
    backend, _ = _adapter(demo_store, quirky=True)
    context = StoreContext(profile, CustomerService(backend), backend)
    try:
        await DoctorService(services).check(context)
    finally:
        await backend.aclose()
    # The open store adopts the findings at once…
    assert SortField.PHONE not in context.customers.sort_fields
    assert Capability.FILTER_HAS_ACCOUNT not in context.customers.capabilities
    assert Capability.FILTER_GROUP in context.customers.capabilities
    # …and a store opened later starts with them.
    reopened = await services.open_store("demo", policy=None, demo_customers=60)
    try:
        assert SortField.PHONE not in reopened.customers.sort_fields
        assert Capability.FILTER_HAS_ACCOUNT not in reopened.customers.capabilities
        # The shop answers everything again: the next check gives the features back.
        report = await DoctorService(services).check(reopened)
        assert report.healthy
        assert SortField.PHONE in reopened.customers.sort_fields
    finally:
        await reopened.aclose()
    assert services.restrictions.get("demo", store_identity(profile)) is NONE


def test_findings_do_not_follow_a_profile_pointed_at_another_shop(tmp_path: Path) -> None:
    kept = RestrictionStore(tmp_path / "capabilities.json")
    before = StoreProfile(name="shop", backend=BackendKind.MEDUSA, url="https://a.example")
    after = before.model_copy(update={"url": "https://b.example"})
    found = Restrictions(Capability.ORDERS, frozenset({SortField.EMAIL}))
    kept.save("shop", store_identity(before), found)
    assert kept.get("shop", store_identity(before)) == found
    assert kept.get("shop", store_identity(after)) is NONE
    kept.forget("shop")
    assert kept.get("shop", store_identity(before)) is NONE


def test_removing_a_store_forgets_its_findings() -> None:
    services = Services.create()
    profile = StoreProfile(
        name="shop", backend=BackendKind.MEDUSA, url="https://a.example", email="a@example.com"
    )
    services.profiles.save(profile)
    found = Restrictions(Capability.ORDERS)
    services.restrictions.save("shop", store_identity(profile), found)
    assert services.restrictions.get("shop", store_identity(profile)) == found
    services.forget_store("shop")
    assert services.restrictions.get("shop", store_identity(profile)) is NONE


def test_a_damaged_findings_file_means_nothing_known(tmp_path: Path) -> None:
    path = tmp_path / "capabilities.json"
    path.write_text("{not json", encoding="utf-8")
    kept = RestrictionStore(path)
    profile = StoreProfile(name="shop", backend=BackendKind.MEDUSA, url="https://a.example")
    assert kept.get("shop", store_identity(profile)) is NONE
    kept.save("shop", store_identity(profile), Restrictions(Capability.GROUPS))
    assert kept.get("shop", store_identity(profile)) == Restrictions(Capability.GROUPS)


@pytest.mark.asyncio
async def test_a_query_the_shop_would_ignore_is_refused_with_a_reason(
    demo_store: DemoStore,
) -> None:
    backend, _ = _adapter(demo_store)
    found = Restrictions(Capability.FILTER_HAS_ACCOUNT, frozenset({SortField.PHONE}))
    service = CustomerService(backend, None, found)
    try:
        with pytest.raises(UnsupportedOperationError, match="filter has account"):
            await service.search(CustomerQuery(has_account=True))
        with pytest.raises(UnsupportedOperationError, match="sort by phone"):
            await service.search(CustomerQuery(sort=Sort(field=SortField.PHONE)))
        page = await service.search(CustomerQuery(sort=Sort(field=SortField.EMAIL)))
        assert page.items
    finally:
        await backend.aclose()
