"""What a store turned out not to do, found while talking to it.

`Capability` is what a backend declares before any request. Some features rest on an
optional call no vendor source documents (Chec's address list): the backend learns at its
first answer (a 404/405) that the call is missing, and rather than failing the customer the
desk degrades the feature and says so. A `Limitation` is that finding, in words staff can
act on; the UI and CLI show it without naming the backend.
"""

from enum import Enum, StrEnum

from app.domain.base import DomainModel


class AddressBook(Enum):
    """How much of a customer's saved addresses the store shows."""

    UNKNOWN = "unknown"  # not asked yet
    LISTED = "listed"  # every saved address: add, edit, delete
    DEFAULTS = "defaults"  # only the default shipping/billing addresses: add only

    @property
    def editable(self) -> bool:
        """Whether shown addresses can be edited or deleted (unknown: assume so)."""
        return self is not AddressBook.DEFAULTS


class Feature(StrEnum):
    ADDRESS_BOOK = "address_book"


class Limitation(DomainModel):
    feature: Feature
    notice: str  # one line: what the desk shows and the CLI prints
    unavailable: str  # why the actions it rules out are disabled (a tooltip)
    status: int | None = None  # the HTTP status that taught it (the doctor reports it)


ADDRESS_BOOK_DEFAULTS_ONLY = Limitation(
    feature=Feature.ADDRESS_BOOK,
    notice=(
        "This store's API lists no address book: shown are each customer's default "
        "shipping and billing addresses only. New addresses can still be added."
    ),
    unavailable=(
        "This store's API lists no address book, so the desk cannot edit or delete "
        "its addresses or change which is the default."
    ),
)
