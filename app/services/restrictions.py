"""What a store turned out not to do, found by the store doctor and kept per store profile.

An adapter declares what its backend can do; a particular shop may still refuse a sort or
ignore a filter (an older server, a plan without the feature). The doctor records that
here and `CustomerService` masks it, so the desk disables what this shop refuses.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, ValidationError

from app.domain.base import DomainModel
from app.domain.capabilities import Capability
from app.domain.errors import ConfigurationError
from app.domain.query import SortField


@dataclass(frozen=True, slots=True)
class Restrictions:
    removed: Capability = field(default_factory=lambda: Capability(0))
    unsortable: frozenset[SortField] = field(default_factory=frozenset)

    def apply(self, capabilities: Capability) -> Capability:
        return capabilities & ~self.removed

    def sortable(self, fields: frozenset[SortField]) -> frozenset[SortField]:
        return fields - self.unsortable

    def __bool__(self) -> bool:
        return bool(self.removed) or bool(self.unsortable)


NONE = Restrictions()


class _Entry(DomainModel):
    identity: str  # the profile's backend and address: a re-pointed profile starts afresh
    removed: list[str] = Field(default_factory=list)
    unsortable: list[SortField] = Field(default_factory=list)


class _File(DomainModel):
    version: int = 1
    stores: dict[str, _Entry] = Field(default_factory=dict)


class RestrictionStore:
    """`capabilities.json` in the config dir, written atomically (write + rename)."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def _read(self) -> _File:
        try:
            return _File.model_validate_json(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return _File()
        except (OSError, ValidationError):
            # Only a cache of the doctor's findings: a damaged file means "nothing known".
            return _File()

    def get(self, store: str, identity: str) -> Restrictions:
        entry = self._read().stores.get(store)
        if entry is None or entry.identity != identity:
            return NONE
        removed = Capability(0)
        for name in entry.removed:
            member = Capability.__members__.get(name.upper())
            if member is not None:
                removed |= member
        return Restrictions(removed, frozenset(entry.unsortable))

    def save(self, store: str, identity: str, restrictions: Restrictions) -> None:
        data = self._read()
        stores = dict(data.stores)
        if restrictions:
            stores[store] = _Entry(
                identity=identity,
                removed=restrictions.removed.names(),
                unsortable=sorted(restrictions.unsortable),
            )
        else:
            stores.pop(store, None)
        self._write(_File(stores=stores))

    def forget(self, store: str) -> None:
        data = self._read()
        if store in data.stores:
            self._write(_File(stores={k: v for k, v in data.stores.items() if k != store}))

    def _write(self, data: _File) -> None:
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data.model_dump(mode="json"), indent=2), encoding="utf-8")
            os.chmod(tmp, 0o600)
            tmp.replace(self._path)
        except OSError as exc:
            raise ConfigurationError(f"Cannot write {self._path}: {exc.strerror}") from exc
