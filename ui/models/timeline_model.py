"""A customer's timeline as a table: when (how long ago in the tooltip), what, by whom."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.domain.controls import visible
from app.domain.timeline import EventKind, TimelineEvent
from ui.formatting import local_datetime, relative_time, zone_name

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
EVENT_ROLE = Qt.ItemDataRole.UserRole + 1  # the TimelineEvent
REF_ROLE = Qt.ItemDataRole.UserRole + 2  # what the row opens (an order id), or None

# What staff call each kind, on the filter chips and in the Kind column.
KIND_WORDS = {
    EventKind.CREATED: "Created",
    EventKind.REGISTERED: "Registered",
    EventKind.ORDER: "Order",
    EventKind.PAYMENT: "Payment",
    EventKind.FULFILMENT: "Fulfilment",
    EventKind.NOTE: "Note",
    EventKind.CHANGE: "Change",
    EventKind.TOKEN: "Token",
}
# Rows that open an order (the order dialog) on Enter or double-click.
OPENS_ORDER = frozenset({EventKind.ORDER, EventKind.PAYMENT, EventKind.FULFILMENT})


class TimelineColumn(IntEnum):
    WHEN = 0
    KIND = 1
    EVENT = 2
    BY = 3


class TimelineModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._events: tuple[TimelineEvent, ...] = ()
        self.now: datetime | None = None  # fixed by tests and screenshots; None: the clock

    def set_events(self, events: Sequence[TimelineEvent]) -> None:
        self.beginResetModel()
        self._events = tuple(events)
        self.endResetModel()

    def event_at(self, row: int) -> TimelineEvent | None:
        return self._events[row] if 0 <= row < len(self._events) else None

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(TimelineColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(TimelineColumn):
            return None
        return [f"When ({zone_name()})", "Kind", "What", "By"][section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        event = self.event_at(index.row()) if index.isValid() else None
        if event is None or not 0 <= index.column() < len(TimelineColumn):
            return None
        column = TimelineColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            match column:
                case TimelineColumn.WHEN:
                    # The moment only, as the list and the Orders tab write it: "8 months
                    # ago · " in front took a third of the editor and squeezed What to
                    # "Order #1…". How long ago is in the tooltip.
                    return local_datetime(event.at, labelled=False)
                case TimelineColumn.KIND:
                    return KIND_WORDS[event.kind]
                case TimelineColumn.EVENT:
                    return visible(event.title)
                case TimelineColumn.BY:
                    return visible(event.actor or "")
        if role == Qt.ItemDataRole.ToolTipRole:
            ago = relative_time(event.at, self.now or datetime.now(UTC))
            lines = [
                f"{local_datetime(event.at)} ({ago})",
                visible(event.title),
                visible(event.detail),
            ]
            if event.kind in OPENS_ORDER and event.ref:
                lines.append("Enter or double-click opens the order.")
            return "\n".join(line for line in lines if line)
        if role == EVENT_ROLE:
            return event
        if role == REF_ROLE:
            return event.ref
        return None
