"""What a backend can do, as the UI and CLI ask it ("can this store filter by group?")."""

from enum import Flag, auto


class Capability(Flag):
    CUSTOMER_LIST = auto()
    CUSTOMER_SEARCH = auto()
    SEARCH_BY_PHONE = auto()  # free-text search also matches phone numbers
    SEARCH_BY_COMPANY = auto()
    CUSTOMER_CREATE = auto()
    CUSTOMER_UPDATE = auto()
    CUSTOMER_DELETE = auto()
    FILTER_HAS_ACCOUNT = auto()
    FILTER_GROUP = auto()
    FILTER_EMAIL = auto()
    FILTER_CREATED = auto()
    FILTER_UPDATED = auto()
    SORT = auto()
    CHANGED_SINCE = auto()
    SPLIT_NAMES = auto()
    PHONE = auto()
    COMPANY = auto()
    METADATA = auto()
    ADDRESSES = auto()
    DEFAULT_ADDRESSES = auto()
    GROUPS = auto()
    GROUP_MEMBERSHIP = auto()
    ORDERS = auto()
    PASSWORD_TOKENS = auto()
    # Some customers have no account (guests, staff-created records): no password to reset.
    GUEST_CUSTOMERS = auto()
    # Staff notes kept in the customer record (a reserved metadata key), so every desk
    # sees them; without it the desk keeps notes in its local copy only.
    NOTES = auto()

    def names(self) -> list[str]:
        return [c.name.lower() for c in Capability if c in self and c.name]
