"""Add or edit one address. The dialog saves through a callback and stays open when the
store rejects a field, showing the message beside it.

Its fields, their labels and which are required come from the store's `AddressForm`
(`CustomerService.address_form`): a store shows exactly the fields it has, in its own words,
and what it requires is checked before anything is sent."""

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

from app.domain.address_form import DEFAULT_ADDRESS_FORM, AddressForm
from app.domain.countries import COUNTRIES
from app.domain.customer import Address, AddressDraft
from app.domain.errors import FieldError, ValidationFailedError
from app.domain.patch import AddressPatch
from app.domain.validation import phone_problem, text_problem
from ui.asyncbridge import TaskOwner, attach_owner
from ui.controls.field import CheckedLineEdit
from ui.errors import present_error

SaveAddress = Callable[[AddressDraft | AddressPatch], Awaitable[Address]]

REQUIRED_MARK = " *"


class AddressDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        address: Address | None,
        save: SaveAddress,
        form: AddressForm = DEFAULT_ADDRESS_FORM,
        *,
        defaults: bool = True,
        prefill: dict[str, str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("addressDialog")
        self.setWindowTitle("Edit address" if address else "New address")
        self.tasks = TaskOwner("address dialog", lambda exc: present_error(self, exc))
        attach_owner(self, self.tasks)
        self._address = address
        self._save = save
        self.form = form
        self._defaults = defaults
        self.saved: Address | None = None

        layout_form = QFormLayout()
        self.labels: dict[str, str] = {}  # field -> the label shown (with the required mark)
        self.fields: dict[str, CheckedLineEdit] = {}
        self.country: QComboBox | None = None
        self.country_error = QLabel(self)
        self.country_error.setObjectName("countryError")
        self.country_error.hide()
        for spec in form.fields:
            label = spec.label + (REQUIRED_MARK if spec.required else "")
            self.labels[spec.name] = label
            if spec.name == "country_code":
                self.country = self._country_combo(spec.label)
                layout_form.addRow(label, self.country)
                layout_form.addRow("", self.country_error)
                continue
            check = phone_problem if spec.name == "phone" else text_problem
            field = CheckedLineEdit(spec.name, check, self)
            field.edit.setAccessibleName(spec.label)
            if spec.required:
                field.edit.setPlaceholderText("required")
            self.fields[spec.name] = field
            layout_form.addRow(label, field)
        self.default_shipping = QCheckBox("Default shipping address", self)
        self.default_shipping.setObjectName("defaultShippingCheck")
        self.default_billing = QCheckBox("Default billing address", self)
        self.default_billing.setObjectName("defaultBillingCheck")
        if defaults:
            layout_form.addRow("", self.default_shipping)
            layout_form.addRow("", self.default_billing)
        else:  # the store has no default addresses
            self.default_shipping.hide()
            self.default_billing.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        self.status = QLabel(self)
        self.status.setObjectName("addressStatus")
        layout = QVBoxLayout(self)
        layout.addLayout(layout_form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        # Tab follows the form top to bottom, as the store's form orders its fields.
        chain: list[QWidget] = []
        for spec in form.fields:
            if spec.name != "country_code":
                chain.append(self.fields[spec.name].edit)
            elif self.country is not None:
                chain.append(self.country)
        if defaults:
            chain += [self.default_shipping, self.default_billing]
        chain.append(self.buttons)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        if address is not None:
            self._fill(address)
        elif prefill:
            self._prefill(prefill)
        for field in self.fields.values():
            field.textChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    def _country_combo(self, label: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName("countryCombo")
        combo.setAccessibleName(label)
        combo.addItem("(none)", None)
        for code, cname in COUNTRIES:
            combo.addItem(f"{cname} ({code.upper()})", code)
        combo.currentIndexChanged.connect(lambda *_: self.country_error.hide())
        return combo

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
        if self.country is None:
            return
        index = self.country.findData(code.lower() if code else None)
        self.country.setCurrentIndex(max(index, 0))

    def _values(self) -> dict[str, str | bool | None]:
        """What the form shows: only the store's fields (others stay as they are)."""
        values: dict[str, str | bool | None] = {n: f.value() for n, f in self.fields.items()}
        if self.country is not None:
            values["country_code"] = self.country.currentData()
        if self._defaults:
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
        return self._show_errors(exc.field_errors)

    def _show_errors(self, errors: tuple[FieldError, ...] | list[FieldError]) -> bool:
        shown = True
        for error in errors:
            if error.field in self.fields:
                self.fields[error.field].set_server_error(error.message)
            elif error.field == "country_code" and self.country is not None:
                self.country_error.setText(error.message)
                self.country_error.show()
            else:
                shown = False
        return shown

    def problems(self) -> list[FieldError]:
        """What the store's form refuses in what is entered (required fields left empty;
        on an edit, a required field emptied)."""
        if self._address is None:
            return self.form.draft_problems(self.draft())
        return self.form.patch_problems(self.patch())

    def _on_save(self) -> None:
        change: AddressDraft | AddressPatch
        if problems := self.problems():  # checked here: nothing is sent
            self._show_errors(problems)
            self.status.setText("Fill in the fields marked *.")
            return
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
