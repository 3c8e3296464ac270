"""Money: an exact decimal amount with its currency."""

from decimal import Decimal
from typing import Annotated

from pydantic import Field, field_validator

from app.domain.base import DomainModel

# What a backend may send as an amount or a quantity. Bounded: `1e999999999` is a valid
# JSON number, and formatting it (or int() of it) would hang the app; NaN and Infinity are
# no amounts. A wire model using these turns such an answer into `BadResponseError`.
MAX_AMOUNT = 10**15
MAX_QUANTITY = 10**9
WireAmount = Annotated[Decimal, Field(allow_inf_nan=False, ge=-MAX_AMOUNT, le=MAX_AMOUNT)]
WireMinorAmount = Annotated[int, Field(ge=-MAX_AMOUNT * 100, le=MAX_AMOUNT * 100)]
WireQuantity = Annotated[Decimal, Field(allow_inf_nan=False, ge=0, le=MAX_QUANTITY)]
WireIntQuantity = Annotated[int, Field(ge=0, le=MAX_QUANTITY)]


class Money(DomainModel):
    amount: Decimal
    currency: str  # ISO 4217, upper case

    @field_validator("currency")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    def __str__(self) -> str:
        return f"{self.amount:,.2f} {self.currency}"


# ISO 4217 minor-unit exponents that are not 2 (for stores that send amounts in minor units).
_EXPONENT = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
}


def minor_unit_exponent(currency: str) -> int:
    """How many decimals a currency's minor unit has (JPY 0, EUR 2, KWD 3)."""
    return _EXPONENT.get(currency.upper(), 2)
