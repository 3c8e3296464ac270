"""Both palettes are readable: every text colour the desk draws reaches WCAG AA (4.5:1)
against what it is drawn on, computed from the widgets' own palettes after styling; the
theme is chosen in View ▸ Theme and remembered."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.mirror.service import MirrorState
from tests.ui.conftest import WAIT_MS, open_customer, set_text
from ui.settings import ui_settings
from ui.theme import THEME_KEY, Theme, apply_scheme, current_theme
from ui.windows.main_window import MainWindow

AA = 4.5
Role = QPalette.ColorRole


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def background(widget: QWidget) -> QColor:
    """The colour behind `widget`: its own or the nearest ancestor's painted background."""
    current: QWidget | None = widget
    while current is not None:
        colour = current.palette().color(current.backgroundRole())
        paints = (
            current.isWindow()
            or current.autoFillBackground()
            or current.testAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        )
        if paints and colour.alpha() == 255:
            return colour
        current = current.parentWidget()
    raise AssertionError(f"nothing paints behind {widget.objectName()}")


@pytest.fixture
def restore_theme(qapp: QApplication) -> Iterator[None]:
    palette, sheet, style = qapp.palette(), qapp.styleSheet(), qapp.style().name()
    yield
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setStyle(style)
    qapp.setProperty("merchantDeskTheme", None)


PAIRS = [
    (Role.WindowText, Role.Window),
    (Role.Text, Role.Base),
    (Role.Text, Role.AlternateBase),
    (Role.ButtonText, Role.Button),
    (Role.HighlightedText, Role.Highlight),
    (Role.PlaceholderText, Role.Base),
    (Role.ToolTipText, Role.ToolTipBase),
    (Role.Link, Role.Base),
]


@pytest.mark.usefixtures("restore_theme")
@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_all_text_reaches_aa_contrast(qtbot: QtBot, window: MainWindow, theme: Theme) -> None:
    window.set_theme(theme)
    # Everything that has a colour of its own on screen at once: the offline banner, a
    # field error, a refused date range, the reason a button is off, the demo badge.
    window.offline_banner.show_state(
        MirrorState(online=False, ready=True, customers=1, last_sync=datetime.now(UTC))
    )
    open_customer(qtbot, window, window.model.item(0).id)
    set_text(qtbot, window.editor.fields["email"].edit, "not an email")
    window.filter_bar.created.set_range(QDate(2026, 5, 1), QDate(2026, 1, 1))
    window.editor.token_reason.setText("Not available.")
    window.editor.token_reason.show()
    qtbot.waitUntil(lambda: window.filter_bar.date_error.isVisible(), timeout=WAIT_MS)

    failures = []
    palette = QApplication.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for fg, bg in PAIRS:
            ratio = contrast(palette.color(group, fg), palette.color(group, bg))
            if ratio < AA:
                failures.append(f"palette {fg.name} on {bg.name}: {ratio:.2f}")
    labels = [w for w in window.findChildren(QLabel) if w.isVisible() and w.text()]
    assert window.editor.fields["email"].error in labels
    assert window.offline_banner.label in labels
    assert window.demo_badge in labels
    for label in labels:
        if not label.isEnabled():
            continue  # an inactive control is exempt (WCAG 1.4.3)
        text = label.palette().color(label.foregroundRole())
        ratio = contrast(text, background(label))
        if ratio < AA:
            failures.append(f"{label.objectName() or label.text()[:30]!r}: {ratio:.2f}")
    assert not failures, failures


@pytest.mark.usefixtures("restore_theme")
def test_theme_menu_applies_and_remembers(
    qtbot: QtBot, window: MainWindow, qapp: QApplication
) -> None:
    window.theme_actions[Theme.DARK].trigger()
    assert luminance(qapp.palette().color(Role.Window)) < 0.1
    assert ui_settings().value(THEME_KEY) == "dark"
    qapp.setPalette(qapp.style().standardPalette())  # as at a new start
    apply_scheme(qapp)
    assert current_theme(qapp) is Theme.DARK
    assert luminance(qapp.palette().color(Role.Window)) < 0.1
    window.theme_actions[Theme.LIGHT].trigger()
    assert luminance(qapp.palette().color(Role.Window)) > 0.5
    assert window.theme_actions[Theme.LIGHT].isChecked()
    assert not window.theme_actions[Theme.DARK].isChecked()
