"""The embedded demo store in Elastic Path's dialect: the real Elastic Path adapter talks to an
in-process emulation of Elastic Path's API over the demo store's data (no network)."""

from __future__ import annotations

import os

from pydantic import SecretStr

from app.backends.elasticpath import ElasticPathAdapter, ElasticPathCredentials
from app.domain.errors import ConfigurationError
from app.gateway import GatewayOptions
from app.gateway.inprocess import asgi_options
from app.services.demo import FAULTS_ENV, DemoHandle, parse_faults
from app.services.paths import AppPaths
from demostore.core import open_demo
from demostore.elasticpath import (
    DEMO_EP_CLIENT_ID,
    DEMO_EP_CLIENT_SECRET,
    EPDemoSettings,
    EPDialect,
    create_ep_app,
    prepare,
)

DEMO_EP_URL = "http://demo-ep.merchant-desk.invalid"  # never resolved: stays in-process


def demo_ep_database(paths: AppPaths) -> str:
    # The same kind of store as the Medusa demo, in a file of its own: Elastic Path writes
    # (a whole name in one field, the custom-field flow) stay out of the Medusa demo.
    return str(paths.data / "demo-ep-store.sqlite3")


async def open_ep_demo_backend(
    paths: AppPaths, options: GatewayOptions = GatewayOptions(), customers: int = 2000
) -> DemoHandle:
    faults = parse_faults(os.environ.get(FAULTS_ENV, ""))
    try:
        dialect = EPDialect.from_env(os.environ)  # strict unless asked
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None
    store = await open_demo(demo_ep_database(paths), customers=customers)
    try:
        await prepare(store)  # the dialect's tables and the demo `customers` flow
    except BaseException:
        await store.aclose()
        raise
    app = create_ep_app(store, faults, settings=EPDemoSettings(dialect=dialect))
    credentials = ElasticPathCredentials(DEMO_EP_CLIENT_ID, SecretStr(DEMO_EP_CLIENT_SECRET))
    backend = ElasticPathAdapter(DEMO_EP_URL, credentials, asgi_options(app, options))
    return DemoHandle(store, faults, backend)
