"""A customer's timeline: what happened, newest first, across kinds."""

from enum import StrEnum

from pydantic import AwareDatetime

from app.domain.base import DomainModel


class EventKind(StrEnum):
    CREATED = "created"  # the customer record was created
    REGISTERED = "registered"  # the customer got an account (signed up)
    ORDER = "order"  # an order was placed
    PAYMENT = "payment"  # an order's payment status changed (where the backend reports it)
    FULFILMENT = "fulfilment"  # an order's fulfilment status changed (ditto)
    NOTE = "note"  # a staff note was written or edited
    CHANGE = "change"  # a change sent from this desk (what changed, by whom)
    TOKEN = "token"  # a password-reset / login token was issued from this desk


class TimelineEvent(DomainModel):
    kind: EventKind
    at: AwareDatetime
    title: str  # one line: "Order #1042 · €120.00 · completed"
    detail: str = ""  # further lines: what changed, the note's text
    actor: str | None = None  # the staff account, for notes, changes and tokens
    ref: str | None = None  # what a click opens: an order id, a note id
