"""Store ▸ Check connection…: the report in a dialog, and the desk adopting its findings."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from pydantic import SecretStr
from pytestqt.qtbot import QtBot

from app.backends.medusa import MedusaAdapter, MedusaCredentials
from app.domain.capabilities import Capability
from app.domain.query import CustomerQuery, Sort, SortField
from app.gateway import GatewayOptions
from app.services.context import StoreContext
from app.services.customers import CustomerService
from app.services.profiles import DEMO_PROFILES
from demostore.core import FaultSettings, open_demo
from demostore.medusa import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, create_demo_app
from tests.ui.conftest import WAIT_MS, find_box, run
from ui.dialogs.doctor_dialog import CheckConnectionDialog
from ui.windows.main_window import MainWindow


def _open_check(qtbot: QtBot, window: MainWindow) -> CheckConnectionDialog:
    window.check_action.trigger()
    dialog = window.findChild(CheckConnectionDialog, "checkConnectionDialog")
    assert isinstance(dialog, CheckConnectionDialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=60_000)
    return dialog


def _rows(dialog: CheckConnectionDialog) -> dict[str, tuple[str, str]]:
    """Feature -> (result, HTTP status) as the table shows them."""
    out: dict[str, tuple[str, str]] = {}
    for row in range(dialog.table.rowCount()):
        feature, result, status = (dialog.table.item(row, c) for c in range(3))
        assert feature is not None
        assert result is not None
        assert status is not None
        out[feature.text()] = (result.text(), status.text())
    return out


def test_a_healthy_store_shows_every_feature_working(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _open_check(qtbot, window)
    report = dialog.report
    assert report is not None
    assert dialog.table.rowCount() == len(report.results)
    rows = _rows(dialog)
    assert rows["sign-in"] == ("works", "200")
    assert rows["sort:-phone"] == ("works", "200")
    assert rows["customer_delete"] == ("not probed", "")
    assert "Every feature checked works" in dialog.summary.text()
    assert dialog.again.isEnabled()
    dialog.done(0)


class RefusesPhoneSortIgnoresAccount(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        if params.get("order", "").lstrip("-") == "phone":
            return httpx.Response(400, json={"type": "invalid_data", "message": "no"})
        if "has_account" in params:
            request.url = request.url.copy_remove_param("has_account")
        return await self.inner.handle_async_request(request)


def test_what_the_store_refuses_is_disabled_in_the_desk(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, window: MainWindow, tmp_path: Path
) -> None:
    store = run(qtbot, qloop, open_demo(str(tmp_path / "quirky.sqlite3"), customers=60))
    transport = RefusesPhoneSortIgnoresAccount(
        httpx.ASGITransport(app=create_demo_app(store, FaultSettings()))
    )
    creds = MedusaCredentials(email=DEMO_ADMIN_EMAIL, password=SecretStr(DEMO_ADMIN_PASSWORD))
    backend = MedusaAdapter("http://quirky.test", creds, GatewayOptions(transport=transport))
    context = StoreContext(DEMO_PROFILES["demo"], CustomerService(backend), backend)
    window.use_store(context)
    qtbot.waitUntil(lambda: not window.model.loading, timeout=WAIT_MS)
    assert window.filter_bar.account.isVisibleTo(window)
    # Staff look at customers with an account, sorted by phone, when they check.
    window.model.reset_query(
        CustomerQuery(has_account=True, sort=Sort(field=SortField.PHONE, descending=True))
    )
    window.filter_bar.account.setCurrentIndex(window.filter_bar.account.findData(True))
    qtbot.waitUntil(lambda: not window.model.loading, timeout=WAIT_MS)
    try:
        dialog = _open_check(qtbot, window)
        rows = _rows(dialog)
        assert rows["sort:phone"] == ("refused", "400")
        assert rows["filter-has-account"] == ("degraded", "200")
        assert "sort by phone" in dialog.summary.text()
        assert "filter_has_account" in dialog.summary.text()
        # The desk adopted it at once: the filter is gone, the column no longer sorts.
        assert not window.filter_bar.account.isVisibleTo(window)
        assert window.context is context
        assert SortField.PHONE not in context.customers.sort_fields
        assert Capability.FILTER_HAS_ACCOUNT not in context.customers.capabilities
        # The view falls back to what the shop honours, rather than failing or lying.
        qtbot.waitUntil(lambda: not window.model.loading, timeout=WAIT_MS)
        assert window.model.query.has_account is None
        assert window.model.query.sort == Sort()
        assert window.filter_bar.query().has_account is None
        assert find_box() is None  # no error along the way
        dialog.done(0)
    finally:
        for owner in window.owners():
            owner.cancel_all()
        window.context = None
        run(qtbot, qloop, context.aclose())
        run(qtbot, qloop, store.aclose())
