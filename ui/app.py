"""Start the desk: QApplication, crash handler, qasync loop, the store, the main window.

The main coroutine waits for the main window to close (or the session to end), then
cancels every task owner and closes the store before the loop ends. Quitting never goes
through `loop.stop()` or `QApplication.quit()` from a widget.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from importlib.resources import files

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication

import resources
from app import __version__
from app.services.context import Services
from app.services.runtime import settle_after_startup
from ui.asyncbridge import cancel_all_owners, run_event_loop, wait_all_owners_idle
from ui.crash import CrashHandler, configure_logging
from ui.refcounts import guard_singletons
from ui.theme import apply_scheme
from ui.windows.main_window import MainWindow

log = logging.getLogger(__name__)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="merchant-desk")
    parser.add_argument("--store", help="store profile to open (default: the default store)")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the demo store's list, a customer, its addresses and orders, then exit "
        "(in a temporary home unless MERCHANT_DESK_HOME is set)",
    )
    parser.add_argument(
        "--demo-customers", type=int, default=None, help="size of a freshly generated demo store"
    )
    return parser.parse_args(argv)


def _has_display() -> bool:
    if sys.platform != "linux":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def app_icon() -> QIcon:
    """The window/taskbar icon, read the same way from source and from the frozen bundle."""
    pixmap = QPixmap()
    pixmap.loadFromData(files(resources).joinpath(resources.ICON_PNG).read_bytes(), "PNG")
    return QIcon(pixmap)


def create_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    guard_singletons()  # PySide6 6.12 loses references to None and True (ui.refcounts)
    app = QApplication([sys.argv[0], *argv])
    app.setApplicationName("Merchant Desk")
    app.setApplicationDisplayName("Merchant Desk")
    app.setOrganizationName("Merchant Desk")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    # Lets Wayland/X11 docks match the window to merchant-desk.desktop (and its icon).
    app.setDesktopFileName("merchant-desk")
    # The main coroutine ends the loop; closing the last window must not quit Qt under it.
    app.setQuitOnLastWindowClosed(False)
    apply_scheme(app)
    return app


SETTLE_DELAY_MS = 500  # after the first rows are painted: a pause there goes unnoticed


def _settle_after_first_rows(window: MainWindow) -> None:
    """Freeze start-up objects out of the GC (fewer loop stalls during long syncs) once
    the first customers are on screen: its full collection takes ~50 ms, which must not
    delay the first paint."""

    def settle(*_: object) -> None:
        window.model.rowsInserted.disconnect(settle)
        QTimer.singleShot(SETTLE_DELAY_MS, settle_after_startup)

    window.model.rowsInserted.connect(settle)


async def run_window(window: MainWindow, store: str | None, smoke: bool) -> int:
    """Show `window` on `store` until it closes; then tidy up. Returns the exit code."""
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(closed.set)
    code = 0
    window.show()
    window.open_store(store)
    _settle_after_first_rows(window)
    try:
        if smoke:
            from ui.smoke import smoke_test

            code = await smoke_test(window)
            window.close()
        else:
            await closed.wait()
    finally:
        cancel_all_owners()
        await wait_all_owners_idle()
        if window.context is not None:
            await window.context.aclose()
            window.context = None
    return code


def run_gui(argv: list[str]) -> int:
    args = parse_args(argv)
    if not _has_display() and not os.environ.get("QT_QPA_PLATFORM"):
        if not args.smoke_test:
            # Qt would abort the process (SIGABRT) without a platform plugin; say why.
            print(  # noqa: T201 (no window to show the message in)
                "merchant-desk: no display found (DISPLAY/WAYLAND_DISPLAY unset). "
                "Run it in a desktop session, or set QT_QPA_PLATFORM=offscreen.",
                file=sys.stderr,
            )
            return 2
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    with contextlib.ExitStack() as stack:
        if args.smoke_test:
            from ui.smoke import temporary_home

            # The smoke test (run by packaging checks and installed copies) must never read
            # or write the user's stores, settings or logs.
            stack.enter_context(temporary_home())
        return _run_gui(args, argv)


def _run_gui(args: argparse.Namespace, argv: list[str]) -> int:
    services = Services.create()
    configure_logging(services.paths.logs)
    app = create_application(argv)
    crash = CrashHandler(services.paths.logs, show_dialog=not args.smoke_test)
    crash.install()
    window = MainWindow(services, demo_customers=args.demo_customers, background_sync=True)

    async def main() -> int:
        return await run_window(window, args.store, args.smoke_test)

    try:
        code = run_event_loop(app, main)
    finally:
        crash.uninstall()
        window.deleteLater()
    if args.smoke_test and crash.count:
        return 1
    return code
