"""What happened to a customer through this desk, as the mirror's `activity` table keeps it.

A write the store accepted (sent at once, or replayed from the outbox) records what it
changed (field: old → new), by whom (the store profile's staff account) and when; a token
issued records when and by whom, never the token. The mirror also records the payment and
fulfilment transitions it notices between two reads of an order. A refused write records
nothing: only what the store holds is history.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, JsonValue

from app.domain.base import DomainModel
from app.domain.timeline import EventKind
from app.domain.token import TokenIssuance, TokenKind

# Values longer than this are cut in the record: a timeline line, not a copy of the data.
MAX_VALUE_LENGTH = 200


class FieldChange(DomainModel):
    field: str  # "phone", "metadata.tier", "address", "groups", "payment_status"
    old: JsonValue = None
    new: JsonValue = None


class Activity(DomainModel):
    kind: EventKind  # change, token, payment or fulfilment
    customer_id: str
    at: AwareDatetime
    actor: str | None = None  # the staff account; None for what the store did itself
    summary: str  # one line: "Changed email, phone"
    changes: tuple[FieldChange, ...] = ()
    ref: str | None = None  # an order id (payment, fulfilment), an address id


def _plain(value: Any) -> JsonValue:
    """A value as the record keeps it: JSON, and short."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= MAX_VALUE_LENGTH else text[: MAX_VALUE_LENGTH - 1] + "…"


def edit_changes(
    old_fields: Mapping[str, Any],
    new_fields: Mapping[str, Any],
    old_metadata: Mapping[str, Any] | None = None,
    metadata_set: Mapping[str, Any] | None = None,
    metadata_removed: frozenset[str] | list[str] = frozenset(),
    *,
    prefix: str = "",
) -> tuple[FieldChange, ...]:
    """Each field the edit set and each metadata key it set or removed, with the value it
    had before (None where unknown or empty); fields set to what they were are left out."""
    old_meta = old_metadata or {}
    out = [
        FieldChange(field=prefix + name, old=_plain(old_fields.get(name)), new=_plain(new))
        for name, new in new_fields.items()
        if old_fields.get(name) != new or name not in old_fields
    ]
    for key, new in (metadata_set or {}).items():
        if old_meta.get(key) != new or key not in old_meta:
            out.append(
                FieldChange(
                    field=f"{prefix}metadata.{key}", old=_plain(old_meta.get(key)), new=_plain(new)
                )
            )
    out.extend(
        FieldChange(field=f"{prefix}metadata.{key}", old=_plain(old_meta.get(key)), new=None)
        for key in sorted(metadata_removed)
    )
    return tuple(out)


def address_line(values: Mapping[str, Any]) -> str:
    """An address in one line, from its fields (an `Address`'s, a draft's, a base's)."""
    parts = [values.get(k) for k in ("address_1", "city", "postal_code")]
    parts.append(str(values.get("country_code") or "").upper())
    return ", ".join(str(p) for p in parts if p) or "(no street or city)"


def customer_edit(
    customer_id: str,
    changes: tuple[FieldChange, ...],
    actor: str | None,
    at: datetime,
    *,
    what: str = "",
    ref: str | None = None,
    queued: bool = False,
) -> Activity:
    """An edit the store accepted: "Changed email, phone" / "Changed address: city"."""
    names = ", ".join(c.field.removeprefix("address.") for c in changes)
    summary = f"Changed {what}{': ' if what and names else ''}{names}" if names else "Saved"
    if queued:
        summary += " (made offline, sent when back online)"
    return Activity(
        kind=EventKind.CHANGE,
        customer_id=customer_id,
        at=at,
        actor=actor,
        summary=summary,
        changes=changes,
        ref=ref,
    )


def address_added_or_removed(
    customer_id: str,
    values: Mapping[str, Any],
    actor: str | None,
    at: datetime,
    *,
    added: bool,
    ref: str | None = None,
    queued: bool = False,
) -> Activity:
    line = address_line(values)
    change = FieldChange(field="address", **{"new" if added else "old": line})
    summary = ("Added address " if added else "Removed address ") + _plain_text(line)
    if queued:
        summary += " (made offline, sent when back online)"
    return Activity(
        kind=EventKind.CHANGE,
        customer_id=customer_id,
        at=at,
        actor=actor,
        summary=summary,
        changes=(change,),
        ref=ref,
    )


def _plain_text(text: str) -> str:
    value = _plain(text)
    return value if isinstance(value, str) else ""


_TOKEN_WORDS = {
    TokenKind.PASSWORD_RESET_EMAIL: "Password reset email sent",
    TokenKind.LOGIN_LINK_EMAIL: "Login link emailed",
    TokenKind.CUSTOMER_TOKEN: "Login token issued to staff",
}


def token_activity(issuance: TokenIssuance, actor: str | None) -> Activity:
    """The record of a token issued: what kind, to where, for how long, by whom. Built
    from the fields that carry no secret (never `secret`, nor the store's message)."""
    summary = _TOKEN_WORDS.get(issuance.kind, "Token issued")
    if issuance.delivered_to:
        summary += f" to {issuance.delivered_to}"
    changes: tuple[FieldChange, ...] = ()
    if issuance.valid_for is not None:
        minutes = int(issuance.valid_for.total_seconds() // 60)
        span = f"{minutes // 60} h" if minutes >= 60 and minutes % 60 == 0 else f"{minutes} min"
        changes = (FieldChange(field="valid for", new=span),)
    return Activity(
        kind=EventKind.TOKEN,
        customer_id=issuance.customer_id,
        at=issuance.issued_at,
        actor=actor,
        summary=summary,
        changes=changes,
    )
