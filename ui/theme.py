"""Light and dark palettes (Fusion) and the few colours of our own, all readable.

Staff choose View ▸ Theme: System (follow the desktop's light or dark scheme), Light or
Dark; the choice is remembered. Every text colour here reaches WCAG AA (4.5:1) against
the background it is drawn on, in both palettes (tests/ui/test_theme.py computes it).

Our own colours (error text, the offline banner, the demo badge, muted notes) live in one
application style sheet keyed by object name or the `role` property, so switching the
theme restyles every open widget at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from ui.settings import ui_settings

THEME_KEY = "view/theme"


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True)
class Colours:
    error: str  # error text on the window or a field's base
    muted: str  # secondary notes (why a button is off)
    banner_background: str
    banner_border: str
    banner_text: str
    badge_background: str
    badge_text: str
    focus: str  # the frame of the list that has the keyboard focus (3:1 as a UI part)
    frame: str  # the same frame without the focus


LIGHT = Colours(
    error="#b3261e",
    muted="#595959",
    banner_background="#fff4ce",
    banner_border="#c9a227",
    banner_text="#3d2e00",
    badge_background="#b45309",
    badge_text="#ffffff",
    focus="#1f6fb2",
    frame="#b4b4b4",
)
DARK = Colours(
    error="#ff8a80",
    muted="#b8b8b8",
    banner_background="#4a3b00",
    banner_border="#a08020",
    banner_text="#fff4ce",
    badge_background="#b45309",
    badge_text="#ffffff",
    focus="#4a9eff",
    frame="#505050",
)


def mark(widget: QWidget, role: str) -> None:
    """Give a label one of our roles ("error", "muted"); the style sheet colours it."""
    widget.setProperty("role", role)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def style_sheet(colours: Colours) -> str:
    c = colours
    return (
        f'QLabel[role="error"] {{ color: {c.error}; }}\n'
        f'QLabel[role="muted"] {{ color: {c.muted}; }}\n'
        f"QFrame#offlineBanner {{ background: {c.banner_background}; "
        f"border: 1px solid {c.banner_border}; border-radius: 4px; }}\n"
        f"QFrame#offlineBanner QLabel {{ color: {c.banner_text}; background: transparent; }}\n"
        f"QLabel#demoBadge {{ background: {c.badge_background}; color: {c.badge_text}; "
        "font-weight: bold; padding: 2px 8px; border-radius: 3px; }\n"
        # Where the keys go: a list with the focus says so (Fusion's own mark is faint).
        # Same width with and without: the focus must not make a scrollbar come and go.
        f"QTableView, QListWidget {{ border: 2px solid {c.frame}; }}\n"
        f"QTableView:focus, QListWidget:focus {{ border: 2px solid {c.focus}; }}\n"
    )


def _dark_palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor(37, 37, 38), QColor(45, 45, 48), QColor(230, 230, 230)
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor(52, 52, 56))
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, window)
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.ToolTipBase, base)
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.Highlight, QColor(38, 110, 200))
    p.setColor(QPalette.ColorRole.HighlightedText, Qt.GlobalColor.white)
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor(160, 160, 160))
    p.setColor(QPalette.ColorRole.Link, QColor(120, 180, 255))
    p.setColor(QPalette.ColorRole.BrightText, QColor(255, 138, 128))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(127, 127, 127))
    return p


def _light_palette(app: QApplication) -> QPalette:
    p = app.style().standardPalette()
    # Fusion's own selection blue (#308cc6) gives white text only 3.7:1, and its
    # half-transparent placeholder about 4:1 on white: both made darker.
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, QPalette.ColorRole.Highlight, QColor(31, 111, 178))
        p.setColor(group, QPalette.ColorRole.HighlightedText, Qt.GlobalColor.white)
        p.setColor(group, QPalette.ColorRole.PlaceholderText, QColor(100, 100, 100))
        p.setColor(group, QPalette.ColorRole.Link, QColor(0, 90, 170))
    return p


def saved_theme() -> Theme:
    value = ui_settings().value(THEME_KEY, Theme.SYSTEM.value)
    try:
        return Theme(str(value))
    except ValueError:
        return Theme.SYSTEM


def save_theme(theme: Theme) -> None:
    settings = ui_settings()
    settings.setValue(THEME_KEY, theme.value)
    settings.sync()


def is_dark(app: QApplication, theme: Theme) -> bool:
    if theme is Theme.SYSTEM:
        return app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    return theme is Theme.DARK


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Palette and our colours for `theme` (System: the desktop's scheme now)."""
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")  # the palettes are made for it
    dark = is_dark(app, theme)
    app.setPalette(_dark_palette() if dark else _light_palette(app))
    app.setStyleSheet(style_sheet(DARK if dark else LIGHT))
    app.setProperty("merchantDeskTheme", theme.value)


def current_theme(app: QApplication) -> Theme:
    value = app.property("merchantDeskTheme")
    try:
        return Theme(str(value))
    except ValueError:
        return Theme.SYSTEM


def apply_scheme(app: QApplication) -> None:
    """At start: Fusion, the remembered theme, and under System the desktop's changes."""
    app.setStyle("Fusion")
    apply_theme(app, saved_theme())

    def follow() -> None:
        if current_theme(app) is Theme.SYSTEM:
            apply_theme(app, Theme.SYSTEM)

    app.styleHints().colorSchemeChanged.connect(lambda *_: follow())
