"""The embedded demo store, opened like any other store: the real Medusa adapter talks to
an in-process server of Medusa's dialect through the gateway (no network, no Node)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Protocol

from pydantic import SecretStr

from app.backends.medusa import MedusaAdapter, MedusaCredentials
from app.backends.protocols import Backend
from app.domain.errors import ConfigurationError
from app.gateway import GatewayOptions
from app.gateway.inprocess import asgi_options
from app.services.paths import AppPaths
from demostore.core import FaultSettings, open_demo
from demostore.medusa import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, create_demo_app

DEMO_URL = "http://demo.merchant-desk.invalid"  # never resolved: requests stay in-process
FAULTS_ENV = "MERCHANT_DESK_DEMO_FAULTS"
_FAULT_KNOBS = ("latency", "error_rate", "drop_rate", "retry_after")


def parse_faults(spec: str) -> FaultSettings:
    """`latency=0.3,error_rate=0.1,drop_rate=0.05,retry_after=2,offline` → FaultSettings.

    For demonstrations and manual testing of slow, flaky or unreachable stores.
    """
    faults = FaultSettings()
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, _, value = item.partition("=")
        name = name.strip().replace("-", "_")
        if name == "offline" and not value:
            faults.offline = True
            continue
        if name not in _FAULT_KNOBS:
            raise ConfigurationError(
                f"{FAULTS_ENV}: unknown knob '{name}' (use {', '.join(_FAULT_KNOBS)}, offline)"
            )
        try:
            number = float(value)
        except ValueError:
            raise ConfigurationError(f"{FAULTS_ENV}: '{item}' needs a number") from None
        if number < 0 or (name.endswith("_rate") and number > 1):
            raise ConfigurationError(f"{FAULTS_ENV}: '{item}' is out of range")
        setattr(faults, name, int(number) if name == "retry_after" else number)
    return faults


def demo_database(paths: AppPaths) -> str:
    return str(paths.data / "demo-store.sqlite3")


class ClosableStore(Protocol):
    async def aclose(self) -> None: ...


@dataclass
class DemoHandle:
    """An open demo store: its storage, its run-time fault knobs, the adapter talking to it."""

    store: ClosableStore
    faults: FaultSettings
    backend: Backend

    async def aclose(self) -> None:
        await self.store.aclose()


async def open_demo_backend(
    paths: AppPaths, options: GatewayOptions = GatewayOptions(), customers: int = 2000
) -> DemoHandle:
    faults = parse_faults(os.environ.get(FAULTS_ENV, ""))
    store = await open_demo(demo_database(paths), customers=customers)
    app = create_demo_app(store, faults)
    backend = MedusaAdapter(
        DEMO_URL,
        MedusaCredentials(email=DEMO_ADMIN_EMAIL, password=SecretStr(DEMO_ADMIN_PASSWORD)),
        asgi_options(app, options),
    )
    return DemoHandle(store, faults, backend)
