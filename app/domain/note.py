"""Staff notes on a customer: what colleagues wrote ("called about #3057, promised a
refund"), each with its author and time.

Notes are merged by `id` (two desks adding at once keep both): a deleted note stays as a
tombstone (`deleted_at`) so that a merge with an older copy does not bring it back.
"""

import json
from collections.abc import Iterable, Mapping
from enum import StrEnum

from pydantic import AwareDatetime, Field, JsonValue

from app.domain.base import DomainModel

MAX_NOTE_LENGTH = 5000


class Note(DomainModel):
    id: str  # made by the desk that wrote it (uuid4 hex): stable across stores and desks
    body: str = Field(max_length=MAX_NOTE_LENGTH)
    author: str  # the signed-in staff account (email) that wrote or last edited it
    created_at: AwareDatetime
    updated_at: AwareDatetime
    deleted_at: AwareDatetime | None = None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


# --- where notes live and how they merge -----------------------------------------------

# The customer metadata key (Medusa `metadata`, Chec `meta`) holding the notes as JSON
# text. Reserved: hidden from the metadata table and the CLI, refused as ordinary metadata
# (Medusa merges metadata per key and deletes a key sent as "" [Medusa 2.21.2
# @medusajs/utils dist/common/merge-metadata.js], so a plain edit could wipe every note).
NOTES_METADATA_KEY = "merchant_desk_notes"
NOTES_FORMAT = 1
# What the notes of one customer may take in a request body (`request_size`). Medusa takes
# any JSON value per key (`z.record(z.string(), z.unknown())`, @medusajs/medusa
# dist/api/admin/customers/validators.js) into a jsonb column, but its JSON body parser is
# express.json with `limit: options?.sizeLimit` (@medusajs/framework
# dist/http/middlewares/bodyparser.js), unset by default, so body-parser 1.20.9's default
# applies: 102400 bytes (lib/types/json.js). Chec sends `meta` whole: room for its other keys.
MAX_ENCODED_NOTES = 64_000


class NoteStorage(StrEnum):
    """Where a store's notes are kept, as staff are told."""

    STORE = "store"  # in the customer record: every colleague's desk sees them
    LOCAL = "local"  # in this computer's local copy only
    NONE = "none"  # nowhere (no local copy and the store has no place)

    @property
    def notice(self) -> str:
        return {
            NoteStorage.STORE: "Notes are saved in the store.",
            NoteStorage.LOCAL: "Notes are kept on this computer only.",
            NoteStorage.NONE: "Notes need the local copy of this store, which is not open.",
        }[self]


def is_reserved_metadata_key(key: str) -> bool:
    return key == NOTES_METADATA_KEY


def ordinary_metadata(metadata: Mapping[str, JsonValue]) -> dict[str, JsonValue]:
    """The metadata staff see and edit: without the desk's reserved keys."""
    return {k: v for k, v in metadata.items() if not is_reserved_metadata_key(k)}


def newer(a: Note, b: Note) -> Note:
    """Which copy of one note wins: a tombstone over any copy not edited after it, else
    the newest `updated_at`; a tie goes to the tombstone, then to the larger body (so every
    desk picks the same one, whatever the order). A tombstone's body does not count: it is
    not kept (`encode_notes`)."""
    a_key = (a.deleted_at or a.updated_at, a.deleted, a.updated_at, "" if a.deleted else a.body)
    b_key = (b.deleted_at or b.updated_at, b.deleted, b.updated_at, "" if b.deleted else b.body)
    return a if a_key >= b_key else b


def merge_notes(*lists: Iterable[Note]) -> list[Note]:
    """All notes of the lists, one per id (the winner by `newer`), oldest first."""
    by_id: dict[str, Note] = {}
    for notes in lists:
        for note in notes:
            seen = by_id.get(note.id)
            by_id[note.id] = note if seen is None else newer(seen, note)
    return sorted(by_id.values(), key=lambda n: (n.created_at, n.id))


def contains(notes: Iterable[Note], wanted: Iterable[Note]) -> bool:
    """Whether `notes` holds each wanted note, or a copy that beats it (what a write of
    `wanted` is checked by: a concurrent write may have replaced ours)."""
    have = {n.id: n for n in notes}
    for note in wanted:
        found = have.get(note.id)
        if found is None or newer(found, note) is not found:
            return False
    return True


def shown(notes: Iterable[Note]) -> list[Note]:
    """What staff see: no tombstones, newest first."""
    return sorted((n for n in notes if not n.deleted), key=lambda n: n.created_at, reverse=True)


def request_size(value: str) -> int:
    """Bytes the metadata value takes in a JSON request body at most (quotes and
    backslashes escaped once more, non-ASCII escaped as \\uXXXX by strict encoders)."""
    return len(json.dumps(value, ensure_ascii=True))


def encode_notes(notes: Iterable[Note]) -> str:
    """The metadata value: JSON text (a string value survives every store's metadata)."""
    # A tombstone keeps no body: it only has to beat older copies.
    kept = [n.model_copy(update={"body": ""}) if n.deleted else n for n in notes]
    payload = {"v": NOTES_FORMAT, "notes": [n.model_dump(mode="json") for n in kept]}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


class NotesUnreadableError(ValueError):
    """The reserved key holds something this desk did not write (or a newer format)."""


def decode_notes(value: JsonValue | None) -> list[Note]:
    """The notes in a metadata value; none when absent. Raises `NotesUnreadableError` for
    a value that is not notes, so a write never overwrites what it could not read."""
    if value is None or value == "":
        return []
    try:
        data = json.loads(value) if isinstance(value, str) else value
        items = data.get("notes") if isinstance(data, dict) else None
        if not isinstance(data, dict) or not isinstance(items, list):
            raise NotesUnreadableError("not a notes object")
        if data.get("v") != NOTES_FORMAT:
            raise NotesUnreadableError(f"notes format {data.get('v')!r}")
        return [Note.model_validate(item) for item in items]
    except (ValueError, TypeError) as exc:
        if isinstance(exc, NotesUnreadableError):
            raise
        raise NotesUnreadableError(str(exc)) from exc
