"""The base of the desk's panes that work on the open store."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.services.customers import CustomerService
from ui.asyncbridge import TaskOwner, attach_owner
from ui.errors import present_error


class StorePane(QWidget):
    """Owns its tasks (cancelled when the pane closes, failures shown through
    `present_error`) and holds the open store's `CustomerService`, if any."""

    def __init__(
        self, owner_name: str, service: CustomerService | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.tasks = TaskOwner(owner_name, lambda exc: present_error(self, exc))
        attach_owner(self, self.tasks)
        self._service = service

    @property
    def service(self) -> CustomerService:
        if self._service is None:
            raise RuntimeError("no store is open")
        return self._service

    def set_service(self, service: CustomerService | None) -> None:
        """Switch to another store (None: none open); subclasses also clear what they show."""
        self._service = service
