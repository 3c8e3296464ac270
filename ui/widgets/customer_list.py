"""The customer list as keyboard users need it: one tab stop, arrows move by rows.

Qt's table walks cell by cell (Tab, Home/End, Ctrl+End to the bottom-right cell) and so
scrolls the Name column out of view. Here every move lands on a row's Name cell; Enter
asks to open the customer, Escape to go back to the search; End and Ctrl+End ask for the
true last row when more pages wait on the server.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from ui.models.customer_table import Column

Move = QAbstractItemView.CursorAction


class CustomerListView(QTableView):
    openRequested = Signal(QModelIndex)  # Enter on a row
    backRequested = Signal()  # Escape
    endRequested = Signal()  # End/Ctrl+End while the model has more pages

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabKeyNavigation(False)  # Tab leaves the list; arrows move inside it

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.openRequested.emit(self.currentIndex())
            event.accept()
            return
        if key == Qt.Key.Key_Escape:
            self.backRequested.emit()
            event.accept()
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            # The cursor stays on the row; Left/Right only show the columns off screen.
            bar = self.horizontalScrollBar()
            step = bar.pageStep() // 2 or bar.singleStep()
            bar.setValue(bar.value() + (step if key == Qt.Key.Key_Right else -step))
            event.accept()
            return
        if key == Qt.Key.Key_End and self._more_pages():
            self.endRequested.emit()  # the window moves there once the pages are in
            event.accept()
            return
        super().keyPressEvent(event)

    def _more_pages(self) -> bool:
        model = self.model()
        return not bool(getattr(model, "exhausted", True))

    def moveCursor(self, action: Move, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        model = self.model()
        if model.rowCount() == 0:
            return QModelIndex()
        if action == Move.MoveHome:
            row = 0
        elif action == Move.MoveEnd:
            row = model.rowCount() - 1
        elif action in (Move.MoveLeft, Move.MoveRight, Move.MoveNext, Move.MovePrevious):
            row = max(self.currentIndex().row(), 0)
        else:
            row = super().moveCursor(action, modifiers).row()
        return model.index(max(row, 0), self.anchor_column())

    def anchor_column(self) -> int:
        """Name, or the leftmost shown column when staff hid Name."""
        if not self.isColumnHidden(Column.NAME):
            return int(Column.NAME)
        header = self.horizontalHeader()
        for visual in range(header.count()):
            logical = header.logicalIndex(visual)
            if not header.isSectionHidden(logical):
                return logical
        return int(Column.NAME)

    def go_to_row(self, row: int) -> None:
        """Make `row` current (selecting it), with its anchor cell in view."""
        model = self.model()
        if not 0 <= row < model.rowCount():
            return
        index = model.index(row, self.anchor_column())
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def scrollTo(
        self,
        index: QModelIndex | QPersistentModelIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        # Scroll rows into view, never sideways away from the anchor column.
        if index.isValid() and index.column() != self.anchor_column():
            model = self.model()
            index = model.index(index.row(), self.anchor_column())
        super().scrollTo(index, hint)
