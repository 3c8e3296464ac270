"""The store doctor against every target: a real Medusa 2.21 server and the three demo dialects.

Which features the doctor probes follows from what the adapter declares; on each target
every probed feature must work, and the wire (a transport that fails the test on any
request but a GET or the adapter's sign-in) proves the check never wrote. The demo
dialects are checked as they are; a stricter dialect that refuses something the adapter
sends shows up here as a refused feature. The strict Chec dialect answers no address list
(405, nothing documents one): the adapter falls back to the customer's default addresses,
and the doctor must say so (degraded, 405, the adapter's notice) rather than "works".
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr

from app.backends.protocols import (
    Backend,
    DeclaresSignIn,
    SupportsCustomerDirectory,
    SupportsOrderDirectory,
)
from app.domain.capabilities import Capability
from app.gateway import GatewayOptions
from app.services.doctor import WRITES, Outcome, probe_backend
from tests.contract.medusa_harness import MedusaDialectHarness
from tests.readonly_transport import ReadOnlyTransport

# The features the doctor probes for each declared capability.
FEATURES: dict[Capability, tuple[str, ...]] = {
    Capability.CUSTOMER_LIST: ("list", "customer"),
    Capability.CUSTOMER_SEARCH: ("search",),
    Capability.SEARCH_BY_PHONE: ("search-phone",),
    Capability.SEARCH_BY_COMPANY: ("search-company",),
    Capability.FILTER_HAS_ACCOUNT: ("filter-has-account",),
    Capability.FILTER_GROUP: ("filter-group",),
    Capability.FILTER_EMAIL: ("filter-email",),
    Capability.FILTER_CREATED: ("filter-created",),
    Capability.FILTER_UPDATED: ("filter-updated",),
    Capability.CHANGED_SINCE: ("changed-since",),
    Capability.ADDRESSES: ("addresses",),
    Capability.GROUPS: ("groups",),
    Capability.ORDERS: ("orders", "order"),
}


@dataclass
class Probed:
    backend: Backend
    wire: ReadOnlyTransport
    customer_id: str | None  # the customer seeded for the probe (None: the demo's own)
    target: str = ""


Opener = Callable[[pytest.FixtureRequest, Path], Awaitable[tuple[Probed, list[object]]]]


def _sign_in(cls: type) -> frozenset[tuple[str, str]]:
    routes: frozenset[tuple[str, str]] = getattr(cls, "sign_in_routes", frozenset())
    return routes


async def _medusa_peer(request: pytest.FixtureRequest, tmp: Path) -> tuple[Probed, list[object]]:
    from app.backends.medusa import MedusaAdapter, MedusaCredentials

    peer = request.getfixturevalue("medusa_peer")
    tag = "dr" + uuid.uuid4().hex[:10]
    # The peer's database is shared by the session: seed one customer with everything the
    # desk shows (account, phone, company, group, address, order) through the harness.
    async with MedusaDialectHarness(
        peer.url, peer.admin_email, peer.admin_password, peer.publishable_key
    ) as seed:
        customer_id = await seed.register_customer(
            f"{tag}@example.com", "Doris", "Doktor", phone="+4915112345678"
        )
        await seed.admin_request(
            "POST", f"/admin/customers/{customer_id}", json={"company_name": f"{tag} GmbH"}
        )
        group_id = await seed.create_group(f"{tag} VIP")
        await seed.admin_request(
            "POST", f"/admin/customers/{customer_id}/customer-groups", json={"add": [group_id]}
        )
        await seed.admin_request(
            "POST",
            f"/admin/customers/{customer_id}/addresses",
            json={"address_1": "Hauptstr. 5", "city": "Köln", "country_code": "de"},
        )
        await seed.create_order(customer_id, [("Probe", Decimal("9.50"), 1)])
    wire = ReadOnlyTransport(httpx.AsyncHTTPTransport(), _sign_in(MedusaAdapter))
    creds = MedusaCredentials(email=peer.admin_email, password=SecretStr(peer.admin_password))
    backend = MedusaAdapter(peer.url, creds, GatewayOptions(transport=wire))
    return Probed(backend, wire, customer_id), []


async def _medusa_demo(request: pytest.FixtureRequest, tmp: Path) -> tuple[Probed, list[object]]:
    from app.backends.medusa import MedusaAdapter, MedusaCredentials
    from demostore.core import FaultSettings, open_demo
    from demostore.medusa import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, create_demo_app

    store = await open_demo(str(tmp / "doctor-demo.sqlite3"), customers=60)
    app = create_demo_app(store, FaultSettings())
    wire = ReadOnlyTransport(httpx.ASGITransport(app=app), _sign_in(MedusaAdapter))
    creds = MedusaCredentials(email=DEMO_ADMIN_EMAIL, password=SecretStr(DEMO_ADMIN_PASSWORD))
    backend = MedusaAdapter("http://demo.test", creds, GatewayOptions(transport=wire))
    return Probed(backend, wire, None), [store]


async def _chec(tmp: Path, *, lenient: bool) -> tuple[Probed, list[object]]:
    from app.backends.chec import ChecAdapter
    from demostore.chec import ChecSettings, create_chec_app, open_chec_demo
    from demostore.core import FaultSettings

    store, key = await open_chec_demo(str(tmp / "doctor-chec.sqlite3"), customers=60)
    app = create_chec_app(store, FaultSettings(), settings=ChecSettings(lenient=lenient))
    wire = ReadOnlyTransport(httpx.ASGITransport(app=app), _sign_in(ChecAdapter))
    backend = ChecAdapter("http://demo-chec.test", SecretStr(key), GatewayOptions(transport=wire))
    return Probed(backend, wire, None), [store]


async def _chec_demo(request: pytest.FixtureRequest, tmp: Path) -> tuple[Probed, list[object]]:
    return await _chec(tmp, lenient=False)


async def _chec_demo_lenient(
    request: pytest.FixtureRequest, tmp: Path
) -> tuple[Probed, list[object]]:
    return await _chec(tmp, lenient=True)


async def _ep_demo(request: pytest.FixtureRequest, tmp: Path) -> tuple[Probed, list[object]]:
    from app.backends.elasticpath import ElasticPathAdapter, ElasticPathCredentials
    from demostore.core import FaultSettings, open_demo
    from demostore.elasticpath import (
        DEMO_EP_CLIENT_ID,
        DEMO_EP_CLIENT_SECRET,
        create_ep_app,
        prepare,
    )

    store = await open_demo(str(tmp / "doctor-ep.sqlite3"), customers=60)
    await prepare(store)
    app = create_ep_app(store, FaultSettings())
    wire = ReadOnlyTransport(httpx.ASGITransport(app=app), _sign_in(ElasticPathAdapter))
    creds = ElasticPathCredentials(DEMO_EP_CLIENT_ID, SecretStr(DEMO_EP_CLIENT_SECRET))
    backend = ElasticPathAdapter("http://demo-ep.test", creds, GatewayOptions(transport=wire))
    return Probed(backend, wire, None), [store]


OPENERS: dict[str, Opener] = {
    "medusa": _medusa_peer,
    "demo": _medusa_demo,
    "demo-chec": _chec_demo,
    "demo-chec-lenient": _chec_demo_lenient,
    "demo-ep": _ep_demo,
}

# What each target is known to degrade (feature -> outcome, status, detail); the rest works.
DEGRADED: dict[str, dict[str, tuple[str, int, str]]] = {
    "demo-chec": {
        "addresses": ("degraded", 405, "addresses from the customer's defaults only"),
    },
}


@pytest_asyncio.fixture(
    params=[
        pytest.param("medusa", marks=pytest.mark.peer),
        "demo",
        "demo-chec",
        "demo-chec-lenient",
        "demo-ep",
    ]
)
async def probed(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Probed]:
    opened, extra = await OPENERS[request.param](request, tmp_path)
    opened.target = request.param
    try:
        yield opened
    finally:
        await opened.backend.aclose()
        for item in extra:
            await item.aclose()  # type: ignore[attr-defined]


@pytest.mark.asyncio
async def test_every_declared_feature_works_or_is_reported_and_nothing_is_written(
    probed: Probed,
) -> None:
    backend = probed.backend
    report = await probe_backend(backend, customer_id=probed.customer_id)
    caps = backend.capabilities
    outcomes = {r.feature: r for r in report.results}

    expected = {"sign-in"}
    for capability, features in FEATURES.items():
        if capability in caps:
            expected.update(features)
    if Capability.SORT in caps:
        assert isinstance(backend, SupportsCustomerDirectory)
        expected.update(f"sort:{d}{f.value}" for f in backend.sort_fields for d in ("", "-"))
    if isinstance(backend, SupportsOrderDirectory):
        expected.add("order-directory")
    writes = {(c.name or "").lower() for c in WRITES if c in caps}
    assert set(outcomes) == expected | writes

    broken = {
        f: (r.outcome.value, r.status, r.detail)
        for f, r in outcomes.items()
        if f in expected and r.outcome is not Outcome.WORKS
    }
    known = DEGRADED.get(probed.target, {})
    assert broken == known
    assert all(outcomes[f].outcome is Outcome.NOT_PROBED for f in writes)
    assert all((outcomes[f].status or 999) < 300 for f in expected - set(known))
    assert report.healthy is not bool(known)
    # A fallback the adapter makes by itself is shown by the desk, not disabled.
    assert not report.restrictions

    # What reached the wire: reads, and the adapter's declared sign-in at most.
    sign_in = backend.sign_in_routes if isinstance(backend, DeclaresSignIn) else frozenset()
    writes_sent = {(m, p) for m, p in probed.wire.seen if m != "GET"}
    assert writes_sent <= sign_in
    assert [(e.method, e.path) for e in report.exchanges] == probed.wire.seen
