"""The embedded demo stores, opened like any other store: the real adapter of each backend
talks to an in-process server of that backend's dialect through the gateway (no network,
no Node). One table, `DEMOS`, says per dialect which server to start, which adapter talks
to it and which environment switch tunes it.

Chec's demo is strict by default: only what Chec's sources document, so the desk shows what
degrades there (no address list: defaults only, read-only); `MERCHANT_DESK_DEMO_CHEC_LENIENT=1`
serves the undocumented routes too. Elastic Path's is strict unless
`MERCHANT_DESK_DEMO_EP_LENIENT` names the unsettled behaviours to serve.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import SecretStr

from app.backends.protocols import Backend
from app.domain.errors import ConfigurationError
from app.gateway import GatewayOptions
from app.gateway.inprocess import asgi_options
from app.services.paths import AppPaths
from app.services.profiles import DemoDialect
from demostore.core import DemoStore, FaultSettings, open_demo

# Each dialect's server and adapter are imported when that dialect opens: start-up
# loads one of the three (PyInstaller still sees the imports in the functions).
FAULTS_ENV = "MERCHANT_DESK_DEMO_FAULTS"
CHEC_LENIENT_ENV = "MERCHANT_DESK_DEMO_CHEC_LENIENT"
# `demostore.elasticpath.LENIENT_ENV`, spelled here: importing it would load that server.
EP_LENIENT_ENV = "MERCHANT_DESK_DEMO_EP_LENIENT"
_FAULT_KNOBS = ("latency", "error_rate", "drop_rate", "retry_after")
_YES = frozenset({"1", "true", "yes", "on"})
_NO = frozenset({"", "0", "false", "no", "off"})


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


def lenient_from(value: str) -> bool:
    """`MERCHANT_DESK_DEMO_CHEC_LENIENT`'s value: 1/true/yes/on or 0/false/no/off (unset)."""
    word = value.strip().lower()
    if word in _YES or word in _NO:
        return word in _YES
    raise ConfigurationError(f"{CHEC_LENIENT_ENV}: '{value}' is not 1 or 0 (yes/no, true/false)")


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


@dataclass(frozen=True)
class Served:
    """A demo server started over its store, and the secret its adapter signs in with."""

    store: DemoStore
    app: Any  # an ASGI app (starlette), handed to httpx.ASGITransport
    secret: str


# (database path, customers on first use, fault knobs, the env switch's value) → server.
ServerFactory = Callable[[str, int, FaultSettings, str], Awaitable[Served]]
# (URL, secret, gateway options reaching the server in-process) → the real adapter.
AdapterFactory = Callable[[str, str, GatewayOptions], Backend]


@dataclass(frozen=True)
class DemoSpec:
    database: str  # file name in the data directory: each dialect's writes stay in its own
    url: str  # never resolved: requests stay in-process
    server: ServerFactory
    adapter: AdapterFactory
    switch: str | None = None  # the environment variable tuning the dialect, if any


async def _serve_medusa(path: str, customers: int, faults: FaultSettings, _: str) -> Served:
    from demostore.medusa import DEMO_ADMIN_PASSWORD, create_demo_app

    store = await open_demo(path, customers=customers)
    return Served(store, create_demo_app(store, faults), DEMO_ADMIN_PASSWORD)


async def _serve_chec(path: str, customers: int, faults: FaultSettings, switch: str) -> Served:
    from demostore.chec import ChecSettings, create_chec_app, open_chec_demo

    settings = ChecSettings(lenient=lenient_from(switch))  # refused before the store opens
    store, key = await open_chec_demo(path, customers=customers)
    return Served(store, create_chec_app(store, faults, settings=settings), key)


async def _serve_ep(path: str, customers: int, faults: FaultSettings, switch: str) -> Served:
    from demostore.elasticpath import (
        DEMO_EP_CLIENT_SECRET,
        EPDemoSettings,
        EPDialect,
        create_ep_app,
        prepare,
    )

    try:
        dialect = EPDialect.parse(switch)  # strict unless asked
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None
    store = await open_demo(path, customers=customers)
    try:
        await prepare(store)  # the dialect's tables and the demo `customers` flow
    except BaseException:
        await store.aclose()
        raise
    app = create_ep_app(store, faults, settings=EPDemoSettings(dialect=dialect))
    return Served(store, app, DEMO_EP_CLIENT_SECRET)


def _medusa_adapter(url: str, secret: str, options: GatewayOptions) -> Backend:
    from app.backends.medusa import MedusaAdapter, MedusaCredentials
    from demostore.medusa import DEMO_ADMIN_EMAIL

    creds = MedusaCredentials(email=DEMO_ADMIN_EMAIL, password=SecretStr(secret))
    return MedusaAdapter(url, creds, options)


def _chec_adapter(url: str, secret: str, options: GatewayOptions) -> Backend:
    from app.backends.chec import ChecAdapter

    return ChecAdapter(url, SecretStr(secret), options)


def _ep_adapter(url: str, secret: str, options: GatewayOptions) -> Backend:
    from app.backends.elasticpath import ElasticPathAdapter, ElasticPathCredentials
    from demostore.elasticpath import DEMO_EP_CLIENT_ID

    creds = ElasticPathCredentials(DEMO_EP_CLIENT_ID, SecretStr(secret))
    return ElasticPathAdapter(url, creds, options)


DEMOS: dict[DemoDialect, DemoSpec] = {
    DemoDialect.MEDUSA: DemoSpec(
        "demo-store.sqlite3", "http://demo.merchant-desk.invalid", _serve_medusa, _medusa_adapter
    ),
    DemoDialect.CHEC: DemoSpec(
        "demo-chec-store.sqlite3",
        "http://demo-chec.merchant-desk.invalid",
        _serve_chec,
        _chec_adapter,
        switch=CHEC_LENIENT_ENV,
    ),
    DemoDialect.ELASTICPATH: DemoSpec(
        "demo-ep-store.sqlite3",
        "http://demo-ep.merchant-desk.invalid",
        _serve_ep,
        _ep_adapter,
        switch=EP_LENIENT_ENV,
    ),
}


def demo_database(paths: AppPaths, dialect: DemoDialect = DemoDialect.MEDUSA) -> str:
    return str(paths.data / DEMOS[dialect].database)


async def open_demo_backend(
    paths: AppPaths,
    options: GatewayOptions = GatewayOptions(),
    customers: int = 2000,
    dialect: DemoDialect = DemoDialect.MEDUSA,
) -> DemoHandle:
    spec = DEMOS[dialect]
    faults = parse_faults(os.environ.get(FAULTS_ENV, ""))
    switch = os.environ.get(spec.switch, "") if spec.switch else ""
    served = await spec.server(demo_database(paths, dialect), customers, faults, switch)
    backend = spec.adapter(spec.url, served.secret, asgi_options(served.app, options))
    return DemoHandle(served.store, faults, backend)
