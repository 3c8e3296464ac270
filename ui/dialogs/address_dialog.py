"""Add or edit one address. The dialog saves through a callback and stays open when the
store rejects a field, showing the message beside it."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable

import shiboken6
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.domain.customer import Address, AddressDraft
from app.domain.errors import ValidationFailedError
from app.domain.patch import AddressPatch
from app.domain.validation import phone_problem
from ui.asyncbridge import TaskOwner, attach_owner
from ui.countries import COUNTRIES
from ui.errors import present_error
from ui.widgets.field import CheckedLineEdit

SaveAddress = Callable[[AddressDraft | AddressPatch], Awaitable[Address]]

TEXT_FIELDS = [
    ("address_name", "Label"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("company", "Company"),
    ("address_1", "Address"),
    ("address_2", "Address line 2"),
    ("postal_code", "Postal code"),
    ("city", "City"),
    ("province", "Province / state"),
    ("phone", "Phone"),
]


class AddressDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        address: Address | None,
        save: SaveAddress,
        *,
        prefill: dict[str, str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("addressDialog")
        self.setWindowTitle("Edit address" if address else "New address")
        self.tasks = TaskOwner("address dialog", lambda exc: present_error(self, exc))
        attach_owner(self, self.tasks)
        self._address = address
        self._save = save
        self.saved: Address | None = None

        form = QFormLayout()
        self.fields: dict[str, CheckedLineEdit] = {}
        for name, label in TEXT_FIELDS:
            field = CheckedLineEdit(name, phone_problem if name == "phone" else None, self)
            field.edit.setAccessibleName(label)
            self.fields[name] = field
            if name == "phone":
                continue
            form.addRow(label, field)
        self.country = QComboBox(self)
        self.country.setObjectName("countryCombo")
        self.country.setAccessibleName("Country")
        self.country.addItem("(none)", None)
        for code, cname in COUNTRIES:
            self.country.addItem(f"{cname} ({code.upper()})", code)
        self.country_error = QLabel(self)
        self.country_error.setObjectName("countryError")
        self.country_error.hide()
        form.addRow("Country", self.country)
        form.addRow("", self.country_error)
        form.addRow("Phone", self.fields["phone"])
        self.default_shipping = QCheckBox("Default shipping address", self)
        self.default_shipping.setObjectName("defaultShippingCheck")
        self.default_billing = QCheckBox("Default billing address", self)
        self.default_billing.setObjectName("defaultBillingCheck")
        form.addRow("", self.default_shipping)
        form.addRow("", self.default_billing)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        self.status = QLabel(self)
        self.status.setObjectName("addressStatus")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        # Tab follows the form top to bottom (Phone is made first but shown last).
        chain: list[QWidget] = [self.fields[name].edit for name, _ in TEXT_FIELDS[:-1]]
        chain += [self.country, self.fields["phone"].edit]
        chain += [self.default_shipping, self.default_billing, self.buttons]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        if address is not None:
            self._fill(address)
        elif prefill:
            self._prefill(prefill)
        for field in self.fields.values():
            field.textChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    def _fill(self, address: Address) -> None:
        for name, field in self.fields.items():
            field.set_value(getattr(address, name))
        self.set_country(address.country_code)
        self.default_shipping.setChecked(address.is_default_shipping)
        self.default_billing.setChecked(address.is_default_billing)

    def _prefill(self, values: dict[str, str | None]) -> None:
        """A new address starts from what is known (the customer's name, their usual
        country); staff change what differs."""
        for name, value in values.items():
            if name in self.fields:
                self.fields[name].set_value(value)
        if values.get("country_code"):
            self.set_country(values["country_code"])

    def set_country(self, code: str | None) -> None:
        index = self.country.findData(code.lower() if code else None)
        self.country.setCurrentIndex(max(index, 0))

    def _values(self) -> dict[str, str | bool | None]:
        values: dict[str, str | bool | None] = {n: f.value() for n, f in self.fields.items()}
        values["country_code"] = self.country.currentData()
        values["is_default_shipping"] = self.default_shipping.isChecked()
        values["is_default_billing"] = self.default_billing.isChecked()
        return values

    def draft(self) -> AddressDraft:
        return AddressDraft.model_validate(self._values())

    def patch(self) -> AddressPatch:
        assert self._address is not None
        changed = {k: v for k, v in self._values().items() if getattr(self._address, k) != v}
        return AddressPatch.model_validate(changed)

    def _update_buttons(self) -> None:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(
            not any(f.has_error() for f in self.fields.values()) and not self.tasks.busy
        )

    def show_field_errors(self, exc: ValidationFailedError) -> bool:
        shown = True
        for error in exc.field_errors:
            if error.field in self.fields:
                self.fields[error.field].set_server_error(error.message)
            elif error.field == "country_code":
                self.country_error.setText(error.message)
                self.country_error.show()
            else:
                shown = False
        return shown

    def _on_save(self) -> None:
        change: AddressDraft | AddressPatch
        if self._address is None:
            change = self.draft()
        else:
            change = self.patch()
            if change.is_empty():  # nothing changed: nothing to send
                self.reject()
                return
        self.tasks.run(self._save_async(change))

    async def _save_async(self, change: AddressDraft | AddressPatch) -> None:
        self.buttons.setEnabled(False)
        self.status.setText("Saving…")
        try:
            saved = await self._save(change)
        finally:
            if shiboken6.isValid(self):
                self.buttons.setEnabled(True)
                self.status.setText("")
        if shiboken6.isValid(self):
            self.saved = saved
            self.accept()

    def done(self, result: int) -> None:
        self.tasks.cancel_all()
        super().done(result)
