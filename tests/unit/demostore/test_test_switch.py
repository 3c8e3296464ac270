"""Each dialect serves its test-only routes (`/_demo/…`) only when a test turns them on."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from demostore.chec import ChecSettings, create_chec_app
from demostore.core import DemoStore
from demostore.elasticpath import EPDemoSettings, create_ep_app


def _demo_paths(app: Starlette) -> set[str]:
    return {r.path for r in app.routes if isinstance(r, Route) and r.path.startswith("/_demo/")}


@pytest.mark.asyncio
async def test_chec_serves_its_seeding_routes_only_when_asked(store: DemoStore) -> None:
    assert _demo_paths(create_chec_app(store)) == set()
    assert _demo_paths(create_chec_app(store, settings=ChecSettings(test_routes=True))) == {
        "/_demo/chec/orders",
        "/_demo/chec/emails",
        "/_demo/chec/secret-keys",
    }


@pytest.mark.asyncio
async def test_elastic_path_serves_its_seeding_routes_only_when_asked(store: DemoStore) -> None:
    assert _demo_paths(create_ep_app(store)) == set()
    assert _demo_paths(create_ep_app(store, settings=EPDemoSettings(test_routes=True))) == {
        "/_demo/orders",
        "/_demo/customers/batch",
    }
