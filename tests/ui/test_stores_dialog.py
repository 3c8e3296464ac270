"""The stores dialog speaks to people: a rejected field reads as a sentence about the form,
not as the validator's "name: Value error, …"."""

from __future__ import annotations

import asyncio

from pytestqt.qtbot import QtBot

from app.services.context import Services
from tests.ui.test_lifecycle import fill_store_form
from ui.dialogs.stores_dialog import StoresDialog


def test_bad_name_and_url_read_as_sentences(
    qtbot: QtBot, services: Services, qloop: asyncio.AbstractEventLoop
) -> None:
    dialog = StoresDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_store_form(qtbot, dialog, "my shop!", "ftp://nope")
    dialog.save_button.click()
    text = dialog.form_error.text()
    assert "Value error" not in text
    assert "name:" not in text
    assert "url:" not in text
    assert text.startswith("The store name is not valid: use letters")
    assert "The URL is not valid: the URL must start with http:// or https://." in text
    assert services.profiles.list() == []
