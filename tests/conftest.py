"""Fixtures for every test: an isolated home folder and an in-memory keyring.

No test touches the real user dirs or the OS keyring. Qt is not imported here, so the
unit layer stays Qt-free (tests/ui has its own conftest).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest

pytest_plugins = ["tests.peers.medusa.fixtures"]


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """All config, data, cache and logs of the code under test go here."""
    home = tmp_path / "home"
    monkeypatch.setenv("MERCHANT_DESK_HOME", str(home))
    monkeypatch.delenv("MERCHANT_DESK_SECRET", raising=False)
    return home
