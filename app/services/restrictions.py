"""What a store turned out not to do, found by the store doctor and kept per store profile.

An adapter declares what its backend can do; a particular shop may still refuse a sort or
ignore a filter (an older server, a plan without the feature). The doctor records that
here and `CustomerService` masks it, so the desk disables what this shop refuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, ValidationError

from app.domain.base import DomainModel
from app.domain.capabilities import Capability
from app.domain.errors import ConfigurationError
from app.domain.query import CustomerQuery, DateRange, Sort, SortField
from app.services.json_file import write_atomically

# The query field each filter capability governs, and its "not used" value.
_FILTERS: dict[Capability, tuple[str, object]] = {
    Capability.CUSTOMER_SEARCH: ("text", ""),
    Capability.FILTER_HAS_ACCOUNT: ("has_account", None),
    Capability.FILTER_GROUP: ("group_ids", frozenset()),
    Capability.FILTER_EMAIL: ("email", None),
    Capability.FILTER_CREATED: ("created", DateRange()),
    Capability.FILTER_UPDATED: ("updated", DateRange()),
}


@dataclass(frozen=True, slots=True)
class Restrictions:
    removed: Capability = field(default_factory=lambda: Capability(0))
    unsortable: frozenset[SortField] = field(default_factory=frozenset)

    def apply(self, capabilities: Capability) -> Capability:
        return capabilities & ~self.removed

    def sortable(self, fields: frozenset[SortField]) -> frozenset[SortField]:
        return fields - self.unsortable

    def disabled(self) -> list[str]:
        """What the desk stops offering, in words: capabilities, then "sort by <field>"."""
        return self.removed.names() + [f"sort by {f}" for f in sorted(self.unsortable)]

    def __bool__(self) -> bool:
        return bool(self.removed) or bool(self.unsortable)

    def honoured(self, query: CustomerQuery) -> CustomerQuery:
        """`query` without what the shop refuses or ignores (what a view falls back to)."""
        update: dict[str, object] = {
            name: empty for cap, (name, empty) in _FILTERS.items() if cap in self.removed
        }
        if self._refuses_sort(query.sort):
            update["sort"] = Sort()
        return query.model_copy(update=update)

    def refusal(self, query: CustomerQuery) -> str | None:
        """Why the shop cannot answer `query` as asked, or None when it can. A filter the
        shop ignores would otherwise come back as a silently unfiltered list."""
        for capability, (name, empty) in _FILTERS.items():
            if capability in self.removed and getattr(query, name) != empty:
                what = (capability.name or "").lower().replace("_", " ")
                return f"This store does not honour '{what}' (found by a connection check)."
        if self._refuses_sort(query.sort):
            by = query.sort.field
            return f"This store refuses to sort by {by} (found by a connection check)."
        return None

    def _refuses_sort(self, sort: Sort) -> bool:
        if sort == Sort():
            return False  # the default order is what a list without a sort gets
        return sort.field in self.unsortable or Capability.SORT in self.removed


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
        except (OSError, ValidationError):
            # Only a cache of the doctor's findings: missing or damaged means "nothing known".
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
            write_atomically(self._path, data)
        except OSError as exc:
            raise ConfigurationError(f"Cannot write {self._path}: {exc.strerror}") from exc
