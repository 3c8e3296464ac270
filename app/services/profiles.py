"""Store profiles: which backend, where, and who signs in. Never the secret itself."""

from __future__ import annotations

import ipaddress
import re
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator

from app.domain.base import DomainModel
from app.domain.errors import ConfigurationError
from app.domain.phone import is_known_region
from app.services.json_file import write_atomically

PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")
DEMO_STORE = "demo"


class BackendKind(StrEnum):
    """The real backends a store can run on."""

    MEDUSA = "medusa"
    CHEC = "chec"
    ELASTICPATH = "elasticpath"


class DemoDialect(StrEnum):
    """The embedded demo stores, served in-process, one per dialect; the values are the
    built-in profiles' names (and were their backend kinds in stores.json before)."""

    MEDUSA = "demo"  # Medusa 2 admin dialect
    CHEC = "demo-chec"
    ELASTICPATH = "demo-ep"

    @property
    def backend(self) -> BackendKind:
        """The real backend whose adapter talks to this demo."""
        return _DEMO_BACKEND[self]


_DEMO_BACKEND = {
    DemoDialect.MEDUSA: BackendKind.MEDUSA,
    DemoDialect.CHEC: BackendKind.CHEC,
    DemoDialect.ELASTICPATH: BackendKind.ELASTICPATH,
}


class AuthMethod(StrEnum):
    PASSWORD = "password"  # admin email + password, signed in for a session token
    API_KEY = "api_key"  # a secret API key
    CLIENT_CREDENTIALS = "client_credentials"  # OAuth client id (profile) + secret (keyring)


class StoreProfile(DomainModel):
    name: str
    backend: BackendKind
    # Set for the built-in demo stores (never saved): which dialect's server to start in-process.
    demo: DemoDialect | None = None
    url: str = ""
    email: str | None = None
    client_id: str | None = None
    auth: AuthMethod = AuthMethod.PASSWORD
    # The country of phone numbers written without one ("0690 5108941"); None: guessed
    # from the customers' addresses.
    phone_country: str | None = None
    # Plain http:// to a host other than this computer: refused unless explicitly allowed.
    allow_insecure_http: bool = False

    @model_validator(mode="before")
    @classmethod
    def _legacy_demo_kind(cls, data: Any) -> Any:
        # Older versions named the demo dialects as backend kinds ("backend": "demo-chec").
        if isinstance(data, dict) and data.get("backend") in set(DemoDialect):
            dialect = DemoDialect(data["backend"])
            return {**data, "backend": dialect.backend, "demo": dialect}
        return data

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        if not PROFILE_NAME.match(value):
            raise ValueError("use letters, digits, space, '.', '_' or '-' (at most 64)")
        return value

    @field_validator("url")
    @classmethod
    def _valid_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("the URL must start with http:// or https://")
        if "@" in urlsplit(value).netloc:
            # stores.json is not a secret store: the keyring is (and a URL gets logged).
            raise ValueError(
                "the URL must not contain a user name or password; the secret is asked "
                "for separately and kept in the system keyring"
            )
        return value

    @field_validator("phone_country")
    @classmethod
    def _valid_country(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        if not is_known_region(value.strip()):
            raise ValueError(f"{value!r} is no country code with phone numbers (like DE, GB)")
        return value.strip().upper()

    @property
    def plaintext_warning(self) -> str | None:
        """Why this store's traffic is readable on the way, or None (https, or this computer)."""
        parts = urlsplit(self.url)
        if parts.scheme != "http" or _is_loopback(parts.hostname or ""):
            return None
        return (
            f"Plain http:// to {parts.hostname}: the password and access tokens travel unencrypted."
        )

    def check_transport(self) -> None:
        """Refuse plain http:// to another computer unless the profile explicitly allows it."""
        warning = self.plaintext_warning
        if warning is not None and not self.allow_insecure_http:
            raise ConfigurationError(
                f"{warning} Use https://, or allow it explicitly "
                "(merchant-desk store add … --allow-insecure-http)."
            )

    @property
    def is_demo(self) -> bool:
        return self.demo is not None


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# Built-in profiles: their names are the dialects' values ("demo", "demo-chec", "demo-ep").
DEMO_PROFILES = {
    dialect.value: StoreProfile(name=dialect.value, backend=dialect.backend, demo=dialect)
    for dialect in DemoDialect
}
DEMO_PROFILE = DEMO_PROFILES[DEMO_STORE]


class ProfileFile(DomainModel):
    version: int = 1
    default: str | None = None
    stores: list[StoreProfile] = Field(default_factory=list)


class ProfileRepository:
    """`stores.json` in the config dir, written atomically (write + rename)."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def _read(self) -> ProfileFile:
        try:
            raw = self._path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ProfileFile()
        except OSError as exc:
            raise ConfigurationError(f"Cannot read {self._path}: {exc.strerror}") from exc
        try:
            return ProfileFile.model_validate_json(raw)
        except ValidationError as exc:
            why = exc.errors()[0]["msg"] if exc.errors() else "unreadable"
            raise ConfigurationError(
                f"The store list {self._path} is damaged ({why}); fix or remove it."
            ) from exc

    def _write(self, data: ProfileFile) -> None:
        # Saved profiles are never demos: `demo` stays out, so the file reads as before.
        dumped = data.model_dump(mode="json", exclude={"stores": {"__all__": {"demo"}}})
        write_atomically(self._path, dumped)

    def list(self) -> list[StoreProfile]:
        return list(self._read().stores)

    def default_name(self) -> str | None:
        data = self._read()
        if data.default and any(s.name == data.default for s in data.stores):
            return data.default
        return data.stores[0].name if data.stores else None

    def get(self, name: str | None) -> StoreProfile:
        """The named profile; with None, the default one, or the demo store when none exist."""
        if name is None:
            name = self.default_name()
            if name is None:
                return DEMO_PROFILE
        if name in DEMO_PROFILES:
            return DEMO_PROFILES[name]
        for profile in self._read().stores:
            if profile.name == name:
                return profile
        raise ConfigurationError(f"No store named '{name}'. See 'merchant-desk store list'.")

    def save(self, profile: StoreProfile, *, make_default: bool = False) -> None:
        if profile.name in DEMO_PROFILES or profile.is_demo:
            raise ConfigurationError(f"'{profile.name}' is a built-in demo store.")
        data = self._read()
        stores = [s for s in data.stores if s.name != profile.name] + [profile]
        default = profile.name if make_default or data.default is None else data.default
        self._write(ProfileFile(default=default, stores=stores))

    def remove(self, name: str) -> None:
        data = self._read()
        stores = [s for s in data.stores if s.name != name]
        if len(stores) == len(data.stores):
            raise ConfigurationError(f"No store named '{name}'.")
        default = data.default if data.default != name else None
        self._write(ProfileFile(default=default, stores=stores))
