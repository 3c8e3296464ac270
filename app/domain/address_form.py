"""Which address fields a store has, which it requires, and what it calls them.

A backend declares its `AddressForm`; the address dialog and the CLI build their fields
from it and check input against it before anything is sent, so a store's refusal ("county
is required") is caught at the desk. Stores that declare nothing get `DEFAULT_ADDRESS_FORM`:
every field the desk knew before per-store forms, none required.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.customer import AddressDraft
from app.domain.errors import FieldError
from app.domain.patch import UNSET, AddressPatch

# The desk's own names, for messages about a field a store does not have.
GENERIC_LABELS: Mapping[str, str] = {
    "address_name": "Label",
    "first_name": "First name",
    "last_name": "Last name",
    "company": "Company",
    "address_1": "Address",
    "address_2": "Address line 2",
    "postal_code": "Postal code",
    "city": "City",
    "county": "County",
    "province": "Province / state",
    "country_code": "Country",
    "phone": "Phone",
}


@dataclass(frozen=True, slots=True)
class AddressField:
    name: str  # an `Address` attribute
    label: str  # the store's own word for it
    required: bool = False


@dataclass(frozen=True, slots=True)
class AddressForm:
    fields: tuple[AddressField, ...]

    def __post_init__(self) -> None:
        unknown = [f.name for f in self.fields if f.name not in GENERIC_LABELS]
        if unknown:
            raise ValueError(f"not address fields: {unknown}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def get(self, name: str) -> AddressField | None:
        return next((f for f in self.fields if f.name == name), None)

    def label(self, name: str) -> str:
        found = self.get(name)
        return found.label if found else GENERIC_LABELS.get(name, name)

    def required_message(self, name: str) -> str:
        return f"{self.label(name)} is required by this store."

    def _unknown(self, values: Mapping[str, Any]) -> list[FieldError]:
        return [
            FieldError(name, f"This store's addresses have no {GENERIC_LABELS[name].lower()}.")
            for name in GENERIC_LABELS
            if name not in self.names and values.get(name) not in (None, "", UNSET)
        ]

    def _problems(self, values: Mapping[str, Any]) -> list[FieldError]:
        """`values`: the fields given (a draft gives all, a patch those it changes)."""
        errors = self._unknown(values)
        errors.extend(
            FieldError(f.name, self.required_message(f.name))
            for f in self.fields
            if f.required and f.name in values and not _filled(values[f.name])
        )
        return errors

    def draft_problems(self, draft: AddressDraft) -> list[FieldError]:
        """Fields this store lacks but the draft fills, and required fields left empty."""
        return self._problems(draft.model_dump())

    def patch_problems(self, patch: AddressPatch) -> list[FieldError]:
        """Fields this store lacks but the patch sets, and required fields it clears."""
        return self._problems(patch.changes())


def _filled(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


DEFAULT_ADDRESS_FORM = AddressForm(
    tuple(AddressField(name, label) for name, label in GENERIC_LABELS.items() if name != "county")
)
