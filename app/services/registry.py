"""Which code opens which kind of store: one builder per backend; the demo stores open
through `app.services.demo.DEMOS` (one entry per dialect).

Imports named in code (no plugin discovery) so PyInstaller sees every backend; each
builder imports its adapter when called, so start-up loads only the backend it opens.
Each backend adds one entry to `BUILDERS` and, for its demo dialect, one to
`app.services.demo.DEMOS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import SecretStr

from app.backends.protocols import Backend
from app.domain.errors import ConfigurationError
from app.gateway import GatewayOptions
from app.services.paths import AppPaths
from app.services.profiles import AuthMethod, BackendKind, StoreProfile

if TYPE_CHECKING:
    from app.services.demo import DemoHandle

BackendBuilder = Callable[[StoreProfile, str, GatewayOptions], Backend]


def build_medusa(profile: StoreProfile, secret: str, options: GatewayOptions) -> Backend:
    from app.backends.medusa import MedusaAdapter, MedusaCredentials

    if profile.auth is AuthMethod.API_KEY:
        creds = MedusaCredentials(api_key=SecretStr(secret))
    else:
        if not profile.email:
            raise ConfigurationError(f"Store '{profile.name}' has no admin email.")
        creds = MedusaCredentials(email=profile.email, password=SecretStr(secret))
    return MedusaAdapter(profile.url, creds, options)


def build_chec(profile: StoreProfile, secret: str, options: GatewayOptions) -> Backend:
    from app.backends.chec import ChecAdapter

    # Chec signs in with the secret API key only (`X-Authorization: sk_…`).
    return ChecAdapter(profile.url, SecretStr(secret), options)


def build_elasticpath(profile: StoreProfile, secret: str, options: GatewayOptions) -> Backend:
    from app.backends.elasticpath import ElasticPathAdapter, ElasticPathCredentials

    # An application key: the client id in the profile, the client secret in the keyring.
    if not profile.client_id:
        raise ConfigurationError(f"Store '{profile.name}' has no Elastic Path client id.")
    creds = ElasticPathCredentials(client_id=profile.client_id, client_secret=SecretStr(secret))
    return ElasticPathAdapter(profile.url, creds, options)


BUILDERS: dict[BackendKind, BackendBuilder] = {
    BackendKind.MEDUSA: build_medusa,
    BackendKind.CHEC: build_chec,
    BackendKind.ELASTICPATH: build_elasticpath,
}


def build_backend(profile: StoreProfile, secret: str, options: GatewayOptions) -> Backend:
    profile.check_transport()  # before any secret is sent
    builder = BUILDERS.get(profile.backend)
    if builder is None:
        raise ConfigurationError(
            f"Store '{profile.name}' uses a backend this version cannot open ({profile.backend})."
        )
    return builder(profile, secret, options)


async def open_demo(
    profile: StoreProfile, paths: AppPaths, options: GatewayOptions, customers: int
) -> DemoHandle:
    if profile.demo is None:
        raise ConfigurationError(f"There is no demo store '{profile.name}' in this version.")
    # Loaded on demand: the demo server (starlette, generator) costs start-up time.
    from app.services.demo import open_demo_backend

    return await open_demo_backend(paths, options, customers, profile.demo)
