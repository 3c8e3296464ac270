"""A customer's group memberships: add to a group, remove from one."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.customer import Customer, CustomerGroup
from app.services.customers import CustomerService
from ui.asyncbridge import owned_slot
from ui.widgets.store_pane import StorePane

GROUP_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class GroupsTab(StorePane):
    customerChanged = Signal(object)  # Customer after a membership change

    def __init__(self, service: CustomerService | None, parent: QWidget | None = None) -> None:
        super().__init__("groups", service, parent)
        self.setObjectName("groupsTab")
        self._customer: Customer | None = None
        self._all: list[CustomerGroup] = []

        self.list = QListWidget(self)
        self.list.setObjectName("groupList")
        self.list.setAccessibleName("Groups of this customer")
        self.list.currentRowChanged.connect(lambda *_: self._update_buttons())
        self.combo = QComboBox(self)
        self.combo.setObjectName("addGroupCombo")
        self.combo.setAccessibleName("Group to add")
        self.combo.setMinimumContentsLength(12)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.add_button = QPushButton("Add to group", self)
        self.add_button.setObjectName("addGroupButton")
        self.remove_button = QPushButton("Remove from group", self)
        self.remove_button.setObjectName("removeGroupButton")
        self.add_button.clicked.connect(self._on_add)
        self.remove_button.clicked.connect(self._on_remove)
        row = QHBoxLayout()
        row.addWidget(self.combo, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Member of:", self))
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self._update_buttons()

    def set_service(self, service: CustomerService | None) -> None:
        super().set_service(service)
        self._all = []
        self.show_customer(None)

    def set_all_groups(self, groups: list[CustomerGroup]) -> None:
        self._all = sorted(groups, key=lambda g: g.name.lower())
        self._fill()

    def show_customer(self, customer: Customer | None) -> None:
        self.tasks.cancel_all()
        self._customer = customer
        self._fill()

    def _fill(self) -> None:
        self.list.clear()
        self.combo.clear()
        mine = {g.id for g in self._customer.groups} if self._customer else set()
        if self._customer is not None:
            for group in sorted(self._customer.groups, key=lambda g: g.name.lower()):
                item = QListWidgetItem(group.name)
                item.setData(GROUP_ID_ROLE, group.id)
                self.list.addItem(item)
        for group in self._all:
            if group.id not in mine:
                self.combo.addItem(group.name, group.id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.tasks.busy
        has = self._customer is not None
        self.add_button.setEnabled(has and self.combo.count() > 0 and not busy)
        self.remove_button.setEnabled(has and self.list.currentRow() >= 0 and not busy)
        self.combo.setEnabled(has)

    async def _change(self, add: frozenset[str], remove: frozenset[str]) -> None:
        if self._customer is None:
            return
        self.add_button.setEnabled(False)
        self.remove_button.setEnabled(False)
        try:
            updated = await self.service.change_groups(self._customer.id, add, remove)
        finally:
            if shiboken6.isValid(self):
                self._update_buttons()
        if shiboken6.isValid(self):
            self._customer = updated
            self._fill()
            self.customerChanged.emit(updated)

    @owned_slot()
    async def _on_add(self) -> None:
        group_id = self.combo.currentData()
        if group_id:
            await self._change(frozenset({str(group_id)}), frozenset())

    @owned_slot()
    async def _on_remove(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            await self._change(frozenset(), frozenset({str(item.data(GROUP_ID_ROLE))}))
