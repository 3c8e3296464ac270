"""Manage store profiles: add, edit, remove, test the connection, switch to one.

Profiles go to `services.profiles` (a JSON file without secrets); the password or API
key goes to the system keyring through `services.secrets`. Where no keyring exists the
dialog says so and keeps the profile: the secret can come from $MERCHANT_DESK_SECRET.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import shiboken6
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.controls import visible
from app.domain.errors import AppError, ConfigurationError, SecretStoreUnavailableError
from app.mirror.service import describe_edit
from app.services.backend_info import BACKENDS, SIGN_IN, BackendInfo
from app.services.context import Services
from app.services.profiles import AuthMethod, StoreProfile
from ui.asyncbridge import TaskOwner, attach_owner, owned_slot
from ui.dialogs.ask import confirm
from ui.errors import present_error
from ui.theme import mark

PROFILE_ROLE = Qt.ItemDataRole.UserRole + 1


FIELD_NAMES = {
    "name": "store name",
    "url": "URL",
    "email": "admin email",
    "client_id": "client id",
    "backend": "platform",
}


def person_sentence(error: ErrorDetails) -> str:
    """A validator's complaint as a sentence about the form's field, not pydantic's
    "name: Value error, …"."""
    where = str(error["loc"][0]) if error["loc"] else ""
    field = FIELD_NAMES.get(where, where.replace("_", " ") or "entry")
    if error["type"] == "missing":
        return f"Enter the {field}."
    reason = error["msg"].removeprefix("Value error, ").rstrip(".")
    if error["type"] == "value_error":  # our own validators' words
        return f"The {field} is not valid: {reason}."
    return f"The {field} is not valid ({reason[:1].lower()}{reason[1:]})."


class StoresDialog(QDialog):
    switchRequested = Signal(str)

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        *,
        release_store: Callable[[str], Awaitable[bool]] | None = None,
    ) -> None:
        """`release_store(name)` is awaited before a store is removed: the desk moves off
        it if it is open (closing its mirror), or says no (unsaved edits kept)."""
        super().__init__(parent)
        self.setObjectName("storesDialog")
        self._release_store = release_store
        self.setWindowTitle("Stores")
        self.services = services
        self.tasks = TaskOwner("stores dialog", lambda exc: present_error(self, exc))
        attach_owner(self, self.tasks)
        self._editing: str | None = None  # name of the profile in the form, None = new

        self.list = QListWidget(self)
        self.list.setObjectName("storeList")
        self.list.setAccessibleName("Stores")
        self.list.currentItemChanged.connect(lambda *_: self._on_current_changed())
        self.new_button = QPushButton("New store", self)
        self.new_button.setObjectName("newStoreButton")
        self.new_button.clicked.connect(self._on_new)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setObjectName("removeStoreButton")
        self.remove_button.clicked.connect(self._on_remove)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.remove_button)
        hint = QLabel("The built-in demo store is always there: Store ▸ Switch to.", self)
        hint.setWordWrap(True)
        mark(hint, "muted")
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(hint)
        left.addLayout(list_buttons)

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("storeNameEdit")
        self.name_edit.setAccessibleName("Store name")
        self.backend_combo = QComboBox(self)
        self.backend_combo.setObjectName("backendCombo")
        self.backend_combo.setAccessibleName("Backend")
        for info in BACKENDS.values():
            self.backend_combo.addItem(info.label, info.kind)
        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("urlEdit")
        self.url_edit.setAccessibleName("Store URL")
        self.url_edit.setPlaceholderText("https://shop.example.com")
        self.auth_combo = QComboBox(self)
        self.auth_combo.setObjectName("authCombo")
        self.auth_combo.setAccessibleName("Sign-in method")
        for method, sign_in in SIGN_IN.items():
            self.auth_combo.addItem(sign_in.label, method)
        self.auth_combo.currentIndexChanged.connect(lambda *_: self._update_auth())
        self.backend_combo.currentIndexChanged.connect(lambda *_: self._update_auth())
        self.email_edit = QLineEdit(self)
        self.email_edit.setObjectName("adminEmailEdit")
        self.email_edit.setAccessibleName("Admin email")
        self.client_id_edit = QLineEdit(self)
        self.client_id_edit.setObjectName("clientIdEdit")
        self.client_id_edit.setAccessibleName("Client id")
        self.secret_edit = QLineEdit(self)
        self.secret_edit.setObjectName("secretEdit")
        self.secret_edit.setAccessibleName("Password or API key")
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_label = QLabel("Password", self)
        self.form_error = QLabel(self)
        self.form_error.setObjectName("storeFormError")
        mark(self.form_error, "error")
        self.form_error.setWordWrap(True)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("testResult")
        self.result_label.setWordWrap(True)
        form = QFormLayout()
        self.form = form
        form.addRow("Name", self.name_edit)
        form.addRow("Backend", self.backend_combo)
        form.addRow("URL", self.url_edit)
        form.addRow("Sign in with", self.auth_combo)
        form.addRow("Admin email", self.email_edit)
        form.addRow("Client id", self.client_id_edit)
        form.addRow(self.secret_label, self.secret_edit)

        self.test_button = QPushButton("Test connection", self)
        self.test_button.setObjectName("testButton")
        self.test_button.clicked.connect(self._on_test)
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("saveStoreButton")
        self.save_button.clicked.connect(self._on_save)
        self.switch_button = QPushButton("Open this store", self)
        self.switch_button.setObjectName("switchButton")
        self.switch_button.clicked.connect(self._on_switch)
        form_buttons = QHBoxLayout()
        form_buttons.addWidget(self.test_button)
        form_buttons.addStretch(1)
        form_buttons.addWidget(self.save_button)
        form_buttons.addWidget(self.switch_button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.form_error)
        right.addWidget(self.result_label)
        right.addStretch(1)
        right.addLayout(form_buttons)

        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(close)
        self.resize(760, 400)
        self.reload()

    # --- list --------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        try:
            profiles = self.services.profiles.list()
        except AppError as exc:
            present_error(self, exc)
            profiles = []
        self.list.blockSignals(True)
        self.list.clear()
        for profile in profiles:
            item = QListWidgetItem(f"{profile.name}\n{profile.url}")
            item.setData(PROFILE_ROLE, profile.name)
            self.list.addItem(item)
            if profile.name == select:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self._on_current_changed()

    def _current_name(self) -> str | None:
        row = self.list.currentRow()
        return str(self.list.item(row).data(PROFILE_ROLE)) if row >= 0 else None

    def _on_current_changed(self) -> None:
        name = self._current_name()
        self.remove_button.setEnabled(name is not None)
        if name is None:
            self._on_new()
            return
        profile = self.services.profiles.get(name)
        self._editing = profile.name
        self.name_edit.setText(profile.name)
        self.backend_combo.setCurrentIndex(max(self.backend_combo.findData(profile.backend), 0))
        self.url_edit.setText(profile.url)
        self.email_edit.setText(profile.email or "")
        self.client_id_edit.setText(profile.client_id or "")
        self.auth_combo.setCurrentIndex(max(self.auth_combo.findData(profile.auth), 0))
        self.secret_edit.clear()
        self.secret_edit.setPlaceholderText("(unchanged: saved in the keyring)")
        self.form_error.clear()
        self.result_label.clear()
        self.switch_button.setEnabled(True)
        self._update_auth()

    def _on_new(self) -> None:
        self.list.blockSignals(True)
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self._editing = None
        for edit in (
            self.name_edit,
            self.url_edit,
            self.email_edit,
            self.client_id_edit,
            self.secret_edit,
        ):
            edit.clear()
        self.secret_edit.setPlaceholderText("")
        self.form_error.clear()
        self.result_label.clear()
        self.switch_button.setEnabled(False)
        self.remove_button.setEnabled(False)
        self._update_auth()
        self.name_edit.setFocus()

    def _backend_choice(self) -> BackendInfo:
        return list(BACKENDS.values())[max(self.backend_combo.currentIndex(), 0)]

    def _update_auth(self) -> None:
        info = self._backend_choice()
        current = self.auth_combo.currentData()
        if len(info.sign_in) == 1 or current not in info.sign_in:
            self.auth_combo.setCurrentIndex(self.auth_combo.findData(info.sign_in[0]))
        # Only a backend with a choice lets staff choose.
        self.auth_combo.setEnabled(len(info.sign_in) > 1)
        self.url_edit.setPlaceholderText(info.url_hint)
        api_key = self.auth_combo.currentData() == AuthMethod.API_KEY
        client = self.auth_combo.currentData() == AuthMethod.CLIENT_CREDENTIALS
        self.email_edit.setEnabled(not (api_key or client))
        self.client_id_edit.setEnabled(client)
        # Only the fields this way of signing in uses are shown.
        self.form.setRowVisible(self.email_edit, not (api_key or client))
        self.form.setRowVisible(self.client_id_edit, client)
        self.secret_label.setText(info.secret_label(AuthMethod(self.auth_combo.currentData())))

    # --- form --------------------------------------------------------------------------

    def profile_from_form(self) -> StoreProfile | None:
        """The profile in the form, or None with the problem shown."""
        auth = AuthMethod(self.auth_combo.currentData())
        try:
            profile = StoreProfile(
                name=self.name_edit.text().strip(),
                backend=self._backend_choice().kind,
                url=self.url_edit.text().strip(),
                email=(self.email_edit.text().strip() or None)
                if auth is AuthMethod.PASSWORD
                else None,
                client_id=(self.client_id_edit.text().strip() or None)
                if auth is AuthMethod.CLIENT_CREDENTIALS
                else None,
                auth=auth,
            )
        except ValidationError as exc:
            self.form_error.setText(" ".join(person_sentence(e) for e in exc.errors()))
            return None
        if not profile.url:
            self.form_error.setText("Enter the store's URL.")
            return None
        try:
            profile.check_transport()
        except ConfigurationError as exc:
            self.form_error.setText(exc.user_message)
            return None
        if auth is AuthMethod.CLIENT_CREDENTIALS and not profile.client_id:
            self.form_error.setText("Enter the application key's client id.")
            return None
        if auth is AuthMethod.PASSWORD and not profile.email:
            self.form_error.setText("Enter the admin email.")
            return None
        self.form_error.clear()
        return profile

    def _secret_for_test(self, profile: StoreProfile) -> str | None:
        typed = self.secret_edit.text()
        if typed:
            return typed
        if self._editing == profile.name:
            try:
                return self.services.secrets.get(profile.name)
            except ConfigurationError as exc:
                self.form_error.setText(exc.user_message)
                return None
        self.form_error.setText("Enter the password or API key.")
        return None

    def _on_save(self) -> None:
        profile = self.profile_from_form()
        if profile is None:
            return
        try:
            if self._editing is not None and self._editing != profile.name:
                self.services.profiles.remove(self._editing)
            self.services.profiles.save(profile)
        except AppError as exc:
            self.form_error.setText(exc.user_message)
            return
        message = f"Saved store '{profile.name}'."
        secret = self.secret_edit.text()
        if secret:
            try:
                self.services.secrets.set(profile.name, secret)
            except SecretStoreUnavailableError as exc:
                message += " The secret was NOT saved: " + exc.user_message
            except ConfigurationError as exc:
                message += " The secret was NOT saved: " + exc.user_message
        elif self._editing is None:
            message += " No secret saved yet: enter it and save again."
        self.reload(select=profile.name)
        self.result_label.setText(message)

    @owned_slot("remove")
    async def _on_remove(self) -> None:
        name = self._current_name()
        if name is None:
            return
        try:
            # Edits made offline and never sent would go with the mirror: say so first.
            edits = await self.services.unsent_edits(name)
        except AppError as exc:
            self.form_error.setText(exc.user_message)
            return
        text = (
            f"Remove the store '{name}' from this computer? Its saved password or key is "
            "deleted too."
        )
        action, informative = "Remove", ""
        if edits:
            text += (
                f" {len(edits)} edit(s) made offline were never sent to the store and "
                "will be lost. To keep them, cancel and sync first."
            )
            action = f"Remove and discard {len(edits)} edit(s)"
            informative = "\n".join(f"• {visible(describe_edit(e))}" for e in edits[:20])
            if len(edits) > 20:
                informative += f"\n… and {len(edits) - 20} more"
        if not await confirm(self, "Remove store", text, action, informative=informative):
            return
        if not shiboken6.isValid(self):
            return
        if self._release_store is not None and not await self._release_store(name):
            return  # still open in the desk (staff kept their unsaved edits)
        if not shiboken6.isValid(self):
            return
        try:
            self.services.forget_store(name)  # the profile, its secret and its mirror
        except AppError as exc:
            self.form_error.setText(exc.user_message)
            return
        self.reload()

    @owned_slot("test")
    async def _on_test(self) -> None:
        profile = self.profile_from_form()
        if profile is None:
            return
        secret = self._secret_for_test(profile)
        if secret is None:
            return
        self.test_button.setEnabled(False)
        self.result_label.setText("Connecting…")
        try:
            backend = self.services.build_backend(profile, secret)
            try:
                await backend.check_connection()
            finally:
                await backend.aclose()
        except AppError as exc:
            if shiboken6.isValid(self):
                self.result_label.setText(f"Connection failed: {exc.user_message}")
            return
        finally:
            if shiboken6.isValid(self):
                self.test_button.setEnabled(True)
        if shiboken6.isValid(self):
            self.result_label.setText("Connection works.")

    def _on_switch(self) -> None:
        name = self._current_name()
        if name is not None:
            self.switchRequested.emit(name)
            self.accept()

    def done(self, result: int) -> None:
        self.tasks.cancel_all()
        self.secret_edit.clear()
        super().done(result)
