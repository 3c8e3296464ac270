"""A customer's staff notes: newest first with author and age; write, edit, delete.

Where they are kept is said at the top (in the store, or on this computer only). A note
written while the store is unreachable is queued and marked so until it is sent. A failed
save keeps the text in the box.
"""

from __future__ import annotations

import html

import shiboken6
from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QShortcut,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.controls import visible
from app.domain.errors import ValidationFailedError
from app.domain.note import Note
from app.services.notes import NotesService
from ui.asyncbridge import TaskOwner, attach_owner, owned_slot
from ui.dialogs.ask import confirm
from ui.errors import present_error
from ui.formatting import local_datetime, relative_time
from ui.theme import mark

Index = QModelIndex | QPersistentModelIndex

NOTE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
NOTE_HTML_ROLE = Qt.ItemDataRole.UserRole + 2
QUEUED_WORDS = "queued offline: sent to the store when it is back"
QUEUED_STATE = "Queued offline on this computer: sent to the store when it is back."
SENT_STATE = "Sent to the store."
PADDING = 6  # px around each note


def note_heading(note: Note, *, queued: bool) -> str:
    parts = [visible(note.author), relative_time(note.created_at)]
    if note.updated_at != note.created_at:
        parts.append(f"edited {relative_time(note.updated_at)}")
    if queued:
        parts.append(QUEUED_WORDS)
    return " · ".join(parts)


def note_html(note: Note, *, queued: bool, muted: str) -> str:
    """The author in bold, its age muted, the text below as written (line breaks kept)."""
    when = [relative_time(note.created_at)]
    if note.updated_at != note.created_at:
        when.append(f"edited {relative_time(note.updated_at)}")
    tail = f" · <i>{QUEUED_WORDS}</i>" if queued else ""
    body = "<br>".join(html.escape(visible(line)) for line in note.body.splitlines())
    return (
        f"<b>{html.escape(visible(note.author))}</b> "
        f"<span style='color:{muted}'>· {html.escape(' · '.join(when))}{tail}</span>"
        f"<div style='margin-top:3px'>{body}</div>"
    )


class NoteDelegate(QStyledItemDelegate):
    """Paints a note's HTML wrapped to the list's width (a plain item cannot mix weights)."""

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(PADDING)
        doc.setHtml(str(index.data(NOTE_HTML_ROLE) or ""))
        doc.setTextWidth(max(option.rect.width(), 120))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        option.text = ""
        # Background, selection and focus as the style draws them; the text is ours.
        widget = option.widget  # the list (initStyleOption fills it from the view)
        widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        doc = self._document(option, index)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            colour = option.palette.color(QPalette.ColorRole.HighlightedText)
            doc.setDefaultStyleSheet(f"body {{ color: {colour.name()}; }}")
            doc.setHtml(str(index.data(NOTE_HTML_ROLE) or ""))
        painter.save()
        painter.translate(option.rect.topLeft())
        doc.drawContents(painter)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()))


class NotesTab(QWidget):
    notesChanged = Signal(str)  # customer id, after a note was written

    def __init__(self, service: NotesService | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notesTab")
        self.tasks = TaskOwner("notes", lambda exc: present_error(self, exc))
        attach_owner(self, self.tasks)
        self._service = service
        self._customer_id: str | None = None
        self._notes: list[Note] = []
        self._queued: frozenset[str] = frozenset()
        self._editing: Note | None = None
        self._writing = False  # one write at a time: a second Ctrl+Enter waits for it

        self.where = QLabel(self)
        self.where.setObjectName("notesWhere")
        self.where.setWordWrap(True)
        mark(self.where, "muted")
        self.list = QListWidget(self)
        self.list.setObjectName("noteList")
        self.list.setAccessibleName("Notes, newest first")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setItemDelegate(NoteDelegate(self.list))
        # Heights follow the width: a narrower list wraps notes onto more lines.
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setUniformItemSizes(False)
        self.list.currentRowChanged.connect(lambda *_: self._update_buttons())
        self.list.itemDoubleClicked.connect(lambda *_: self._on_edit())
        self.list.installEventFilter(self)  # Enter edits, Delete deletes (as for addresses)
        self.empty = QLabel("No notes yet.", self)
        self.empty.setObjectName("notesEmpty")
        mark(self.empty, "muted")

        self.edit_button = QPushButton("&Edit", self)
        self.edit_button.setObjectName("editNoteButton")
        self.edit_button.clicked.connect(self._on_edit)
        self.delete_button = QPushButton("De&lete…", self)
        self.delete_button.setObjectName("deleteNoteButton")
        self.delete_button.clicked.connect(self._on_delete)
        list_row = QHBoxLayout()
        list_row.addStretch(1)
        list_row.addWidget(self.edit_button)
        list_row.addWidget(self.delete_button)

        self.box = QPlainTextEdit(self)
        self.box.setObjectName("noteBox")
        self.box.setAccessibleName("Note text")
        self.box.setPlaceholderText("Write a note for your colleagues… (Ctrl+Enter saves)")
        self.box.setTabChangesFocus(True)
        self.box.setMaximumHeight(110)
        self.box.textChanged.connect(self._update_buttons)
        self.error = QLabel(self)
        self.error.setObjectName("noteError")
        self.error.setWordWrap(True)
        mark(self.error, "error")
        self.error.hide()
        self.state = QLabel(self)
        self.state.setObjectName("noteState")
        # Wraps: the long "Queued offline…" line widened the editor and pushed the list
        # narrower (and it stayed so after the store came back).
        self.state.setWordWrap(True)
        mark(self.state, "muted")
        self.save_button = QPushButton("Add no&te", self)
        self.save_button.setObjectName("saveNoteButton")
        self.save_button.clicked.connect(self._on_save)
        self.cancel_button = QPushButton("Cancel edit", self)
        self.cancel_button.setObjectName("cancelNoteButton")
        self.cancel_button.clicked.connect(self.cancel_edit)
        save_row = QHBoxLayout()
        save_row.addWidget(self.state, 1)
        save_row.addWidget(self.cancel_button)
        save_row.addWidget(self.save_button)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self.box)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self._on_save)

        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(list_row)
        layout.addWidget(self.box)
        layout.addWidget(self.error)
        layout.addLayout(save_row)
        self.set_service(service)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and self.selected() is not None
            and not self._writing
        ):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._on_edit()
                return True
            if event.key() == Qt.Key.Key_Delete:
                self._on_delete()  # asks first
                return True
        return super().eventFilter(watched, event)

    # --- which store, which customer ---------------------------------------------------

    def set_service(self, service: NotesService | None) -> None:
        self._service = service
        self.where.setText(service.storage.notice if service is not None else "")
        self.show_customer(None)
        self._fill([], frozenset(), known=False)

    @property
    def available(self) -> bool:
        return self._service is not None and self._service.available

    def show_customer(self, customer_id: str | None) -> None:
        """Show `customer_id`'s notes; the same customer again (a refreshed record) keeps
        the list and what is typed, and reads the notes anew."""
        if customer_id != self._customer_id:
            self.tasks.cancel_all()
            self._writing = False
            self._editing = None
            self.box.clear()
            self.error.hide()
            self.state.clear()
            self._customer_id = customer_id
            self._fill([], frozenset(), known=False)
        if customer_id is not None and self.available:
            self.reload()

    def reload(self) -> None:
        if self._customer_id is not None and self.available:
            self.tasks.run_latest("load", self._load(self._customer_id))

    async def _load(self, customer_id: str) -> None:
        service = self._need()
        notes = await service.notes(customer_id)
        queued = await service.queued(customer_id)
        if shiboken6.isValid(self) and customer_id == self._customer_id:
            self._fill(notes, queued)

    def _need(self) -> NotesService:
        if self._service is None:
            raise RuntimeError("no store is open")
        return self._service

    def _fill(self, notes: list[Note], queued: frozenset[str], *, known: bool = True) -> None:
        current = self.selected()
        self._notes, self._queued = notes, queued
        self.list.clear()
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        for note in notes:
            waiting = note.id in queued
            # The text for accessibility and copying; the delegate paints the HTML.
            item = QListWidgetItem(f"{note_heading(note, queued=waiting)}\n{note.body}")
            item.setData(NOTE_ID_ROLE, note.id)
            item.setData(NOTE_HTML_ROLE, note_html(note, queued=waiting, muted=muted))
            item.setToolTip(
                f"Written {local_datetime(note.created_at)}"
                + (
                    f", edited {local_datetime(note.updated_at)}"
                    if note.updated_at != note.created_at
                    else ""
                )
            )
            self.list.addItem(item)
            if current is not None and note.id == current.id:
                self.list.setCurrentItem(item)
        # "No notes yet" once they were read: not while loading, nor after a failed read
        # (unknown is not none).
        self.empty.setVisible(known and not notes and self._customer_id is not None)
        if known and self.state.text() == QUEUED_STATE and not queued:
            self.state.setText(SENT_STATE)  # the sync sent it: "queued" would now mislead
        self._update_buttons()

    def selected(self) -> Note | None:
        row = self.list.currentRow()
        if row < 0:
            return None
        note_id = self.list.item(row).data(NOTE_ID_ROLE)
        return next((n for n in self._notes if n.id == note_id), None)

    def _update_buttons(self) -> None:
        has = self._customer_id is not None and self.available
        busy = self._writing
        chosen = self.selected() is not None
        self.edit_button.setEnabled(has and chosen and not busy)
        self.delete_button.setEnabled(has and chosen and not busy)
        self.box.setEnabled(has)
        self.save_button.setEnabled(has and bool(self.box.toPlainText().strip()) and not busy)
        self.save_button.setText("&Save note" if self._editing else "Add no&te")
        self.cancel_button.setVisible(self._editing is not None)

    # --- writing -----------------------------------------------------------------------

    def cancel_edit(self) -> None:
        self._editing = None
        self.box.clear()
        self.error.hide()
        self._update_buttons()

    def show_field_errors(self, exc: ValidationFailedError) -> bool:
        """The note's own problems (empty, too long) beside the box (`FieldErrorSink`)."""
        message = exc.for_field("body")
        if message is None:
            return False
        self.error.setText(message)
        self.error.show()
        return True

    @owned_slot()
    async def _on_edit(self) -> None:
        note = self.selected()
        if note is None:
            return
        self._editing = note
        self.box.setPlainText(note.body)
        self.box.setFocus()
        self._update_buttons()

    @owned_slot()
    async def _on_save(self) -> None:
        customer_id, text = self._customer_id, self.box.toPlainText()
        if customer_id is None or not text.strip() or not self.available or self._writing:
            return
        service = self._need()
        editing = self._editing
        self.error.hide()
        self.state.setText("Saving…")
        self._writing = True
        self._update_buttons()
        try:
            if editing is not None:
                await service.edit(customer_id, editing.id, text)
            else:
                await service.add(customer_id, text)
        except BaseException:
            if shiboken6.isValid(self):
                self.state.clear()  # the text stays in the box; the error says why
            raise
        finally:
            if shiboken6.isValid(self):
                self._writing = False
                self._update_buttons()
        if not shiboken6.isValid(self):
            return
        outcome = service.last_write
        self.state.setText(QUEUED_STATE if outcome.queued else outcome.mirror_problem or "Saved.")
        self._editing = None
        self.box.clear()
        self.notesChanged.emit(customer_id)
        await self._load(customer_id)

    @owned_slot()
    async def _on_delete(self) -> None:
        note, customer_id = self.selected(), self._customer_id
        if note is None or customer_id is None or self._writing:
            return
        first_line = visible(note.body.splitlines()[0] if note.body else "")
        ok = await confirm(
            self,
            "Delete note",
            "Delete this note for everyone who sees this customer?",
            "Delete note",
            informative=f"“{first_line[:120]}” by {visible(note.author)}",
        )
        if not ok or not shiboken6.isValid(self):
            return
        service = self._need()
        self._writing = True
        try:
            await service.delete(customer_id, note.id)
        finally:
            if shiboken6.isValid(self):
                self._writing = False
                self._update_buttons()
        if not shiboken6.isValid(self):
            return
        if self._editing is not None and self._editing.id == note.id:
            self.cancel_edit()
        self.state.setText(
            "Deletion queued offline: sent to the store when it is back."
            if service.last_write.queued
            else "Deleted."
        )
        self.notesChanged.emit(customer_id)
        await self._load(customer_id)
