"""Staff notes on a customer: what colleagues wrote ("called about #3057, promised a
refund"), each with its author and time.

Notes are merged by `id` (two desks adding at once keep both): a deleted note stays as a
tombstone (`deleted_at`) so that a merge with an older copy does not bring it back.
"""

from pydantic import AwareDatetime, Field

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
