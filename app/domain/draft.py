"""Unsaved edits in the customer editor, kept in the mirror so a crash loses nothing."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from app.domain.base import DomainModel


class EditorDraft(DomainModel):
    customer_id: str | None = None  # None: a new customer
    name: str = ""  # how staff are asked about it ("Changes to Ada Lovelace")
    fields: dict[str, str | None] = {}
    metadata: dict[str, str] = {}

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_json(cls, data: object) -> EditorDraft | None:
        """The draft saved as `data`, or None when it is not one (written by another
        version, or damaged): such a draft is not offered."""
        try:
            return cls.model_validate(data)
        except ValidationError:
            return None
