"""A table model that appends server pages as the view scrolls (Qt's fetchMore pattern).

The model owns its fetch task (preemptive name "page"); `restart()` cancels it, empties
the model and loads the first page again. `data()` never does I/O: it reads the rows
already fetched.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.domain.query import Page
from ui.asyncbridge import TaskOwner

T = TypeVar("T")

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root; never modified, so a shared default is safe
ErrorHandler = Callable[[BaseException], None]


class PagedTableModel(QAbstractTableModel, Generic[T]):
    loadingChanged = Signal(bool)
    totalChanged = Signal(int)  # -1 while unknown
    pageFailed = Signal(str)
    reachedEnd = Signal()  # fetch_all() loaded the last page

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = TaskOwner(name, self._on_task_error)
        self.on_error: ErrorHandler | None = None
        self._items: list[T] = []
        self._next_token: str | None = None
        self._exhausted = True  # nothing to load until restart()
        self._loading = False
        self._failed: str | None = None
        self._total: int | None = None
        self._generation = 0

    # --- to implement ------------------------------------------------------------------

    async def load_page(self, token: str | None) -> Page[T]:
        raise NotImplementedError

    # --- state -------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def total(self) -> int | None:
        """The number of matches the server reported (None when it does not say)."""
        return self._total

    @property
    def failed(self) -> str | None:
        return self._failed

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def item(self, row: int) -> T:
        return self._items[row]

    def items(self) -> list[T]:
        return list(self._items)

    def restart(self) -> None:
        """Forget the rows and load the first page (cancels a running fetch)."""
        self.tasks.cancel("page")
        self._generation += 1
        self.beginResetModel()
        self._items = []
        self._next_token = None
        self._exhausted = False
        self._failed = None
        self._set_total(None)
        self.endResetModel()
        self._set_loading(False)
        self.fetchMore(QModelIndex())

    def clear(self) -> None:
        self.tasks.cancel("page")
        self._generation += 1
        self.beginResetModel()
        self._items = []
        self._exhausted = True
        self._failed = None
        self._set_total(None)
        self.endResetModel()
        self._set_loading(False)

    def retry(self) -> None:
        if self._failed is not None:
            self._failed = None
            self.fetchMore(QModelIndex())

    # --- Qt ----------------------------------------------------------------------------

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._items)

    def canFetchMore(self, parent: Index = ROOT) -> bool:
        if parent.isValid():
            return False
        return not (
            self._exhausted or self._loading or self._failed is not None or self.tasks.closed
        )

    def fetchMore(self, parent: Index = ROOT) -> None:
        if not self.canFetchMore(parent):
            return
        self._set_loading(True)
        self.tasks.run_latest("page", self._fetch(self._generation, self._next_token))

    def fetch_all(self) -> None:
        """Load every remaining page (Ctrl+End); rowsInserted tells the progress."""
        if self._exhausted or self._failed is not None or self.tasks.closed:
            self.reachedEnd.emit()
            return
        self._set_loading(True)
        self.tasks.run_latest("page", self._fetch_all(self._generation))

    def stop_loading(self) -> None:
        """Stop fetching (Esc during Ctrl+End); the rows loaded so far stay. Loading ends
        here: a task cancelled before its first step never reaches its own clean-up."""
        self.tasks.cancel("page")
        self._set_loading(False)

    async def _fetch_all(self, generation: int) -> None:
        # Loading stays on between pages, so the view's own fetchMore cannot cancel this.
        while not self._exhausted and self._failed is None and generation == self._generation:
            await self._fetch(generation, self._next_token, keep_loading=True)
        if generation == self._generation:
            self._set_loading(False)
            self.reachedEnd.emit()

    async def _fetch(self, generation: int, token: str | None, keep_loading: bool = False) -> None:
        try:
            page = await self.load_page(token)
        except asyncio.CancelledError:
            if generation == self._generation:
                self._set_loading(False)
            raise
        except Exception as exc:
            if generation != self._generation:
                return  # an old query's failure: nobody is waiting for it
            self._failed = str(getattr(exc, "user_message", exc))
            self._set_loading(False)
            raise
        if generation != self._generation:
            return  # a restart happened meanwhile; this page belongs to an old query
        if page.items:
            first = len(self._items)
            self.beginInsertRows(QModelIndex(), first, first + len(page.items) - 1)
            self._items.extend(page.items)
            self.endInsertRows()
        self._next_token = page.next_token
        self._exhausted = page.next_token is None or not page.items
        # Later pages carry no total: keep what the first page (or the count) said.
        if page.total is not None:
            self._set_total(page.total)
        elif self._exhausted:
            self._set_total(len(self._items))
        if not keep_loading:
            self._set_loading(False)

    def _on_task_error(self, exc: BaseException) -> None:
        self.pageFailed.emit(self._failed or str(exc))
        if self.on_error is not None:
            self.on_error(exc)

    def _set_loading(self, value: bool) -> None:
        if value != self._loading:
            self._loading = value
            self.loadingChanged.emit(value)

    def _set_total(self, value: int | None) -> None:
        if value != self._total:
            self._total = value
            self.totalChanged.emit(-1 if value is None else value)

    # --- row edits after a write ---------------------------------------------------------

    def replace_row(self, row: int, item: T) -> None:
        self._items[row] = item
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._items[row]
        self.endRemoveRows()
        if self._total is not None:
            self._set_total(max(self._total - 1, 0))

    def insert_first(self, item: T) -> None:
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._items.insert(0, item)
        self.endInsertRows()
        if self._total is not None:
            self._set_total(self._total + 1)

    def header_for(
        self, section: int, orientation: Qt.Orientation, role: int, titles: list[str]
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(titles):
            return titles[section]
        return None
