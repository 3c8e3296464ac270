"""The composition root: from a store profile to a ready `CustomerService`.

The UI and CLI build one `StoreContext` per open store and close it when done; nothing
else constructs adapters or transports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from app.backends.protocols import Backend
from app.gateway import GatewayOptions
from app.mirror.service import (
    MirrorService,
    OutboxEntry,
    ReadPolicy,
    delete_mirror,
    mirror_files,
    unsent_edits,
)
from app.services import registry
from app.services.customers import CustomerService
from app.services.demo_controls import DemoControls
from app.services.notes import NotesService
from app.services.paths import AppPaths
from app.services.profiles import DEMO_PROFILES, ProfileRepository, StoreProfile
from app.services.restrictions import RestrictionStore
from app.services.saved_filters import SavedFilters
from app.services.secrets import SecretStore

if TYPE_CHECKING:
    from app.services.demo import DemoHandle


@dataclass
class StoreContext:
    profile: StoreProfile
    customers: CustomerService
    backend: Backend
    demo: DemoHandle | None = field(default=None)
    mirror: MirrorService | None = field(default=None)

    @property
    def is_demo(self) -> bool:
        return self.profile.is_demo

    @cached_property
    def notes(self) -> NotesService:
        """Staff notes on this store's customers, written as the profile's account."""
        return NotesService(
            self.backend,
            self.mirror,
            staff_account(self.profile),
            queue_offline=self.customers.queue_offline,
        )

    @property
    def demo_controls(self) -> DemoControls | None:
        """The demo store's fault knobs; None for a real store."""
        return DemoControls(self.demo.faults) if self.demo is not None else None

    async def aclose(self) -> None:
        if self.mirror is not None:
            await self.mirror.aclose()
        await self.backend.aclose()
        if self.demo is not None:
            await self.demo.aclose()


@dataclass
class Services:
    """Long-lived, store-independent services."""

    paths: AppPaths
    profiles: ProfileRepository
    secrets: SecretStore
    saved_filters: SavedFilters

    @property
    def restrictions(self) -> RestrictionStore:
        """What the store doctor found each store to refuse (see `DoctorService`)."""
        return RestrictionStore(self.paths.config / "capabilities.json")

    @classmethod
    def create(cls, paths: AppPaths | None = None) -> Services:
        paths = (paths or AppPaths.detect()).ensure()
        return cls(
            paths,
            ProfileRepository(paths.config / "stores.json"),
            SecretStore(),
            SavedFilters(paths.config / "saved-filters.json"),
        )

    async def open_store(
        self,
        name: str | None = None,
        options: GatewayOptions = GatewayOptions(),
        *,
        demo_customers: int = 2000,
        policy: ReadPolicy | None = ReadPolicy.MIRROR,
    ) -> StoreContext:
        """Open a store by profile name (None: the default store, or the demo store).

        `demo_customers` sizes a demo store when it is generated (first use, or reset).
        `policy` says how reads use the store's offline mirror; None opens no mirror.
        """
        profile = self.profiles.get(name)
        demo: DemoHandle | None = None
        if profile.is_demo:
            demo = await registry.open_demo(profile, self.paths, options, demo_customers)
            backend = demo.backend
        else:
            backend = self.build_backend(profile, self.secrets.get(profile.name), options)
        mirror: MirrorService | None = None
        if policy is not None:
            path = self.mirror_path(profile.name)
            mirror = MirrorService(
                backend, path, store_identity(profile), policy=policy, actor=staff_account(profile)
            )
            try:
                await mirror.open()
            except BaseException:
                await backend.aclose()
                if demo is not None:
                    await demo.aclose()
                raise
        restrictions = self.restrictions.get(profile.name, store_identity(profile))
        customers = CustomerService(
            backend, mirror, restrictions, phone_country=profile.phone_country
        )
        return StoreContext(profile, customers, backend, demo, mirror)

    def mirror_path(self, store_name: str) -> Path:
        return mirror_files(self.paths.data / "mirrors", store_name)[0]

    def has_mirror(self, store_name: str | None) -> bool:
        name = store_name if store_name is not None else self.profiles.get(None).name
        return self.mirror_path(name).exists()

    def forget_mirror(self, store_name: str) -> bool:
        """Delete a store's offline mirror (the store must not be open)."""
        return delete_mirror(self.paths.data / "mirrors", store_name)

    async def unsent_edits(self, store_name: str) -> list[OutboxEntry]:
        """Edits queued in a store's mirror and not yet in the store (pending, in
        conflict or refused): what forgetting the store would lose."""
        if not self.has_mirror(store_name):
            return []
        return await unsent_edits(self.mirror_path(store_name))

    def forget_store(self, store_name: str) -> None:
        """Remove a store from this computer: profile, secret, mirror and saved filters."""
        if store_name not in DEMO_PROFILES:
            self.profiles.remove(store_name)
            self.secrets.delete(store_name)
        self.restrictions.forget(store_name)
        self.forget_mirror(store_name)
        self.saved_filters.forget_store(store_name)

    @staticmethod
    def build_backend(
        profile: StoreProfile, secret: str, options: GatewayOptions = GatewayOptions()
    ) -> Backend:
        return registry.build_backend(profile, secret, options)


def staff_account(profile: StoreProfile) -> str:
    """Who writes on this desk (notes, and the timeline's "by whom" of its changes): the
    account the profile signs in with (its email, or the API client's id); the demo
    stores sign in as nobody."""
    if profile.is_demo:
        return "demo staff"
    return profile.email or profile.client_id or f"staff of {profile.name}"


def store_identity(profile: StoreProfile) -> str:
    """What makes a mirror belong to a store: a profile re-pointed elsewhere starts afresh."""
    # A demo keeps its dialect's name ("demo-chec"), as when demos were backend kinds.
    kind = profile.demo.value if profile.demo else profile.backend.value
    return "|".join((kind, profile.url, profile.email or "", profile.client_id or ""))
