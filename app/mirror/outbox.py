"""The outbox: customer and address edits made offline, replayed in order when back online.

Each entry keeps the patch and the values it was based on. Before sending, replay reads
the server's current record: a field someone else changed meanwhile (theirs differs from
the base and from mine) is a conflict, and the entry waits for the user's choice; later
entries for the same customer wait behind it. Medusa's updates set fields to values, so
re-sending an entry after a crash between send and bookkeeping changes nothing.

Notes written offline (`NOTE_WRITE`, one entry per note) never conflict: replay merges the
note into the store's notes by id (`app.backends.notes.MetadataNotes`), and skips it when
the store holds it already, so a replayed note is sent once and never lost.

Addresses added offline get a local id (`LOCAL_ID_PREFIX`) until replay creates them;
editing or deleting such an address amends or drops its queued creation. A creation is
not sent twice: if the store already holds an identical address (a crash after the send),
replay counts it as sent. An address deleted offline that the store changed meanwhile is
a conflict: delete it anyway (mine) or keep the store's (theirs).
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import JsonValue

from app.backends.notes import MetadataNotes, notes_of
from app.backends.protocols import (
    Backend,
    SupportsAddresses,
    SupportsCustomerDirectory,
    SupportsCustomerWrite,
)
from app.domain.activity import (
    Activity,
    address_added_or_removed,
    customer_edit,
    edit_changes,
)
from app.domain.customer import Address, AddressDraft, Customer, with_address
from app.domain.errors import (
    AppError,
    CacheBugError,
    CacheUnavailableError,
    ConnectionFailedError,
    NotEligibleError,
    NotFoundError,
    UnsupportedOperationError,
)
from app.domain.note import Note, contains, merge_notes
from app.domain.patch import AddressPatch, CustomerPatch, MetadataPatch
from app.mirror.outbox_rows import OutboxEntry
from app.mirror.repository import MirrorRepository
from app.mirror.store import MirrorStore

CUSTOMER_UPDATE = "customer_update"
ADDRESS_UPDATE = "address_update"
ADDRESS_CREATE = "address_create"
ADDRESS_DELETE = "address_delete"
NOTE_WRITE = "note_write"  # patch: {"note": the note as JSON}; address_id: the note's id
LOCAL_ID_PREFIX = "local_"
Choice = Literal["mine", "theirs"]
log = logging.getLogger(__name__)


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


KIND_WORDS = {
    CUSTOMER_UPDATE: "change customer",
    ADDRESS_UPDATE: "change address",
    ADDRESS_CREATE: "add address",
    ADDRESS_DELETE: "delete address",
    NOTE_WRITE: "write note on customer",
}


def describe_edit(entry: OutboxEntry) -> str:
    """One line for people: what the queued edit does ("change customer cus_1: phone")."""
    what = KIND_WORDS.get(entry.kind, entry.kind)
    target = entry.customer_id
    if entry.address_id and entry.kind != ADDRESS_CREATE:
        target += f" / {entry.address_id}"
    if entry.kind == NOTE_WRITE:
        return f"{what} {entry.customer_id}"
    if entry.kind == ADDRESS_CREATE:
        names = [k for k, v in (entry.patch.get("draft") or {}).items() if v not in (None, False)]
    else:
        meta = entry.patch.get("metadata") or {}
        names = [
            *entry.patch.get("fields", {}),
            *(f"metadata.{k}" for k in [*meta.get("set", {}), *meta.get("remove", ())]),
        ]
    return f"{what} {target}" + (f": {', '.join(names)}" if names else "")


def replayed_activity(
    entry: OutboxEntry, data: Mapping[str, Any], actor: str | None, at: datetime
) -> Activity | None:
    """The record of a queued edit the store accepted: what it set over what it was
    based on (the fields where staff took the store's value are not in `data`); None
    when nothing was left to send."""
    if entry.kind in (ADDRESS_CREATE, ADDRESS_DELETE):
        added = entry.kind == ADDRESS_CREATE
        values = data["draft"] if added else entry.base.get("fields", {})
        return address_added_or_removed(
            entry.customer_id, values, actor, at, added=added, ref=entry.address_id, queued=True
        )
    meta = data.get("metadata") or {}
    changes = edit_changes(
        entry.base.get("fields", {}),
        data.get("fields", {}),
        entry.base.get("metadata", {}),
        meta.get("set", {}),
        meta.get("remove", []),
        prefix="address." if entry.kind == ADDRESS_UPDATE else "",
    )
    if not changes:
        return None
    what = "address" if entry.kind == ADDRESS_UPDATE else ""
    return customer_edit(
        entry.customer_id, changes, actor, at, what=what, ref=entry.address_id, queued=True
    )


def _note_patch(note: Note) -> dict[str, Any]:
    return {"note": note.model_dump(mode="json")}


def is_local(address_id: str) -> bool:
    """An address added offline, not yet created in the store."""
    return address_id.startswith(LOCAL_ID_PREFIX)


def _address_values(address: Address) -> dict[str, Any]:
    return address.model_dump(mode="json", exclude={"id", "customer_id"})


def _same_as_draft(address: Address, draft: AddressDraft) -> bool:
    return _address_values(address) == draft.model_dump(mode="json")


def deletion_conflicts(entry: OutboxEntry, current: Address) -> list[FieldConflict]:
    """What the store changed in an address deleted offline (mine: deleted, None)."""
    base, now = entry.base["fields"], _address_values(current)
    return [
        FieldConflict(name, base.get(name), None, value)
        for name, value in now.items()
        if value != base.get(name)
    ]


def merged_patch(entry: OutboxEntry, choices: Mapping[str, Choice]) -> dict[str, Any]:
    """The entry's patch without the fields where the user took theirs."""
    theirs = {name for name, choice in choices.items() if choice == "theirs"}
    fields = {k: v for k, v in entry.patch.get("fields", {}).items() if k not in theirs}
    meta = entry.patch.get("metadata") or {}
    return {
        "fields": fields,
        "metadata": {
            "set": {k: v for k, v in meta.get("set", {}).items() if f"metadata.{k}" not in theirs},
            "remove": [k for k in meta.get("remove", ()) if f"metadata.{k}" not in theirs],
        },
    }


class Outbox:
    def __init__(self, backend: Backend, store: MirrorStore, actor: str | None = None) -> None:
        self.backend = backend
        self.store = store
        self.actor = actor  # the staff account the replayed edits are recorded under

    # --- queueing ----------------------------------------------------------------------

    async def queue_customer_update(self, current: Customer, patch: CustomerPatch) -> Customer:
        """Queue an edit of `current` (the mirror's copy); returns it with the edit applied."""
        await self._enqueue(
            CUSTOMER_UPDATE, current.id, None, patch_to_json(patch), _base(current, patch)
        )
        edited: Customer = apply_locally(current, patch)
        await self.store.call(MirrorRepository.upsert_customers, [edited])
        return edited

    async def queue_address_update(
        self, customer_id: str, current: Address, patch: AddressPatch
    ) -> Address:
        await self._enqueue(
            ADDRESS_UPDATE, customer_id, current.id, patch_to_json(patch), _base(current, patch)
        )
        edited: Address = apply_locally(current, patch)
        # Through `with_address`: a default this edit claims is taken from the others.
        await self._show_address(customer_id, edited)
        return edited

    async def queue_address_create(self, customer_id: str, draft: AddressDraft) -> Address:
        """Queue a new address; the mirror shows it (with a local id) until replayed."""
        address = Address(
            id=f"{LOCAL_ID_PREFIX}{uuid.uuid4().hex}", customer_id=customer_id, **dict(draft)
        )
        await self._enqueue(
            ADDRESS_CREATE, customer_id, address.id, {"draft": draft.model_dump(mode="json")}, {}
        )
        await self._show_address(customer_id, address)
        return address

    async def amend_address_create(
        self, customer_id: str, address_id: str, patch: AddressPatch
    ) -> Address:
        """Edit an address added offline: its queued creation takes the edit."""
        entry = await self._creation_of(address_id)
        draft = AddressDraft.model_validate(entry.patch["draft"])
        edited: AddressDraft = apply_locally(draft, patch)
        await self.store.call(
            MirrorRepository.outbox_set_patch, entry.seq, {"draft": edited.model_dump(mode="json")}
        )
        address = Address(id=address_id, customer_id=customer_id, **dict(edited))
        await self._show_address(customer_id, address)
        return address

    async def queue_address_delete(self, customer_id: str, current: Address) -> None:
        """Queue deleting `current`; one added offline simply loses its queued creation."""
        if is_local(current.id):
            entry = await self._creation_of(current.id)
            await self.store.call(MirrorRepository.outbox_set_state, entry.seq, "discarded")
        else:
            await self._enqueue(
                ADDRESS_DELETE, customer_id, current.id, {}, {"fields": _address_values(current)}
            )
        await self.store.call(MirrorRepository.delete_address, current.id)

    async def queue_note(self, customer_id: str, note: Note) -> None:
        """Queue writing `note` (new, edited or a tombstone); the mirror shows it meanwhile.
        A note queued already takes the newer copy rather than queuing a second write."""
        for entry in await self.entries(("pending",)):
            if entry.kind == NOTE_WRITE and entry.address_id == note.id:
                queued = Note.model_validate(entry.patch["note"])
                (winner,) = merge_notes([queued, note])
                await self.store.call(
                    MirrorRepository.outbox_set_patch, entry.seq, _note_patch(winner)
                )
                break
        else:
            await self._enqueue(NOTE_WRITE, customer_id, note.id, _note_patch(note), {})
        await self.store.call(MirrorRepository.merge_notes, customer_id, [note])

    async def queued_notes(self, customer_id: str) -> list[Note]:
        """Notes written offline and not yet in the store (pending or refused)."""
        return [
            Note.model_validate(entry.patch["note"])
            for entry in await self.entries(("pending", "conflict", "failed"))
            if entry.kind == NOTE_WRITE and entry.customer_id == customer_id
        ]

    async def _enqueue(
        self,
        kind: str,
        customer_id: str,
        address_id: str | None,
        patch: dict[str, Any],
        base: dict[str, Any],
    ) -> None:
        await self.store.call(
            MirrorRepository.outbox_add,
            uuid.uuid4().hex,
            kind,
            customer_id,
            address_id,
            patch,
            base,
        )

    async def _creation_of(self, address_id: str) -> OutboxEntry:
        for entry in await self.entries():
            if entry.kind == ADDRESS_CREATE and entry.address_id == address_id:
                return entry
        raise NotFoundError(
            "This address has been saved to the store meanwhile; open the customer again."
        )

    async def _show_address(self, customer_id: str, address: Address) -> None:
        addresses = await self.store.call(MirrorRepository.addresses, customer_id)
        await self.store.call(
            MirrorRepository.replace_addresses, customer_id, with_address(addresses, address)
        )

    async def entries(self, states: tuple[str, ...] = ("pending", "conflict")) -> list[OutboxEntry]:
        return await self.store.call(MirrorRepository.outbox, states)

    async def find(self, seq: int) -> OutboxEntry:
        """A queued edit not yet in the store (pending, conflicting or refused)."""
        for entry in await self.entries(("pending", "conflict", "failed")):
            if entry.seq == seq:
                return entry
        raise NotFoundError(f"No queued edit #{seq} is waiting (sent or discarded already?).")

    async def conflict(self, seq: int) -> Conflict:
        entry = await self.find(seq)
        if entry.state != "conflict":
            raise NotEligibleError(f"Queued edit #{seq} is not waiting for a choice.")
        return await self._conflict_of(entry)

    async def retry(self, seq: int) -> None:
        """Queue a refused edit again; the next replay sends it."""
        entry = await self.find(seq)
        if entry.state != "failed":
            raise NotEligibleError(f"Queued edit #{seq} was not refused; it is sent with the rest.")
        await self.store.call(MirrorRepository.outbox_set_state, seq, "pending")

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
                conflicts = await self._check(entry)
                if conflicts is None:  # nothing left to do (already in the store)
                    await self.store.call(MirrorRepository.outbox_set_state, entry.seq, "done")
                    await self._refresh(entry)
                    continue
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
            except (CacheUnavailableError, CacheBugError):
                raise  # the local copy failed, not the edit: it stays pending, unjudged
            except AppError as exc:
                await self.store.call(
                    MirrorRepository.outbox_set_state, entry.seq, "failed", exc.user_message
                )
                report.failed.append((entry, exc))
        return report

    async def resolve(self, seq: int, choices: Mapping[str, Choice]) -> None:
        """Send the entry with the user's choice per conflicting field (absent: mine)."""
        entry = await self.find(seq)
        if entry.kind == ADDRESS_DELETE and "theirs" in choices.values():
            await self.discard(seq)  # keeping any of their changes keeps the address
            return
        await self._send(entry, merged_patch(entry, choices))

    async def discard(self, seq: int) -> None:
        """Drop a queued edit (take theirs on everything)."""
        entry = await self.find(seq)
        await self.store.call(MirrorRepository.outbox_set_state, seq, "discarded")
        await self._refresh(entry)

    async def _conflict_of(self, entry: OutboxEntry) -> Conflict:
        return self._make_conflict(entry, await self._check(entry) or [])

    async def _check(self, entry: OutboxEntry) -> list[FieldConflict] | None:
        """The entry's conflicts with the store now; None when the store already has it."""
        if entry.kind == NOTE_WRITE:  # merged, never in conflict; sent once
            notes, _ = await MetadataNotes(self.backend).read(entry.customer_id)
            return None if contains(notes, [Note.model_validate(entry.patch["note"])]) else []
        if entry.kind == ADDRESS_CREATE:
            draft = AddressDraft.model_validate(entry.patch["draft"])
            existing = await self._addresses().list_addresses(entry.customer_id)
            return None if any(_same_as_draft(a, draft) for a in existing) else []
        try:
            current = await self._current(entry)
        except NotFoundError:
            if entry.kind == ADDRESS_DELETE:
                return None  # deleted in the store too
            raise
        if entry.kind == ADDRESS_DELETE:
            assert isinstance(current, Address)
            return deletion_conflicts(entry, current)
        return find_conflicts(entry, current)

    @staticmethod
    def _make_conflict(entry: OutboxEntry, conflicts: list[FieldConflict]) -> Conflict:
        names = {c.field for c in conflicts}
        fields = entry.patch.get("fields", {})
        unchanged = {k: v for k, v in fields.items() if k not in names}
        what = "customer" if entry.kind == CUSTOMER_UPDATE else "address"
        label = f"Your offline edit of this {what} and a change in the store overlap."
        if entry.kind == ADDRESS_DELETE:
            label = (
                "You deleted this address offline; the store changed it meanwhile. "
                "Keep mine deletes it; taking any of theirs keeps the address."
            )
        return Conflict(
            seq=entry.seq,
            kind=entry.kind,
            customer_id=entry.customer_id,
            address_id=entry.address_id,
            fields=tuple(conflicts),
            unchanged=unchanged,
            label=label,
        )

    async def _current(self, entry: OutboxEntry) -> Customer | Address:
        if entry.kind in (ADDRESS_UPDATE, ADDRESS_DELETE):
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
        if entry.kind == NOTE_WRITE:
            note = Note.model_validate(data["note"])
            result = await MetadataNotes(self.backend).write(entry.customer_id, [note])
            await self.store.call(MirrorRepository.outbox_set_state, entry.seq, "done")
            await self.store.call(MirrorRepository.merge_notes, entry.customer_id, result.notes)
            if result.customer is not None:
                await self.store.call(MirrorRepository.upsert_customers, [result.customer])
            return
        if entry.kind == ADDRESS_CREATE:
            draft = AddressDraft.model_validate(data["draft"])
            await self._addresses().create_address(entry.customer_id, draft)
        elif entry.kind == ADDRESS_DELETE:
            assert entry.address_id is not None
            with contextlib.suppress(NotFoundError):  # gone already: what was wanted
                await self._addresses().delete_address(entry.customer_id, entry.address_id)
        elif entry.kind == ADDRESS_UPDATE:
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
        await self._record(replayed_activity(entry, data, self.actor, datetime.now(UTC)))
        await self._refresh(entry)

    async def _record(self, activity: Activity | None) -> None:
        if activity is None:
            return
        # The store has the edit: a record the local copy cannot take loses the line in
        # the timeline, never the edit (nor the rest of the replay).
        try:
            await self.store.call(MirrorRepository.add_activity, [activity])
        except (CacheUnavailableError, CacheBugError) as exc:
            log.info("edit sent; its timeline record was not kept: %s", exc)

    async def _refresh(self, entry: OutboxEntry) -> None:
        if not isinstance(self.backend, SupportsCustomerDirectory):
            return
        try:
            customer = await self.backend.get_customer(entry.customer_id)
        except AppError:
            return  # the next sync brings it
        await self.store.call(MirrorRepository.upsert_customers, [customer])
        if entry.kind == NOTE_WRITE:
            with contextlib.suppress(AppError):  # unreadable notes: the store's problem
                await self.store.call(
                    MirrorRepository.merge_notes, entry.customer_id, notes_of(customer)
                )
