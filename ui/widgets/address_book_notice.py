"""The line above an address book that says when the store shows only the default
addresses, and so which actions the tab disables (with the reason as their tooltip)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from app.domain.limitations import Feature, Limitation
from app.services.customers import CustomerService

NOTICE_STYLE = (
    "QLabel#addressBookNotice { background: #e8f0fe; border: 1px solid #a8c0e8; "
    "border-radius: 4px; padding: 4px 8px; }"
)


class AddressBookNotice(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addressBookNotice")
        self.setStyleSheet(NOTICE_STYLE)
        self.setWordWrap(True)
        self.hide()

    def show_for(self, service: CustomerService | None) -> Limitation | None:
        """Show or hide the notice for the open store, as far as it is known now (a
        customer's load finds out); returns the limitation that makes addresses read-only."""
        found = None
        if service is not None and not service.address_book.editable:
            found = service.limitation(Feature.ADDRESS_BOOK)
        self.setText(found.notice if found else "")
        self.setAccessibleName(found.notice if found else "")
        self.setVisible(found is not None)
        return found
