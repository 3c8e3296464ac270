"""A customer's address book: add, edit, delete, and choose the default addresses."""

from __future__ import annotations

from collections import Counter

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.controls import visible
from app.domain.countries import country_name
from app.domain.customer import Address, AddressDraft, CustomerSummary, with_address
from app.domain.patch import AddressPatch
from app.mirror.service import MirrorService
from app.services.customers import CustomerService
from ui.asyncbridge import owned_slot
from ui.dialogs.address_dialog import AddressDialog
from ui.dialogs.ask import confirm, finished
from ui.widgets.address_book_notice import AddressBookNotice
from ui.widgets.store_pane import StorePane

ADDRESS_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def describe(address: Address) -> str:
    name = " ".join(p for p in (address.first_name, address.last_name) if p)
    head = " · ".join(p for p in (address.address_name, name, address.company) if p)
    place = ", ".join(
        p
        for p in (
            address.address_1,
            address.address_2,
            address.postal_code,
            address.city,
            address.county,
            address.province,
            country_name(address.country_code),
        )
        if p
    )
    flags = []
    if address.is_default_shipping:
        flags.append("default shipping")
    if address.is_default_billing:
        flags.append("default billing")
    if MirrorService.is_local_address(address.id):
        flags.append("added offline, not yet sent")
    first = head or "(no name)"
    if flags:
        first += "   [" + ", ".join(flags) + "]"
    second = place or "(no street address)"
    if address.phone:
        second += f" · phone {address.phone}"
    # Store data shows its control characters as symbols; the row's own break stays one.
    return f"{visible(first)}\n{visible(second)}"


def usual_country(addresses: list[Address]) -> str | None:
    """The customer's own country: their default shipping address's, else the one most of
    their addresses are in."""
    for address in addresses:
        if address.is_default_shipping and address.country_code:
            return address.country_code.lower()
    codes = Counter(a.country_code.lower() for a in addresses if a.country_code)
    return codes.most_common(1)[0][0] if codes else None


class AddressesTab(StorePane):
    changed = Signal()  # the address book was written

    def __init__(self, service: CustomerService | None, parent: QWidget | None = None) -> None:
        super().__init__("addresses", service, parent)
        self.setObjectName("addressesTab")
        self._customer_id: str | None = None
        self._addresses: list[Address] = []
        self._defaults_supported = True
        self._owner: CustomerSummary | None = None
        self.dialog: AddressDialog | None = None  # the open one; tests reach it here

        self.notice = AddressBookNotice(self)
        self.list = QListWidget(self)
        self.list.setObjectName("addressList")
        self.list.setAccessibleName("Addresses")
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.itemDoubleClicked.connect(lambda *_: self._on_edit())
        self.list.installEventFilter(self)  # Enter edits, Delete deletes
        self.list.currentRowChanged.connect(lambda *_: self._update_buttons())
        self.add_button = QPushButton("Add…", self)
        self.edit_button = QPushButton("Edit…", self)
        self.delete_button = QPushButton("Delete", self)
        self.shipping_button = QPushButton("Set as default shipping", self)
        self.billing_button = QPushButton("Set as default billing", self)
        # Two rows, so the pane fits beside the list in half a 1920 px screen.
        edits, defaults = QHBoxLayout(), QHBoxLayout()
        for row, name, button in [
            (edits, "addAddress", self.add_button),
            (edits, "editAddress", self.edit_button),
            (edits, "deleteAddress", self.delete_button),
            (defaults, "defaultShipping", self.shipping_button),
            (defaults, "defaultBilling", self.billing_button),
        ]:
            button.setObjectName(f"{name}Button")
            row.addWidget(button)
        edits.addStretch(1)
        defaults.addStretch(1)
        self.add_button.clicked.connect(self._on_add)
        self.edit_button.clicked.connect(self._on_edit)
        self.delete_button.clicked.connect(self._on_delete)
        self.shipping_button.clicked.connect(lambda: self._on_set_default("shipping"))
        self.billing_button.clicked.connect(lambda: self._on_set_default("billing"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.list, 1)
        layout.addLayout(edits)
        layout.addLayout(defaults)
        self._update_buttons()

    @property
    def addresses(self) -> list[Address]:
        return list(self._addresses)

    def set_defaults_supported(self, supported: bool) -> None:
        """Stores without default addresses get no default buttons."""
        self._defaults_supported = supported
        self.shipping_button.setVisible(supported)
        self.billing_button.setVisible(supported)

    def set_service(self, service: CustomerService | None) -> None:
        super().set_service(service)
        self.show_addresses(None, [])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and self.current_address() is not None
        ):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._on_edit()
                return True
            if event.key() == Qt.Key.Key_Delete:
                self._on_delete()  # asks first
                return True
        return super().eventFilter(watched, event)

    def show_addresses(
        self,
        customer_id: str | None,
        addresses: list[Address],
        owner: CustomerSummary | None = None,
    ) -> None:
        """`owner`: whose addresses, so a new one starts with their name."""
        self.tasks.cancel_all()
        self._owner = owner
        self._customer_id = customer_id
        self._set(addresses)

    def _set(self, addresses: list[Address]) -> None:
        current = self.current_address()
        self._addresses = list(addresses)
        self.list.clear()
        for address in self._addresses:
            item = QListWidgetItem(describe(address))
            item.setData(ADDRESS_ID_ROLE, address.id)
            self.list.addItem(item)
            if current is not None and address.id == current.id:
                self.list.setCurrentItem(item)
        self._update_buttons()

    def current_address(self) -> Address | None:
        row = self.list.currentRow()
        return self._addresses[row] if 0 <= row < len(self._addresses) else None

    def select(self, address_id: str) -> None:
        for row, address in enumerate(self._addresses):
            if address.id == address_id:
                self.list.setCurrentRow(row)

    def _update_buttons(self) -> None:
        address = self.current_address()
        has = self._customer_id is not None
        # A store that shows only the default addresses cannot change them: add only.
        read_only = self.notice.show_for(self._service)
        editable = address if read_only is None else None
        self.add_button.setEnabled(has)
        self.edit_button.setEnabled(editable is not None)
        self.delete_button.setEnabled(editable is not None)
        self.shipping_button.setEnabled(editable is not None and not editable.is_default_shipping)
        self.billing_button.setEnabled(editable is not None and not editable.is_default_billing)
        reason = read_only.unavailable if read_only is not None else ""
        for button in (
            self.edit_button,
            self.delete_button,
            self.shipping_button,
            self.billing_button,
        ):
            button.setToolTip(reason)

    def _apply(self, saved: Address) -> None:
        """Put the written address in place; a new default clears the old one at once."""
        self._set(with_address(self._addresses, saved))
        self.select(saved.id)
        self.changed.emit()

    async def _write(self, change: AddressDraft | AddressPatch, address_id: str | None) -> Address:
        assert self._customer_id is not None
        if isinstance(change, AddressDraft):
            return await self.service.add_address(self._customer_id, change)
        assert address_id is not None
        return await self.service.update_address(self._customer_id, address_id, change)

    @owned_slot()
    async def _on_add(self) -> None:
        await self._open_dialog(None)

    @owned_slot()
    async def _on_edit(self) -> None:
        address = self.current_address()
        if address is not None and self.edit_button.isEnabled():  # a double-click too
            await self._open_dialog(address)

    async def _new_address_values(self) -> dict[str, str | None]:
        owner = self._owner
        values: dict[str, str | None] = {
            "first_name": owner.first_name if owner else None,
            "last_name": owner.last_name if owner else None,
            "country_code": usual_country(self._addresses),
        }
        if values["country_code"] is None and self._service is not None:
            values["country_code"] = await self._service.usual_country()
        return values

    async def _open_dialog(self, address: Address | None) -> None:
        address_id = address.id if address else None
        prefill = await self._new_address_values() if address is None else None
        if not shiboken6.isValid(self):
            return
        dialog = AddressDialog(
            self,
            address,
            lambda change: self._write(change, address_id),
            self.service.address_form,
            defaults=self._defaults_supported,
            prefill=prefill,
        )
        self.dialog = dialog
        try:
            await finished(dialog)
            if shiboken6.isValid(self) and dialog.saved is not None:
                self._apply(dialog.saved)
        finally:
            if shiboken6.isValid(self):
                self.dialog = None
            if shiboken6.isValid(dialog):
                dialog.deleteLater()

    @owned_slot()
    async def _on_delete(self) -> None:
        address = self.current_address()
        if address is None or self._customer_id is None or not self.delete_button.isEnabled():
            return
        if not await confirm(
            self, "Delete address", f"Delete this address?\n\n{describe(address)}", "Delete"
        ):
            return
        await self.service.delete_address(self._customer_id, address.id)
        if shiboken6.isValid(self):
            self._set([a for a in self._addresses if a.id != address.id])
            self.changed.emit()

    @owned_slot()
    async def _on_set_default(self, which: str) -> None:
        address = self.current_address()
        if address is None or self._customer_id is None:
            return
        patch = (
            AddressPatch(is_default_shipping=True)
            if which == "shipping"
            else AddressPatch(is_default_billing=True)
        )
        saved = await self.service.update_address(self._customer_id, address.id, patch)
        if shiboken6.isValid(self):
            self._apply(saved)
