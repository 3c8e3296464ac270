"""The embedded demo store, opened like any other store: the real Medusa adapter talks to
an in-process server of Medusa's dialect through the gateway (no network, no Node)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr

from app.backends.medusa import MedusaAdapter, MedusaCredentials
from app.demo import (
    DEMO_ADMIN_EMAIL,
    DEMO_ADMIN_PASSWORD,
    DemoStore,
    FaultSettings,
    create_demo_app,
    open_demo,
)
from app.gateway import GatewayOptions
from app.gateway.inprocess import asgi_options
from app.services.paths import AppPaths

DEMO_URL = "http://demo.merchant-desk.invalid"  # never resolved: requests stay in-process


def demo_database(paths: AppPaths) -> str:
    return str(paths.data / "demo-store.sqlite3")


@dataclass
class DemoHandle:
    store: DemoStore
    faults: FaultSettings
    backend: MedusaAdapter

    async def aclose(self) -> None:
        await self.store.aclose()


async def open_demo_backend(
    paths: AppPaths, options: GatewayOptions = GatewayOptions(), customers: int = 2000
) -> DemoHandle:
    store = await open_demo(demo_database(paths), customers=customers)
    faults = FaultSettings()
    app = create_demo_app(store, faults)
    backend = MedusaAdapter(
        DEMO_URL,
        MedusaCredentials(email=DEMO_ADMIN_EMAIL, password=SecretStr(DEMO_ADMIN_PASSWORD)),
        asgi_options(app, options),
    )
    return DemoHandle(store, faults, backend)
