"""Qt tests: offscreen, one session qasync loop driven by qtbot waits (qt-stack.md Pattern A).

Tests here are plain sync functions; `qtbot.waitUntil`/`waitSignal` spin Qt, which runs
the loop's tasks. Never `loop.stop()` (it latches QApplication.exit) and never a
pytest-asyncio test in this directory.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any QApplication exists

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.services.context import Services, StoreContext
from ui.asyncbridge import cancel_all_owners, make_test_loop
from ui.crash import CrashHandler
from ui.refcounts import guard_singletons
from ui.store import open_store
from ui.windows.main_window import DEFAULT_SIZE, MainWindow

# The whole suite runs in one process: PySide6's lost references must not abort it.
guard_singletons()

DEMO_CUSTOMERS = 120  # enough for two list pages; generation stays well under a second
WAIT_MS = 10_000
T = TypeVar("T")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.gui)


class LoopErrors:
    """Exceptions the loop reports (e.g. an un-awaited failing task): they fail the test."""

    def __init__(self) -> None:
        self.contexts: list[dict[str, object]] = []

    def __call__(self, _loop: asyncio.AbstractEventLoop, context: dict[str, object]) -> None:
        self.contexts.append(context)


_loop: asyncio.AbstractEventLoop | None = None


@pytest.fixture(scope="session")
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    global _loop
    _loop = make_test_loop(qapp)
    yield _loop
    _pause_loop()
    _loop = None


def _pause_loop() -> None:
    """Stop presenting the qasync loop as running, without loop.stop() (qt-stack.md)."""
    if _loop is None:
        return
    for task in asyncio.all_tasks(_loop):
        task.cancel()
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _loop is not None:  # back in tests/ui after other tests: running again
        asyncio.set_event_loop(_loop)
        asyncio.events._set_running_loop(_loop)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    # The rest of the session (tests/unit with pytest-asyncio) must not find a running
    # loop, or asyncio.Runner refuses to start.
    here = Path(__file__).parent
    if nextitem is None or here not in Path(str(nextitem.fspath)).parents:
        _pause_loop()


@pytest.fixture
def loop_errors(qloop: asyncio.AbstractEventLoop) -> Iterator[LoopErrors]:
    errors = LoopErrors()
    qloop.set_exception_handler(errors)
    yield errors
    qloop.set_exception_handler(None)
    assert not errors.contexts, errors.contexts


@pytest.fixture
def crashes() -> Iterator[CrashHandler]:
    """Bugs reaching the crash handler fail the test (no dialogs under test)."""
    handler = CrashHandler(show_dialog=False)
    handler.install()
    yield handler
    handler.uninstall()
    assert handler.count == 0, "an unexpected exception reached the crash handler"


def run(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    coro: Coroutine[Any, Any, T],
    timeout: int = WAIT_MS,
) -> T:
    """Run a coroutine to completion on the session loop while Qt spins."""
    task = qloop.create_task(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


@pytest.fixture
def services(app_home: Path) -> Services:
    return Services.create()


@pytest.fixture
def store(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, services: Services
) -> Iterator[StoreContext]:
    context = run(
        qtbot, qloop, open_store(services, None, demo_customers=DEMO_CUSTOMERS), timeout=60_000
    )
    yield context
    cancel_all_owners()
    run(qtbot, qloop, context.aclose())


@pytest.fixture
def window(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    services: Services,
    store: StoreContext,
    loop_errors: LoopErrors,
    crashes: CrashHandler,
) -> Iterator[MainWindow]:
    """The main window on the demo store, with the first list page loaded."""
    win = MainWindow(services, demo_customers=DEMO_CUSTOMERS)
    qtbot.addWidget(win)
    # The offscreen platform's screen is 800x600, and the first window fits the screen;
    # the tests work at the size a staff screen gives it (small sizes test themselves).
    win.resize(DEFAULT_SIZE)
    win.use_store(store)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()  # shortcuts (Ctrl+S, Esc) need an active window
    qtbot.waitActive(win)
    qtbot.waitUntil(lambda: win.model.rowCount() > 0 and not win.model.loading, timeout=WAIT_MS)
    yield win
    for owner in win.owners():
        owner.cancel_all()
    win.context = None  # the store fixture closes it
    close_boxes()


def close_boxes() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            widget.done(0)


def find_box(name: str | None = None) -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        if (
            isinstance(widget, QMessageBox)
            and widget.isVisible()
            and (name is None or widget.objectName() == name)
        ):
            return widget
    return None


def visible_box(qtbot: QtBot, name: str | None = None) -> QMessageBox:
    qtbot.waitUntil(lambda: find_box(name) is not None, timeout=WAIT_MS)
    box = find_box(name)
    assert box is not None
    return box


def click_box_button(box: QMessageBox, text_or_button: str | QMessageBox.StandardButton) -> None:
    if isinstance(text_or_button, str):
        button = next(b for b in box.buttons() if b.text().replace("&", "") == text_or_button)
    else:
        button = box.button(text_or_button)
    button.click()


def wait_idle(qtbot: QtBot, *widgets: QWidget | object, timeout: int = WAIT_MS) -> None:
    """Until no task of these widgets' owners runs."""

    def idle() -> bool:
        for widget in widgets:
            tasks = getattr(widget, "tasks", None)
            if tasks is not None and tasks.busy:
                return False
        return True

    qtbot.waitUntil(idle, timeout=timeout)


Finder = Callable[[str], QWidget]


def open_customer(qtbot: QtBot, win: MainWindow, customer_id: str) -> None:
    """Select the customer's row (or open it by id) and wait until the editor shows it."""
    row = win.model.row_of(customer_id)
    if row is None:
        win.open_customer(customer_id)
    else:
        win.table.selectRow(row)
    qtbot.waitUntil(
        lambda: (
            win.editor.customer is not None
            and win.editor.customer.id == customer_id
            and not win.editor.tasks.busy
        ),
        timeout=WAIT_MS,
    )


def set_text(qtbot: QtBot, edit: QWidget, text: str) -> None:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    assert isinstance(edit, QLineEdit)
    edit.setFocus()  # as a click into the field would; shortcuts follow the focus
    edit.selectAll()
    edit.clear()
    if text:
        QTest.keyClicks(edit, text)
