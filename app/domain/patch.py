"""Partial updates that tell "leave unchanged" from "clear".

Every field of a patch defaults to `UNSET`. `None` means "clear it". Adapters send only
the fields that are set (openai-python's `NotGiven`). Metadata is patched per key: `set`
adds or replaces keys, `remove` deletes them; keys in neither are left as they are.
"""

from enum import Enum
from typing import Any, Final, Literal, TypeAlias

from pydantic import JsonValue, model_validator

from app.domain.base import DomainModel


class _Unset(Enum):
    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> Literal[False]:
        return False


UNSET: Final = _Unset.UNSET
Unset: TypeAlias = Literal[_Unset.UNSET]


class MetadataPatch(DomainModel):
    set: dict[str, JsonValue] = {}
    remove: frozenset[str] = frozenset()

    @model_validator(mode="after")
    def _disjoint(self) -> "MetadataPatch":
        both = self.remove & self.set.keys()
        if both:
            raise ValueError(f"metadata keys both set and removed: {sorted(both)}")
        return self

    def __bool__(self) -> bool:
        return bool(self.set or self.remove)

    def apply(self, current: dict[str, JsonValue]) -> dict[str, JsonValue]:
        merged = {k: v for k, v in current.items() if k not in self.remove}
        merged.update(self.set)
        return merged


class _Patch(DomainModel):
    def changes(self) -> dict[str, Any]:
        """The fields that are set, by name (metadata patches excluded)."""
        return {
            name: value
            for name in type(self).model_fields
            if (value := getattr(self, name)) is not UNSET and name != "metadata"
        }

    def is_empty(self) -> bool:
        meta = getattr(self, "metadata", None)
        return not self.changes() and not meta


class CustomerPatch(_Patch):
    email: str | Unset | None = UNSET
    first_name: str | Unset | None = UNSET
    last_name: str | Unset | None = UNSET
    phone: str | Unset | None = UNSET
    company: str | Unset | None = UNSET
    metadata: MetadataPatch = MetadataPatch()


class AddressPatch(_Patch):
    address_name: str | Unset | None = UNSET
    first_name: str | Unset | None = UNSET
    last_name: str | Unset | None = UNSET
    company: str | Unset | None = UNSET
    address_1: str | Unset | None = UNSET
    address_2: str | Unset | None = UNSET
    city: str | Unset | None = UNSET
    county: str | Unset | None = UNSET
    province: str | Unset | None = UNSET
    postal_code: str | Unset | None = UNSET
    country_code: str | Unset | None = UNSET
    phone: str | Unset | None = UNSET
    is_default_shipping: bool | Unset = UNSET
    is_default_billing: bool | Unset = UNSET
    metadata: MetadataPatch = MetadataPatch()
