"""`python -m ui.screenshots OUTDIR`: grab each window of the desk on the demo store.

Runs the real windows (offscreen, or on a display such as Xvfb) and saves PNGs made with
QWidget.grab(), so the pictures in docs/screenshots can be made again at will.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from app.domain.customer import Address, AddressDraft
from app.domain.patch import AddressPatch, CustomerPatch, MetadataPatch
from app.domain.query import CustomerQuery, SortField
from app.mirror.service import MirrorService
from app.services.context import Services
from ui.app import create_application
from ui.asyncbridge import cancel_all_owners, run_event_loop, wait_all_owners_idle
from ui.dialogs.address_dialog import AddressDialog
from ui.dialogs.order_dialog import OrderDialog
from ui.dialogs.stores_dialog import StoresDialog
from ui.models.customer_table import FIGURE_COLUMNS, Column
from ui.theme import Theme, apply_theme, current_theme
from ui.windows.main_window import MainWindow


async def until(done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60.0
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.02)


async def settle() -> None:
    """Let layouts and paints happen before a grab (the loop is Qt's: sleeping spins it;
    never processEvents() inside a coroutine, which re-enters the running task)."""
    await asyncio.sleep(0.2)


def save(widget: QWidget, out: Path, name: str) -> None:
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(f"saved {path}")  # noqa: T201 (a command-line tool reporting its files)


async def shoot(out: Path) -> int:
    services = Services.create()
    window = MainWindow(services)
    window.resize(1400, 860)
    window.show()
    window.open_store(None)
    try:
        model = window.model
        await until(
            lambda: window.context is not None and model.rowCount() > 0 and not model.loading,
            "the customer list",
        )
        assert window.context is not None
        customers = window.context.customers
        # A customer with an account, addresses and orders shows the most.
        chosen = model.item(0)
        async for summary in customers.iterate(CustomerQuery(has_account=True), limit=60):
            orders = await customers.orders(summary.id, None, 1)
            if orders.items and summary.groups:
                full = await customers.get(summary.id)
                if len(full.addresses) >= 2:
                    chosen = summary
                    break
        window.open_customer(chosen.id)
        editor = window.editor
        await until(
            lambda: editor.customer is not None and editor.customer.id == chosen.id, "the customer"
        )
        await until(lambda: not editor.orders_tab.model.loading, "the orders")
        await settle()
        save(window, out, "main-window")

        # The keyboard: the list has the focus, its current row marked.
        window.activateWindow()
        window.table.setFocus()
        window.table.go_to_row(max(model.row_of(chosen.id) or 0, 0))
        await settle()
        save(window, out, "keyboard-focus-in-list")

        # A small laptop screen.
        window.resize(1024, 700)
        await settle()
        save(window, out, "small-window-1024x700")
        window.resize(1400, 860)
        await settle()

        for index, name in [(1, "tab-addresses"), (2, "tab-groups"), (3, "tab-orders")]:
            editor.tabs.setCurrentIndex(index)
            await settle()
            save(window, out, name)
        # Notes: a store-kept pair (written once; a later run shows the same ones).
        notes = window.context.notes
        if not await notes.notes(chosen.id):
            await notes.add(
                chosen.id,
                "Called about order #1042: the parcel arrived damaged.\n"
                "Promised a replacement by Friday.",
            )
            await notes.add(chosen.id, "Prefers email over phone calls.")
        notes_tab = editor.notes_tab
        notes_tab.reload()
        editor.tabs.setCurrentIndex(editor.tabs.indexOf(notes_tab))
        await until(lambda: notes_tab.list.count() >= 2, "the notes")
        notes_tab.box.setPlainText("Asked for a call back on Monday.")
        await settle()
        save(window, out, "tab-notes")
        notes_tab.box.clear()
        editor.tabs.setCurrentIndex(0)

        # The timeline: the notes and a change sent from this desk among the orders.
        await customers.update(
            chosen.id, CustomerPatch(metadata=MetadataPatch(set={"tier": "gold"}))
        )
        timeline = editor.timeline_tab
        editor.tabs.setCurrentWidget(timeline)
        timeline.reload()
        await until(lambda: timeline.model.rowCount() > 0 and not timeline.tasks.busy, "timeline")
        await settle()
        save(window, out, "tab-timeline")
        editor.tabs.setCurrentIndex(0)

        editor.orders_tab.open_order(editor.orders_tab.model.index(0, 0))
        await until(lambda: isinstance(editor.orders_tab.dialog, OrderDialog), "the order")
        order_dialog = editor.orders_tab.dialog
        assert order_dialog is not None
        await settle()
        save(order_dialog, out, "order-dialog")
        order_dialog.close()

        tab = editor.addresses_tab
        first_address = tab.addresses[0] if tab.addresses else None
        address_dialog = AddressDialog(window, first_address, _never_saves)
        address_dialog.show()
        await settle()
        save(address_dialog, out, "address-dialog")
        address_dialog.reject()
        address_dialog.deleteLater()

        editor.token_button.click()
        await until(lambda: _visible_box("confirmBox") is not None, "the token question")
        box = _visible_box("confirmBox")
        assert box is not None
        await settle()
        save(box, out, "token-confirm")
        box.done(QMessageBox.StandardButton.Cancel)

        editor.fields["email"].edit.setText("not-an-email")
        editor.fields["company"].edit.setText("Edited Company Ltd")
        await settle()
        save(window, out, "editing-with-error")
        editor.revert()

        stores = StoresDialog(services, window)
        stores.show()
        stores.name_edit.setText("Main shop")
        stores.url_edit.setText("https://shop.example.com")
        stores.email_edit.setText("admin@example.com")
        await settle()
        save(stores, out, "stores-dialog")
        stores.reject()

        # Customer 360: order figures once the mirror holds every order.
        context = window.context
        assert context.mirror is not None
        mirror = context.mirror
        if not (mirror.state.ready and mirror.orders_mirrored):
            await mirror.sync()
        await shoot_figures(window, out)
        window.open_customer(chosen.id)
        await until(lambda: editor.customer is not None and editor.customer.id == chosen.id, "back")

        # Offline: the banner, and an address added meanwhile waiting to be sent.
        controls = context.demo_controls
        assert controls is not None
        controls.set_offline(True)
        draft = AddressDraft(
            address_name="Pop-up stand",
            address_1="Marktplatz 1",
            city="Leipzig",
            postal_code="04109",
            country_code="de",
        )
        await customers.add_address(chosen.id, draft)
        window.refresh()
        await until(lambda: window.offline_banner.isVisible(), "the offline banner")
        editor.tabs.setCurrentIndex(1)
        await until(
            lambda: any(MirrorService.is_local_address(a.id) for a in tab.addresses),
            "the queued address",
        )
        await settle()
        save(window, out, "offline-queued-address")
        queued = await notes.add(chosen.id, "Written while the store was unreachable.")
        notes_tab.reload()
        editor.tabs.setCurrentIndex(editor.tabs.indexOf(notes_tab))
        await until(lambda: any(n.id == queued.id for n in notes_tab._notes), "the queued note")
        await settle()
        save(window, out, "offline-queued-note")

        # The dark palette (not remembered: a picture must not change anyone's setting).
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        before = current_theme(app)
        apply_theme(app, Theme.DARK)
        await settle()
        save(window, out, "dark-offline")
        apply_theme(app, before)
        controls.set_offline(False)
    finally:
        window.close()
        cancel_all_owners()
        await wait_all_owners_idle()
        if window.context is not None:
            await window.context.aclose()
            window.context = None
    return 0


async def shoot_figures(window: MainWindow, out: Path) -> None:
    """The figures line, the Orders / Spent / Last order columns sorted by spent, and the
    order filters finding lapsed customers; the view is put back afterwards."""
    await until(lambda: window.model.figures_reason is None, "the order figures")
    model = window.model
    before = model.query.sort
    table = window.table
    for column in FIGURE_COLUMNS:
        table.setColumnHidden(column, False)
    for column in (Column.PHONE, Column.COMPANY, Column.GROUPS):
        table.setColumnHidden(column, True)  # room for the figures at this size
    table.horizontalHeader().setSortIndicator(Column.SPENT, Qt.SortOrder.DescendingOrder)
    await until(lambda: model.query.sort.field is SortField.SPENT and not model.loading, "sort")
    await until(lambda: model.rowCount() > 0, "the spenders")
    top = model.item(0).id
    window.open_customer(top)
    editor = window.editor
    await until(
        lambda: (
            editor.customer is not None
            and editor.customer.id == top
            and "order" in editor.figures.text()
            and "appear once" not in editor.figures.text()
        ),
        "the figures line",
    )
    await settle()
    save(window, out, "customer-360-columns")
    save(editor, out, "customer-360-header")

    bar = window.filter_bar
    orders = bar.orders
    orders.has_orders.setCurrentIndex(orders.has_orders.findData(True))
    orders.spent.set_value(Decimal("250"))
    lapsed = orders.last_order
    lapsed.check.setChecked(True)
    lapsed.bound.setCurrentIndex(lapsed.bound.findText("before"))
    lapsed.start.setDate(QDate.currentDate().addMonths(-6))
    await settle()
    await until(lambda: not model.loading, "the lapsed customers")
    await settle()
    save(window.list_pane, out, "order-filters")

    bar.clear_filters()
    for column in FIGURE_COLUMNS:
        table.setColumnHidden(column, True)
    for column in (Column.PHONE, Column.COMPANY, Column.GROUPS):
        table.setColumnHidden(column, False)
    window.show_sort(before)
    model.reset_query(model.query.model_copy(update={"sort": before}))
    await until(lambda: not model.loading, "the list again")


def _visible_box(name: str) -> QDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible() and widget.objectName() == name:
            return widget
    return None


async def _never_saves(_change: AddressDraft | AddressPatch) -> Address:
    raise RuntimeError("the screenshot dialog does not save")


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    return run_event_loop(app, lambda: shoot(out))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
