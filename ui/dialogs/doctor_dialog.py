"""Store ▸ Check connection…: what the open store answers for each feature, read-only.

The check runs as the dialog's own task on the asyncio loop (closing the dialog cancels
it); the result table shows works / degraded / refused with the HTTP status, and what the
desk now disables for this store.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.context import StoreContext
from app.services.doctor import DoctorReport, DoctorService, Outcome
from ui.asyncbridge import TaskOwner, attach_owner
from ui.errors import present_error

COLUMNS = ("Feature", "Result", "HTTP", "Detail")
OUTCOME_COLOURS = {
    Outcome.WORKS: QColor("#1b7f3b"),
    Outcome.DEGRADED: QColor("#a15c00"),
    Outcome.REFUSED: QColor("#b3261e"),
    Outcome.NOT_PROBED: QColor("#6b6b6b"),
}


class CheckConnectionDialog(QDialog):
    checked = Signal(object)  # the DoctorReport, after the store adopted its findings

    def __init__(
        self, doctor: DoctorService, context: StoreContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("checkConnectionDialog")
        self.setWindowTitle(f"Check connection: {context.profile.name}")
        self._doctor = doctor
        self._context = context
        self.report: DoctorReport | None = None
        self.tasks = TaskOwner("check connection", self._failed)
        attach_owner(self, self.tasks)

        self.status = QLabel(self)
        self.status.setObjectName("checkStatus")
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("checkResults")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(self)
        self.summary.setObjectName("checkSummary")
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.again = QPushButton("Check &again", self)
        self.again.setObjectName("checkAgain")
        buttons.addButton(self.again, QDialogButtonBox.ButtonRole.ActionRole)
        self.again.clicked.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.resize(760, 560)

    def start(self) -> None:
        self.again.setEnabled(False)
        self.summary.clear()
        self.status.setText(
            f"Checking {self._context.profile.name}… Only reads are sent; nothing is changed."
        )
        self.tasks.run_latest("check", self._check())

    async def _check(self) -> None:
        report = await self._doctor.check(self._context)
        self.report = report
        self._show(report)
        self.checked.emit(report)

    def _show(self, report: DoctorReport) -> None:
        self.again.setEnabled(True)
        self.status.setText(f"{report.store} ({report.backend}): what the store answered.")
        self.table.setRowCount(len(report.results))
        for row, result in enumerate(report.results):
            status = "" if result.status is None else str(result.status)
            cells = (result.feature, result.outcome.value, status, result.detail)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setForeground(QBrush(OUTCOME_COLOURS[result.outcome]))
                if column == 3:
                    item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.summary.setText(_summary(report))

    def _failed(self, exc: BaseException) -> None:
        self.again.setEnabled(True)
        self.status.setText("The check could not finish.")
        present_error(self, exc)

    def done(self, result: int) -> None:
        self.tasks.close()  # a check still running is cancelled with the dialog
        super().done(result)


def _summary(report: DoctorReport) -> str:
    bad = report.problems
    if not bad:
        return "Every feature checked works. Writes were not tried: the check never writes."
    disabled = report.restrictions.disabled()
    text = f"{len(bad)} features are degraded or refused by this store."
    if disabled:
        text += " The desk now disables: " + ", ".join(disabled) + "."
    return text
