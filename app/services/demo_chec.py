"""The embedded demo store in Chec's dialect: the real Chec adapter talks to an in-process
server of Chec's REST API v1 over the demo store's data (no network)."""

from __future__ import annotations

import os

from pydantic import SecretStr

from app.backends.chec import ChecAdapter
from app.demo.chec import create_chec_app, open_chec_demo
from app.gateway import GatewayOptions
from app.gateway.inprocess import asgi_options
from app.services.demo import FAULTS_ENV, DemoHandle, parse_faults
from app.services.paths import AppPaths

DEMO_CHEC_URL = "http://demo-chec.merchant-desk.invalid"  # never resolved: stays in-process


def demo_chec_database(paths: AppPaths) -> str:
    # A file of its own: Chec writes (external ids, login tokens) stay out of the Medusa demo.
    return str(paths.data / "demo-chec-store.sqlite3")


async def open_chec_demo_backend(
    paths: AppPaths, options: GatewayOptions = GatewayOptions(), customers: int = 2000
) -> DemoHandle:
    faults = parse_faults(os.environ.get(FAULTS_ENV, ""))
    store, key = await open_chec_demo(demo_chec_database(paths), customers=customers)
    app = create_chec_app(store, faults)
    backend = ChecAdapter(DEMO_CHEC_URL, SecretStr(key), asgi_options(app, options))
    return DemoHandle(store, faults, backend)
