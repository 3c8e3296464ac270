"""Named customer filters staff keep and reuse ("VIP with account, created this year").

Kept per store in the config dir as JSON (no personal data beyond what staff typed).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError

from app.domain.base import DomainModel
from app.domain.errors import ConfigurationError
from app.domain.query import CustomerQuery
from app.services.json_file import write_atomically


class SavedFilter(DomainModel):
    name: str
    query: CustomerQuery


class SavedFilterFile(DomainModel):
    version: int = 1
    filters: dict[str, list[SavedFilter]] = Field(default_factory=dict)  # store -> filters


class SavedFilters:
    def __init__(self, path: Path) -> None:
        self._path = path

    def _read(self) -> SavedFilterFile:
        try:
            return SavedFilterFile.model_validate_json(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return SavedFilterFile()
        except (OSError, ValidationError) as exc:
            raise ConfigurationError(f"The saved filters in {self._path} cannot be read.") from exc

    def _write(self, data: SavedFilterFile) -> None:
        write_atomically(self._path, data)

    def list(self, store: str) -> list[SavedFilter]:
        return sorted(self._read().filters.get(store, []), key=lambda f: f.name.casefold())

    def save(self, store: str, name: str, query: CustomerQuery) -> None:
        name = name.strip()
        if not name:
            raise ConfigurationError("A saved filter needs a name.")
        data = self._read()
        kept = [f for f in data.filters.get(store, []) if f.name != name]
        kept.append(SavedFilter(name=name, query=query))
        self._write(SavedFilterFile(filters={**data.filters, store: kept}))

    def remove(self, store: str, name: str) -> None:
        data = self._read()
        kept = [f for f in data.filters.get(store, []) if f.name != name]
        self._write(SavedFilterFile(filters={**data.filters, store: kept}))

    def forget_store(self, store: str) -> None:
        data = self._read()
        if store in data.filters:
            self._write(
                SavedFilterFile(filters={k: v for k, v in data.filters.items() if k != store})
            )
