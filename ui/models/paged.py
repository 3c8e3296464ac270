"""A table model that appends server pages as the view scrolls (Qt's fetchMore pattern),
or, over a source that reads rows by position, shows every match at once and reads the
rows the view shows (random access).

The model owns its fetch tasks (preemptive names "page" and "window"); `restart()`
cancels them, empties the model and loads the first page again. `data()` never does I/O:
it reads the rows already fetched; in random access a row not read yet shows empty and
asks for its window, read after the paint (so a jump to row 900,000 reads ~one screen,
not the 900,000 rows before it).
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
    QTimer,
    Signal,
)

from app.domain.query import Page
from ui.asyncbridge import TaskOwner

T = TypeVar("T")

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root; never modified, so a shared default is safe
ErrorHandler = Callable[[BaseException], None]
# Rows read around the rows a view asked for in random access: a few screens, so small
# scrolls find their rows already there.
WINDOW_MARGIN = 100
WINDOW_MAX = 600


class PagedTableModel(QAbstractTableModel, Generic[T]):
    loadingChanged = Signal(bool)
    totalChanged = Signal(int)  # -1 while unknown
    pageFailed = Signal(str)
    reachedEnd = Signal()  # fetch_all() loaded the last page

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = TaskOwner(name, self._on_task_error)
        self.on_error: ErrorHandler | None = None
        self._items: list[T | None] = []  # None: a row not read yet (random access)
        # Each row's `key_of` (None where not read), beside `_items`: `row_of_key` finds a
        # row among a million in C (list.index), not in a Python loop.
        self._keys: list[object] = []
        self._next_token: str | None = None
        self._exhausted = True  # nothing to load until restart()
        self._loading = False
        self._failed: str | None = None
        self._total: int | None = None
        self._generation = 0
        self._random_access = False  # this query's rows are read by position
        self._end_wanted = False  # Ctrl+End before the count came: go there once it does
        self._wanted: tuple[int, int] | None = None  # rows asked for, not read yet
        self._reading: tuple[int, int] | None = None  # the window being read

    # --- to implement ------------------------------------------------------------------

    async def load_page(self, token: str | None) -> Page[T]:
        raise NotImplementedError

    def key_of(self, item: T) -> object:
        """What identifies an item (`row_of_key` finds it)."""
        return item

    def reads_positions(self) -> bool:
        """Whether this query's rows can be read by position (`load_window`)."""
        return False

    async def load_window(self, offset: int, size: int, total: int) -> list[T]:
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

    @property
    def random_access(self) -> bool:
        """Every match is a row already; rows are read where the view shows them."""
        return self._random_access

    def item(self, row: int) -> T:
        item = self._items[row]
        if item is None:
            raise LookupError(f"row {row} is not read yet")
        return item

    def loaded(self, row: int) -> T | None:
        """The row's item, None while it is not read yet (or out of range)."""
        return self._items[row] if 0 <= row < len(self._items) else None

    def items(self) -> list[T]:
        """The rows read so far."""
        return [item for item in self._items if item is not None]

    def row_of_key(self, key: object) -> int | None:
        """The row of the item whose `key_of` is `key`, if read."""
        try:
            return self._keys.index(key)
        except ValueError:
            return None

    def restart(self) -> None:
        """Forget the rows and load the first page (cancels a running fetch)."""
        self.tasks.cancel("page")
        self.tasks.cancel("window")
        self._generation += 1
        self.beginResetModel()
        self._items = []
        self._keys = []
        self._next_token = None
        self._exhausted = False
        self._failed = None
        self._forget_positions()
        self._random_access = self.reads_positions()
        self._set_total(None)
        self.endResetModel()
        self._set_loading(False)
        self.fetchMore(QModelIndex())

    def clear(self) -> None:
        self.tasks.cancel("page")
        self.tasks.cancel("window")
        self._generation += 1
        self.beginResetModel()
        self._items = []
        self._keys = []
        self._exhausted = True
        self._failed = None
        self._forget_positions()
        self._random_access = False
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
        """Load every remaining page (Ctrl+End); rowsInserted tells the progress. In
        random access every row is there once the count is: nothing to page through."""
        if self._exhausted or self._failed is not None or self.tasks.closed:
            self.reachedEnd.emit()
            return
        if self._random_access:
            self._end_wanted = True  # the count on its way makes every row
            return
        self._set_loading(True)
        self.tasks.run_latest("page", self._fetch_all(self._generation))

    def stop_loading(self) -> None:
        """Stop fetching (Esc during Ctrl+End); the rows loaded so far stay. Loading ends
        here: a task cancelled before its first step never reaches its own clean-up."""
        self.tasks.cancel("page")
        self._end_wanted = False
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
        if self._exhausted:
            return  # the count came first and made every row (random access)
        if page.items:
            first = len(self._items)
            self.beginInsertRows(QModelIndex(), first, first + len(page.items) - 1)
            self._items.extend(page.items)
            self._keys.extend(self.key_of(item) for item in page.items)
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
        if value is not None and self._random_access:
            self._open_positions(value)

    # --- random access -------------------------------------------------------------------

    def _forget_positions(self) -> None:
        self._end_wanted = False
        self._wanted = None
        self._reading = None

    def _open_positions(self, total: int) -> None:
        """The count is known: every match becomes a row; paging through stops."""
        if not self._exhausted:
            self._exhausted = True  # a page on its way is dropped (see _fetch)
            self._set_loading(False)
        if total > len(self._items):
            self.beginInsertRows(QModelIndex(), len(self._items), total - 1)
            self._keys.extend([None] * (total - len(self._items)))
            self._items.extend([None] * (total - len(self._items)))
            self.endInsertRows()
        if self._end_wanted:
            self._end_wanted = False
            self.reachedEnd.emit()

    def want_row(self, row: int) -> None:
        """A view asked for a row not read yet: read its window once the paint is over
        (the rows one paint asks for make one read)."""
        reading = self._reading
        if reading is not None and reading[0] <= row < reading[1]:
            return  # on its way
        if self._wanted is None:
            self._wanted = (row, row)
            QTimer.singleShot(0, self._read_wanted)
        else:
            lo, hi = self._wanted
            self._wanted = (min(lo, row), max(hi, row))

    def _read_wanted(self) -> None:
        wanted, self._wanted = self._wanted, None
        if wanted is None or self.tasks.closed or self._total is None:
            return
        lo, hi = wanted
        if hi - lo + 1 > WINDOW_MAX:  # a view that asked for rows far apart: the latest
            lo = max(hi - WINDOW_MAX + 1, 0)
        start = max(lo - WINDOW_MARGIN, 0)
        end = min(hi + 1 + WINDOW_MARGIN, len(self._items))
        # Rows already read at either edge need no reading again.
        while start < end and self._items[start] is not None:
            start += 1
        while end > start and self._items[end - 1] is not None:
            end -= 1
        if start >= end:
            return
        self._reading = (start, end)
        # Latest wins: a newer position cancels the read of one scrolled past.
        self.tasks.run_latest("window", self._read_window(self._generation, start, end))

    async def _read_window(self, generation: int, start: int, end: int) -> None:
        try:
            rows = await self.load_window(start, end - start, len(self._items))
        finally:
            if generation == self._generation and self._reading == (start, end):
                self._reading = None
        if generation != self._generation:
            return  # an old query's rows
        end = min(start + len(rows), len(self._items))
        if end <= start:
            return
        self._items[start:end] = rows[: end - start]
        self._keys[start:end] = [self.key_of(item) for item in rows[: end - start]]
        self.dataChanged.emit(self.index(start, 0), self.index(end - 1, self.columnCount() - 1))

    # --- row edits after a write ---------------------------------------------------------

    def replace_row(self, row: int, item: T) -> None:
        self._items[row] = item
        self._keys[row] = self.key_of(item)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._items[row]
        del self._keys[row]
        self.endRemoveRows()
        if self._total is not None:
            self._set_total(max(self._total - 1, 0))

    def insert_first(self, item: T) -> None:
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._items.insert(0, item)
        self._keys.insert(0, self.key_of(item))
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
