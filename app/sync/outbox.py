"""The outbox: customer and address edits made offline, replayed in order when back online.

Each entry keeps the patch and the values it was based on. Before sending, replay reads
the server's current record: a field someone else changed meanwhile (theirs differs from
the base and from mine) is a conflict, and the entry waits for the user's choice; later
entries for the same customer wait behind it. Medusa's updates set fields to values, so
re-sending an entry after a crash between send and bookkeeping changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import JsonValue

from app.backends.protocols import (
    Backend,
    SupportsAddresses,
    SupportsCustomerDirectory,
    SupportsCustomerWrite,
)
from app.cache import MirrorRepository, MirrorStore, OutboxEntry
from app.domain.customer import Address, Customer
from app.domain.errors import (
    AppError,
    ConnectionFailedError,
    NotFoundError,
    UnsupportedOperationError,
)
from app.domain.patch import AddressPatch, CustomerPatch, MetadataPatch

CUSTOMER_UPDATE = "customer_update"
ADDRESS_UPDATE = "address_update"
Choice = Literal["mine", "theirs"]


@dataclass(frozen=True, slots=True)
class FieldConflict:
    field: str  # a patch field, or "metadata.<key>"
    base: Any  # the value the edit was made on
    mine: Any
    theirs: Any  # the server's value now


@dataclass(frozen=True, slots=True)
class Conflict:
    seq: int
    kind: str
    customer_id: str
    address_id: str | None
    fields: tuple[FieldConflict, ...]
    unchanged: dict[str, Any]  # my other changes, which do not conflict
    label: str = ""


@dataclass
class ReplayReport:
    sent: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    failed: list[tuple[OutboxEntry, AppError]] = field(default_factory=list)
    offline: bool = False  # the backend went away during the replay; the rest waits


# --- patches as JSON ---------------------------------------------------------------------


def patch_to_json(patch: CustomerPatch | AddressPatch) -> dict[str, Any]:
    return {
        "fields": patch.changes(),
        "metadata": {"set": patch.metadata.set, "remove": sorted(patch.metadata.remove)},
    }


def customer_patch(data: Mapping[str, Any]) -> CustomerPatch:
    return CustomerPatch(**data["fields"], metadata=_metadata(data))


def address_patch(data: Mapping[str, Any]) -> AddressPatch:
    return AddressPatch(**data["fields"], metadata=_metadata(data))


def _metadata(data: Mapping[str, Any]) -> MetadataPatch:
    meta = data.get("metadata") or {}
    return MetadataPatch(set=meta.get("set", {}), remove=frozenset(meta.get("remove", ())))


def _base(record: Customer | Address, patch: CustomerPatch | AddressPatch) -> dict[str, Any]:
    """The current values of what the patch touches: what the edit was based on."""
    meta_keys = set(patch.metadata.set) | set(patch.metadata.remove)
    base: dict[str, Any] = {
        "fields": {name: getattr(record, name) for name in patch.changes()},
        "metadata": {k: record.metadata.get(k) for k in sorted(meta_keys)},
    }
    if isinstance(record, Customer):
        base["updated_at"] = record.updated_at.isoformat()
    return base


def apply_locally(record: Any, patch: CustomerPatch | AddressPatch) -> Any:
    """What the record looks like with the edit applied (the mirror shows it meanwhile)."""
    metadata: dict[str, JsonValue] = patch.metadata.apply(dict(record.metadata))
    return record.model_copy(update={**patch.changes(), "metadata": metadata})


def find_conflicts(entry: OutboxEntry, current: Customer | Address) -> list[FieldConflict]:
    if isinstance(current, Customer) and entry.base.get("updated_at") == (
        current.updated_at.isoformat()
    ):
        return []  # untouched since the edit (addresses have no version: compare values)
    out: list[FieldConflict] = []
    for name, mine in entry.patch["fields"].items():
        base, theirs = entry.base["fields"].get(name), getattr(current, name)
        if theirs != base and theirs != mine:
            out.append(FieldConflict(name, base, mine, theirs))
    meta = entry.patch.get("metadata") or {}
    for key, mine in [*meta.get("set", {}).items(), *((k, None) for k in meta.get("remove", ()))]:
        base, theirs = entry.base["metadata"].get(key), current.metadata.get(key)
        if theirs != base and theirs != mine:
            out.append(FieldConflict(f"metadata.{key}", base, mine, theirs))
    return out


def merged_patch(entry: OutboxEntry, choices: Mapping[str, Choice]) -> dict[str, Any]:
    """The entry's patch without the fields where the user took theirs."""
    theirs = {name for name, choice in choices.items() if choice == "theirs"}
    fields = {k: v for k, v in entry.patch["fields"].items() if k not in theirs}
    meta = entry.patch.get("metadata") or {}
    return {
        "fields": fields,
        "metadata": {
            "set": {k: v for k, v in meta.get("set", {}).items() if f"metadata.{k}" not in theirs},
            "remove": [k for k in meta.get("remove", ()) if f"metadata.{k}" not in theirs],
        },
    }


class Outbox:
    def __init__(self, backend: Backend, store: MirrorStore) -> None:
        self.backend = backend
        self.store = store

    # --- queueing ----------------------------------------------------------------------

    async def queue_customer_update(self, current: Customer, patch: CustomerPatch) -> Customer:
        """Queue an edit of `current` (the mirror's copy); returns it with the edit applied."""
        await self.store.call(
            MirrorRepository.outbox_add,
            uuid.uuid4().hex,
            CUSTOMER_UPDATE,
            current.id,
            None,
            patch_to_json(patch),
            _base(current, patch),
        )
        edited: Customer = apply_locally(current, patch)
        await self.store.call(MirrorRepository.upsert_customers, [edited])
        return edited

    async def queue_address_update(
        self, customer_id: str, current: Address, patch: AddressPatch
    ) -> Address:
        await self.store.call(
            MirrorRepository.outbox_add,
            uuid.uuid4().hex,
            ADDRESS_UPDATE,
            customer_id,
            current.id,
            patch_to_json(patch),
            _base(current, patch),
        )
        edited: Address = apply_locally(current, patch)
        await self.store.call(MirrorRepository.put_address, edited, customer_id)
        return edited

    async def entries(self) -> list[OutboxEntry]:
        return await self.store.call(MirrorRepository.outbox)

    # --- replay ------------------------------------------------------------------------

    async def replay(self) -> ReplayReport:
        report = ReplayReport()
        blocked: set[str] = set()  # customers with an unresolved conflict: keep their order
        for entry in await self.entries():
            if entry.customer_id in blocked:
                continue
            if entry.state == "conflict":
                blocked.add(entry.customer_id)
                report.conflicts.append(await self._conflict_of(entry))
                continue
            try:
                current = await self._current(entry)
                conflicts = find_conflicts(entry, current)
                if conflicts:
                    await self.store.call(MirrorRepository.outbox_set_state, entry.seq, "conflict")
                    blocked.add(entry.customer_id)
                    report.conflicts.append(self._make_conflict(entry, conflicts))
                    continue
                await self._send(entry, entry.patch)
                report.sent += 1
            except ConnectionFailedError:
                report.offline = True
                return report
            except AppError as exc:
                await self.store.call(
                    MirrorRepository.outbox_set_state, entry.seq, "failed", exc.user_message
                )
                report.failed.append((entry, exc))
        return report

    async def resolve(self, seq: int, choices: Mapping[str, Choice]) -> None:
        """Send the entry with the user's choice per conflicting field (absent: mine)."""
        entry = next((e for e in await self.entries() if e.seq == seq), None)
        if entry is None:
            return
        await self._send(entry, merged_patch(entry, choices))

    async def discard(self, seq: int) -> None:
        """Drop a queued edit (take theirs on everything)."""
        entry = next((e for e in await self.entries() if e.seq == seq), None)
        await self.store.call(MirrorRepository.outbox_set_state, seq, "discarded")
        if entry is not None:
            await self._refresh(entry)

    async def _conflict_of(self, entry: OutboxEntry) -> Conflict:
        current = await self._current(entry)
        return self._make_conflict(entry, find_conflicts(entry, current))

    @staticmethod
    def _make_conflict(entry: OutboxEntry, conflicts: list[FieldConflict]) -> Conflict:
        names = {c.field for c in conflicts}
        unchanged = {k: v for k, v in entry.patch["fields"].items() if k not in names}
        what = "address" if entry.kind == ADDRESS_UPDATE else "customer"
        return Conflict(
            seq=entry.seq,
            kind=entry.kind,
            customer_id=entry.customer_id,
            address_id=entry.address_id,
            fields=tuple(conflicts),
            unchanged=unchanged,
            label=f"Your offline edit of this {what} and a change in the store overlap.",
        )

    async def _current(self, entry: OutboxEntry) -> Customer | Address:
        if entry.kind == ADDRESS_UPDATE:
            for address in await self._addresses().list_addresses(entry.customer_id):
                if address.id == entry.address_id:
                    return address
            raise NotFoundError("This address no longer exists.")
        if not isinstance(self.backend, SupportsCustomerDirectory):
            raise UnsupportedOperationError("This store cannot show customers.")
        return await self.backend.get_customer(entry.customer_id)

    def _addresses(self) -> SupportsAddresses:
        if not isinstance(self.backend, SupportsAddresses):
            raise UnsupportedOperationError("This store cannot keep addresses.")
        return self.backend

    async def _send(self, entry: OutboxEntry, data: dict[str, Any]) -> None:
        if entry.kind == ADDRESS_UPDATE:
            assert entry.address_id is not None
            patch_a = address_patch(data)
            if not patch_a.is_empty():
                await self._addresses().update_address(entry.customer_id, entry.address_id, patch_a)
        else:
            if not isinstance(self.backend, SupportsCustomerWrite):
                raise UnsupportedOperationError("This store cannot edit customers.")
            patch_c = customer_patch(data)
            if not patch_c.is_empty():
                await self.backend.update_customer(entry.customer_id, patch_c)
        # Bookkeeping right after the send: a crash in between re-sends the same values.
        await self.store.call(MirrorRepository.outbox_set_state, entry.seq, "done")
        await self._refresh(entry)

    async def _refresh(self, entry: OutboxEntry) -> None:
        if not isinstance(self.backend, SupportsCustomerDirectory):
            return
        try:
            customer = await self.backend.get_customer(entry.customer_id)
        except AppError:
            return  # the next sync brings it
        await self.store.call(MirrorRepository.upsert_customers, [customer])
