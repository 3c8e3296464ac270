"""Plain http:// to a remote store (issue 13 point 8): the desk warns; the form refuses."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from pytestqt.qtbot import QtBot

from app.services.context import Services, StoreContext
from app.services.profiles import BackendKind, StoreProfile
from tests.ui.test_lifecycle import fill_store_form
from ui.dialogs.stores_dialog import StoresDialog
from ui.windows.main_window import MainWindow

INSECURE = StoreProfile(
    name="shop",
    backend=BackendKind.MEDUSA,
    url="http://shop.example",
    email="a@b.c",
    allow_insecure_http=True,
)


def test_the_desk_warns_about_an_unencrypted_store(window: MainWindow, store: StoreContext) -> None:
    assert "not encrypted" not in window.store_label.text()  # the demo store is in-process
    window.context = dataclasses.replace(store, profile=INSECURE)
    try:
        window._update_title()
        assert "not encrypted" in window.store_label.text()
        assert "unencrypted" in window.store_label.toolTip()
    finally:
        window.context = store
        window._update_title()


@pytest.mark.parametrize(
    ("url", "problem"),
    [("http://shop.example", "unencrypted"), ("https://me:pw@shop.example", "password")],
)
def test_the_stores_form_refuses_insecure_urls(
    qtbot: QtBot,
    services: Services,
    qloop: asyncio.AbstractEventLoop,
    memory_keyring: object,
    url: str,
    problem: str,
) -> None:
    dialog = StoresDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_store_form(qtbot, dialog, "Shop", url)
    dialog.save_button.click()
    assert problem in dialog.form_error.text()
    assert services.profiles.list() == []
