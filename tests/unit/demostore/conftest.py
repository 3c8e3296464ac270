"""Fixtures for the demo store tests: a fresh in-memory store and clients per test."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import httpx
import pytest_asyncio
from starlette.applications import Starlette

from demostore.core import DemoStore, FaultSettings
from demostore.medusa import DemoSettings, create_demo_app
from tests.unit.demostore.helpers import client_for, login


@pytest_asyncio.fixture
async def store() -> AsyncIterator[DemoStore]:
    async with DemoStore(":memory:") as opened:
        yield opened


@pytest_asyncio.fixture
async def faults() -> FaultSettings:
    return FaultSettings(rng=random.Random(7))


@pytest_asyncio.fixture
async def app(store: DemoStore, faults: FaultSettings) -> Starlette:
    return create_demo_app(store, faults, settings=DemoSettings(test_routes=True))


@pytest_asyncio.fixture
async def anon(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as client:
        yield client


@pytest_asyncio.fixture
async def admin(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as client:
        client.headers["Authorization"] = f"Bearer {await login(client)}"
        yield client
