"""Editable key/value rows for a customer's metadata, turned into a `MetadataPatch`.

Values that are not strings (numbers, lists, objects) are shown as JSON; an edited
value is sent as JSON when it parses as such and the original was not a string,
otherwise as the text typed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import JsonValue
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.domain.controls import visible
from app.domain.note import ordinary_metadata
from app.domain.patch import MetadataPatch

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # never modified, so a shared default is safe
TITLES = ["Key", "Value"]


def _text(value: JsonValue) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


@dataclass
class _Row:
    key: str
    text: str


class MetadataTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._original: dict[str, JsonValue] = {}
        self._rows: list[_Row] = []

    def load(self, metadata: dict[str, JsonValue]) -> None:
        """Show the metadata staff edit: reserved keys (staff notes) are left out, so no
        patch from this table can touch them."""
        self.beginResetModel()
        self._original = ordinary_metadata(metadata)
        self._rows = [_Row(k, _text(v)) for k, v in sorted(self._original.items())]
        self.endResetModel()

    def set_rows(self, rows: dict[str, str]) -> None:
        """Show `rows` (key -> text) as the edited state, against the same original."""
        self.beginResetModel()
        self._rows = [_Row(k, v) for k, v in rows.items()]
        self.endResetModel()

    def add_row(self, key: str = "", text: str = "") -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(_Row(key, text))
        self.endInsertRows()
        return row

    def remove_rows(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._rows):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()

    def current(self) -> dict[str, str]:
        return {r.key.strip(): r.text for r in self._rows if r.key.strip()}

    def duplicate_keys(self) -> list[str]:
        keys = [r.key.strip() for r in self._rows if r.key.strip()]
        return sorted({k for k in keys if keys.count(k) > 1})

    def patch(self) -> MetadataPatch:
        current = self.current()
        changed: dict[str, JsonValue] = {}
        for key, text in current.items():
            if key in self._original and _text(self._original[key]) == text:
                continue
            changed[key] = self._parse(key, text)
        removed = frozenset(k for k in self._original if k not in current)
        return MetadataPatch(set=changed, remove=removed)

    def _parse(self, key: str, text: str) -> JsonValue:
        was = self._original.get(key)
        if was is not None and not isinstance(was, str):
            try:
                value: JsonValue = json.loads(text)
            except ValueError:
                return text
            return value
        return text

    def is_dirty(self) -> bool:
        return bool(self.patch())

    # --- Qt ----------------------------------------------------------------------------

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else 2

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        text = row.key if index.column() == 0 else row.text
        if role == Qt.ItemDataRole.DisplayRole:
            return visible(text)  # store data: control characters as symbols
        if role == Qt.ItemDataRole.EditRole:
            return text
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self._rows[index.row()]
        if index.column() == 0:
            row.key = str(value).strip()
        else:
            row.text = str(value)
        self.dataChanged.emit(index, index, [role])
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return TITLES[section] if 0 <= section < 2 else None
        return None
