"""The customer editor's Details tab: the fields, the metadata table, the save row, and
the errors the store reported for them (shown beside the field they concern).

The form knows nothing of the store: the editor gives it a customer to fill, asks it for
a patch or a draft, and tells it what is busy.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.capabilities import Capability
from app.domain.customer import Customer, CustomerDraft
from app.domain.errors import ValidationFailedError
from app.domain.patch import CustomerPatch
from app.domain.validation import email_problem, phone_problem, text_problem
from ui.controls.field import CheckedLineEdit
from ui.models.metadata_table import MetadataTableModel
from ui.theme import mark

FIELDS = [
    ("email", "Email", email_problem),
    ("first_name", "First name", text_problem),
    ("last_name", "Last name", text_problem),
    ("phone", "Phone", phone_problem),
    ("company", "Company", text_problem),
]


class SaveRow(QWidget):
    """What became of the edits ("Unsaved changes", "Saving…", a problem), Revert, Save."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("saveButton")
        self.save_button.setToolTip("Save the changes (Ctrl+S)")
        self.save_button.setDefault(True)
        self.revert_button = QPushButton("Revert", self)
        self.revert_button.setObjectName("revertButton")
        self.revert_button.setToolTip("Undo the changes (Esc)")
        self.save_state = QLabel(self)
        self.save_state.setObjectName("saveState")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.save_state, 1)
        row.addWidget(self.revert_button)
        row.addWidget(self.save_button)

    def show_state(self, *, dirty: bool, problem: str | None, busy: bool) -> None:
        self.save_button.setEnabled(dirty and problem is None and not busy)
        self.revert_button.setEnabled(dirty and not busy)
        if busy:
            self.save_state.setText("Saving…")
        elif problem and dirty:
            self.save_state.setText(problem)
        else:
            self.save_state.setText("Unsaved changes" if dirty else "")


class CustomerForm(QWidget):
    changed = Signal()  # a field or a metadata row changed
    linkActivated = Signal(str)  # a link in a field's error ("customer:<id>")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout()
        self.form = form
        self.fields: dict[str, CheckedLineEdit] = {}
        for name, label, check in FIELDS:
            field = CheckedLineEdit(name, check, self)
            field.edit.setAccessibleName(label)
            field.textChanged.connect(lambda *_: self.changed.emit())
            field.linkActivated.connect(self.linkActivated)
            self.fields[name] = field
            form.addRow(label, field)

        self.metadata = MetadataTableModel(self)
        self.metadata.dataChanged.connect(lambda *_: self.changed.emit())
        self.metadata.rowsInserted.connect(lambda *_: self.changed.emit())
        self.metadata.rowsRemoved.connect(lambda *_: self.changed.emit())
        self.metadata_view = QTableView(self)
        self.metadata_view.setObjectName("metadataTable")
        self.metadata_view.setAccessibleName("Metadata")
        self.metadata_view.setModel(self.metadata)
        self.metadata_view.verticalHeader().hide()
        self.metadata_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self.metadata_view.horizontalHeader().resizeSection(0, 180)
        self.metadata_view.horizontalHeader().setStretchLastSection(True)
        self.metadata_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_meta_button = QPushButton("Add key", self)
        self.add_meta_button.setObjectName("addMetadataButton")
        self.add_meta_button.clicked.connect(self._add_metadata_row)
        self.remove_meta_button = QPushButton("Remove key", self)
        self.remove_meta_button.setObjectName("removeMetadataButton")
        self.remove_meta_button.clicked.connect(self._remove_metadata_rows)
        self.metadata_error = QLabel(self)
        self.metadata_error.setObjectName("metadataError")
        mark(self.metadata_error, "error")
        self.metadata_error.setWordWrap(True)
        self.metadata_error.hide()
        meta_buttons = QHBoxLayout()
        self.metadata_label = QLabel("<b>Metadata</b>", self)
        meta_buttons.addWidget(self.metadata_label)
        meta_buttons.addStretch(1)
        meta_buttons.addWidget(self.add_meta_button)
        meta_buttons.addWidget(self.remove_meta_button)

        self.save_row = SaveRow(self)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(meta_buttons)
        layout.addWidget(self.metadata_view, 1)
        layout.addWidget(self.metadata_error)
        layout.addWidget(self.save_row)

    def tab_chain(self) -> list[QWidget]:
        """The form top to bottom, for the editor's tab order."""
        chain: list[QWidget] = [f.edit for f in self.fields.values()]
        return [
            *chain,
            self.add_meta_button,
            self.remove_meta_button,
            self.metadata_view,
            self.save_row.revert_button,
            self.save_row.save_button,
        ]

    def apply_capabilities(self, caps: Capability) -> None:
        """Only the fields this store keeps: none staff could fill in only to see refused."""
        self.form.setRowVisible(self.fields["phone"], Capability.PHONE in caps)
        self.form.setRowVisible(self.fields["company"], Capability.COMPANY in caps)
        metadata = Capability.METADATA in caps
        for widget in (
            self.metadata_label,
            self.add_meta_button,
            self.remove_meta_button,
            self.metadata_view,
        ):
            widget.setVisible(metadata)

    def fill(self, customer: Customer | None, phone_tooltip: str = "") -> None:
        for name, field in self.fields.items():
            field.set_value(getattr(customer, name) if customer else None)
        # Grouped for reading back over the phone; the field keeps the store's text.
        self.fields["phone"].edit.setToolTip(phone_tooltip)
        self.metadata.load(dict(customer.metadata) if customer else {})
        self.metadata_error.hide()

    # --- what the form holds ---------------------------------------------------------------

    def patch(self, before: Customer | None) -> CustomerPatch:
        """What differs from `before`, as a patch."""
        changes: dict[str, str | None] = {}
        for name, field in self.fields.items():
            was = getattr(before, name) if before else None
            if field.value() != (was or None):
                changes[name] = field.value()
        return CustomerPatch.model_validate({**changes, "metadata": self.metadata.patch()})

    def draft(self) -> CustomerDraft:
        values = {name: field.value() for name, field in self.fields.items()}
        metadata = self.metadata.patch().set
        return CustomerDraft.model_validate({**values, "metadata": metadata})

    def has_input(self) -> bool:
        """Anything typed (for a customer not yet created)."""
        return any(f.value() for f in self.fields.values()) or self.metadata.rowCount() > 0

    def problem(self) -> str | None:
        if any(f.has_error() for f in self.fields.values()):
            return "Fix the fields marked in red."
        duplicates = self.metadata.duplicate_keys()
        if duplicates:
            return f"Metadata key used twice: {', '.join(duplicates)}"
        return None

    def set_busy(self, busy: bool) -> None:
        for field in self.fields.values():
            field.edit.setReadOnly(busy)
        self.metadata_view.setEnabled(not busy)
        self.save_row.save_button.setEnabled(False)
        self.save_row.revert_button.setEnabled(False)
        if busy:
            self.save_row.save_state.setText("Saving…")

    def focus_first_field(self) -> None:
        first = next(f for f in self.fields.values() if not f.isHidden())
        first.setFocus()
        first.edit.selectAll()

    def _add_metadata_row(self) -> None:
        row = self.metadata.add_row()
        index = self.metadata.index(row, 0)
        self.metadata_view.setCurrentIndex(index)
        self.metadata_view.edit(index)

    def _remove_metadata_rows(self) -> None:
        rows = [i.row() for i in self.metadata_view.selectionModel().selectedRows()]
        if not rows and self.metadata_view.currentIndex().isValid():
            rows = [self.metadata_view.currentIndex().row()]
        self.metadata.remove_rows(rows)

    # --- the store's word on the fields -----------------------------------------------------

    def show_field_errors(self, exc: ValidationFailedError) -> bool:
        """Each error beside its field (metadata ones under the table); False when one
        concerns something the form does not show."""
        shown = True
        meta: list[str] = []
        for error in exc.field_errors:
            if error.field in self.fields:
                self.fields[error.field].set_server_error(error.message)
            elif error.field.startswith("metadata"):
                key = error.field.partition(".")[2]
                meta.append(f"{key}: {error.message}" if key else error.message)
            else:
                shown = False
        if meta:
            self.metadata_error.setText("\n".join(meta))
            self.metadata_error.show()
        return shown
