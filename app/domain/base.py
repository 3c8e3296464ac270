"""Base class for domain models: frozen, strict about unknown fields."""

from pydantic import BaseModel, ConfigDict


class DomainModel(BaseModel):
    """Domain models are values: immutable, and a typo in a field name is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")
