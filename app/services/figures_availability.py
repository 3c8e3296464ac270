"""Whether a store's order figures can be shown, and if not, the reason staff read.

Figures, their filters and their sorts come from the mirror's copy of every order: no
backend sorts or filters customers by them. The desk disables those controls with this
reason rather than letting staff pick something that cannot answer.
"""

from __future__ import annotations

from app.domain.capabilities import Capability
from app.services.customers import CustomerService

NO_ORDERS = "This store does not share its orders with Merchant Desk."
NO_MIRROR = (
    "Order figures come from a local copy of the store's orders, which this store does not keep."
)
NO_LISTING = "This store cannot list every order, so Merchant Desk cannot add them up."
NOT_YET = "Order figures work once the local copy of the store's orders is complete."


def figures_unavailable(service: CustomerService | None) -> str | None:
    """None when the order filters and sorts can be answered now, else why not."""
    if service is None:
        return NOT_YET
    if Capability.ORDERS not in service.capabilities:
        return NO_ORDERS
    mirror = service.mirror
    if mirror is None:
        return NO_MIRROR
    if not mirror.lists_orders:
        return NO_LISTING
    # As CustomerService answers order queries: a complete copy of customers and orders
    # (offline too: the copy answers without the store).
    if not (mirror.ready and mirror.orders_mirrored):
        return NOT_YET
    return None
