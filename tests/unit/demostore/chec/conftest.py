"""Fixtures for the Chec dialect: a fresh in-memory demo store and a secret-key client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio
from starlette.applications import Starlette

from demostore.chec import ChecSettings, create_chec_app, prepare_store
from demostore.core import DemoStore, FaultSettings

CLOCK = [1_750_000_000.0]


@pytest_asyncio.fixture
async def chec_store() -> AsyncIterator[DemoStore]:
    async with DemoStore(":memory:") as opened:
        yield opened


@pytest_asyncio.fixture
async def chec_key(chec_store: DemoStore) -> str:
    return await prepare_store(chec_store)


@pytest_asyncio.fixture
async def chec_app(chec_store: DemoStore, chec_key: str) -> Starlette:
    return create_chec_app(
        chec_store, FaultSettings(), settings=ChecSettings(clock=lambda: CLOCK[0], test_routes=True)
    )


@pytest_asyncio.fixture
async def chec(chec_app: Starlette, chec_key: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=chec_app),
        base_url="http://chec.test",
        headers={"X-Authorization": chec_key},
    ) as client:
        yield client


@pytest_asyncio.fixture
async def anon(chec_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=chec_app), base_url="http://chec.test"
    ) as client:
        yield client


@pytest_asyncio.fixture
async def chec_lenient(chec_store: DemoStore, chec_key: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the same store served leniently (the undocumented routes too)."""
    app = create_chec_app(
        chec_store,
        FaultSettings(),
        settings=ChecSettings(clock=lambda: CLOCK[0], lenient=True, test_routes=True),
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://chec.test",
        headers={"X-Authorization": chec_key},
    ) as client:
        yield client
