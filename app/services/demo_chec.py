"""The embedded demo store in Chec's dialect: the real Chec adapter talks to an in-process
server of Chec's REST API v1 over the demo store's data (no network).

Strict by default: only what Chec's sources document, so the desk shows what degrades
there (no address list: defaults only, read-only). `MERCHANT_DESK_DEMO_CHEC_LENIENT=1`
opens it lenient: the undocumented routes served too (addresses listed and editable).
"""

from __future__ import annotations

import os

from pydantic import SecretStr

from app.backends.chec import ChecAdapter
from app.domain.errors import ConfigurationError
from app.gateway import GatewayOptions
from app.gateway.inprocess import asgi_options
from app.services.demo import FAULTS_ENV, DemoHandle, parse_faults
from app.services.paths import AppPaths
from demostore.chec import ChecSettings, create_chec_app, open_chec_demo

DEMO_CHEC_URL = "http://demo-chec.merchant-desk.invalid"  # never resolved: stays in-process
LENIENT_ENV = "MERCHANT_DESK_DEMO_CHEC_LENIENT"
_YES = frozenset({"1", "true", "yes", "on"})
_NO = frozenset({"", "0", "false", "no", "off"})


def lenient_from(value: str) -> bool:
    """`MERCHANT_DESK_DEMO_CHEC_LENIENT`'s value: 1/true/yes/on or 0/false/no/off (unset)."""
    word = value.strip().lower()
    if word in _YES or word in _NO:
        return word in _YES
    raise ConfigurationError(f"{LENIENT_ENV}: '{value}' is not 1 or 0 (yes/no, true/false)")


def demo_chec_database(paths: AppPaths) -> str:
    # A file of its own: Chec writes (external ids, login tokens) stay out of the Medusa demo.
    return str(paths.data / "demo-chec-store.sqlite3")


async def open_chec_demo_backend(
    paths: AppPaths, options: GatewayOptions = GatewayOptions(), customers: int = 2000
) -> DemoHandle:
    faults = parse_faults(os.environ.get(FAULTS_ENV, ""))
    settings = ChecSettings(lenient=lenient_from(os.environ.get(LENIENT_ENV, "")))
    store, key = await open_chec_demo(demo_chec_database(paths), customers=customers)
    app = create_chec_app(store, faults, settings=settings)
    backend = ChecAdapter(DEMO_CHEC_URL, SecretStr(key), asgi_options(app, options))
    return DemoHandle(store, faults, backend)
