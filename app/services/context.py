"""The composition root: from a store profile to a ready `CustomerService`.

The UI and CLI build one `StoreContext` per open store and close it when done; nothing
else constructs adapters or transports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import SecretStr

from app.backends.medusa import MedusaAdapter, MedusaCredentials
from app.backends.protocols import Backend
from app.domain.errors import ConfigurationError
from app.gateway import GatewayOptions
from app.services.customers import CustomerService
from app.services.paths import AppPaths
from app.services.profiles import AuthMethod, BackendKind, ProfileRepository, StoreProfile
from app.services.secrets import SecretStore

if TYPE_CHECKING:
    from app.services.demo import DemoHandle


@dataclass
class StoreContext:
    profile: StoreProfile
    customers: CustomerService
    backend: Backend
    demo: DemoHandle | None = field(default=None)

    @property
    def is_demo(self) -> bool:
        return self.profile.is_demo

    async def aclose(self) -> None:
        await self.backend.aclose()
        if self.demo is not None:
            await self.demo.aclose()


@dataclass
class Services:
    """Long-lived, store-independent services."""

    paths: AppPaths
    profiles: ProfileRepository
    secrets: SecretStore

    @classmethod
    def create(cls, paths: AppPaths | None = None) -> Services:
        paths = (paths or AppPaths.detect()).ensure()
        return cls(paths, ProfileRepository(paths.config / "stores.json"), SecretStore())

    async def open_store(
        self,
        name: str | None = None,
        options: GatewayOptions = GatewayOptions(),
        *,
        demo_customers: int = 2000,
    ) -> StoreContext:
        """Open a store by profile name (None: the default store, or the demo store).

        `demo_customers` sizes the demo store when it is generated (first use, or reset).
        """
        profile = self.profiles.get(name)
        if profile.backend is BackendKind.DEMO:
            # Loaded on demand: the demo server (starlette, generator) costs start-up time.
            from app.services.demo import open_demo_backend

            demo = await open_demo_backend(self.paths, options, customers=demo_customers)
            return StoreContext(profile, CustomerService(demo.backend), demo.backend, demo)
        backend = self.build_backend(profile, self.secrets.get(profile.name), options)
        return StoreContext(profile, CustomerService(backend), backend)

    @staticmethod
    def build_backend(
        profile: StoreProfile, secret: str, options: GatewayOptions = GatewayOptions()
    ) -> Backend:
        if profile.backend is BackendKind.MEDUSA:
            if profile.auth is AuthMethod.API_KEY:
                creds = MedusaCredentials(api_key=SecretStr(secret))
            else:
                if not profile.email:
                    raise ConfigurationError(f"Store '{profile.name}' has no admin email.")
                creds = MedusaCredentials(email=profile.email, password=SecretStr(secret))
            return MedusaAdapter(profile.url, creds, options)
        raise ConfigurationError(f"Store '{profile.name}' uses an unknown backend.")
