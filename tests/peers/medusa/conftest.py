"""Fixtures shared by the peer tests (a module may define its own): the test harness
(seeding as a store does) and the desk's adapter, both signed in to the session's Medusa."""

from collections.abc import AsyncIterator

import pytest_asyncio
from pydantic import SecretStr

from app.backends.medusa import MedusaAdapter, MedusaCredentials
from tests.contract.medusa_harness import MedusaDialectHarness
from tests.peers.medusa.fixtures import MedusaPeer


@pytest_asyncio.fixture
async def harness(medusa_peer: MedusaPeer) -> AsyncIterator[MedusaDialectHarness]:
    async with MedusaDialectHarness(
        medusa_peer.url, medusa_peer.admin_email, medusa_peer.admin_password
    ) as h:
        yield h


@pytest_asyncio.fixture
async def adapter(medusa_peer: MedusaPeer) -> AsyncIterator[MedusaAdapter]:
    client = MedusaAdapter(
        medusa_peer.url,
        MedusaCredentials(
            email=medusa_peer.admin_email, password=SecretStr(medusa_peer.admin_password)
        ),
    )
    try:
        yield client
    finally:
        await client.aclose()
