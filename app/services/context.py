"""The composition root: from a store profile to a ready `CustomerService`.

The UI and CLI build one `StoreContext` per open store and close it when done; nothing
else constructs adapters or transports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.backends.protocols import Backend
from app.gateway import GatewayOptions
from app.services import registry
from app.services.customers import CustomerService
from app.services.paths import AppPaths
from app.services.profiles import ProfileRepository, StoreProfile
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

        `demo_customers` sizes a demo store when it is generated (first use, or reset).
        """
        profile = self.profiles.get(name)
        if profile.is_demo:
            demo = await registry.open_demo(profile, self.paths, options, demo_customers)
            return StoreContext(profile, CustomerService(demo.backend), demo.backend, demo)
        backend = self.build_backend(profile, self.secrets.get(profile.name), options)
        return StoreContext(profile, CustomerService(backend), backend)

    @staticmethod
    def build_backend(
        profile: StoreProfile, secret: str, options: GatewayOptions = GatewayOptions()
    ) -> Backend:
        return registry.build_backend(profile, secret, options)
