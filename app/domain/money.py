"""Money: an exact decimal amount with its currency."""

from decimal import Decimal

from pydantic import field_validator

from app.domain.base import DomainModel


class Money(DomainModel):
    amount: Decimal
    currency: str  # ISO 4217, upper case

    @field_validator("currency")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    def __str__(self) -> str:
        return f"{self.amount:,.2f} {self.currency}"
