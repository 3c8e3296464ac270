"""The contract suite: one set of tests, run against every backend target.

A target is an adapter (what the app uses) plus a harness (what the tests use to seed data
the adapter cannot create, and to observe what the backend sent out). Targets: the demo
stores (in-process, every run) and a real Medusa 2.21 server (the peer; skipped when
Node/PostgreSQL are missing, a failure in CI). Tests isolate their data by a unique tag
in emails and names, so they can share one server per session. A test that needs what a
backend lacks is skipped by capability (`need`), never deleted or loosened.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest
import pytest_asyncio

from app.backends.protocols import Backend
from app.domain.capabilities import Capability
from tests.contract.harness import ContractBackend, ContractHarness, OpenTarget, TokenExpectation
from tests.contract.targets.chec import ChecDemoTarget, ChecLenientDemoTarget
from tests.contract.targets.elasticpath import ElasticPathDemoTarget
from tests.contract.targets.medusa import MedusaDemoTarget, MedusaPeerTarget


class TargetSpec(Protocol):
    name: str

    async def open(self, tmp_path: Path) -> OpenTarget: ...


# name -> spec factory (given the pytest request, to resolve session fixtures like a peer)
TARGETS: dict[str, type] = {
    "demo": MedusaDemoTarget,
    "medusa": MedusaPeerTarget,
    "demo-chec": ChecDemoTarget,  # strict: only what Chec's sources document
    "demo-chec-lenient": ChecLenientDemoTarget,  # plus the undocumented address routes
    "demo-ep": ElasticPathDemoTarget,
}


@dataclass
class Target:
    name: str
    backend: ContractBackend
    harness: ContractHarness
    opened: OpenTarget
    tag: str  # unique per test: put it in emails/names and search by it

    def email(self, local: str) -> str:
        return f"{self.tag}.{local}@example.com"

    def with_wrong_secret(self) -> Backend:
        return self.opened.with_wrong_secret()

    @property
    def token(self) -> TokenExpectation:
        return self.opened.token


def need_address_book(target: Target) -> None:
    """Skip where the backend shows only the default addresses (see `OpenTarget`)."""
    if not target.opened.address_book:
        pytest.skip(f"{target.name} lists no address book, only the default addresses")


def need(target: Target, capability: Capability) -> None:
    """Skip the test where the backend lacks `capability` (declared by its adapter)."""
    if capability not in target.backend.capabilities:
        pytest.skip(f"{target.name} does not support {(capability.name or '').lower()}")


@pytest.fixture(params=list(TARGETS))
def target_spec(request: pytest.FixtureRequest) -> TargetSpec:
    spec: TargetSpec = TARGETS[request.param](request)
    return spec


@pytest_asyncio.fixture
async def target(target_spec: TargetSpec, tmp_path: Path) -> AsyncIterator[Target]:
    opened = await target_spec.open(tmp_path)
    tag = "ct" + uuid.uuid4().hex[:10]
    try:
        yield Target(target_spec.name, opened.backend, opened.harness, opened, tag)
    finally:
        await opened.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/contract/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.contract)
