"""Window layout settings (QSettings), kept under the app's config dir.

An explicit INI path honours $MERCHANT_DESK_HOME, so tests and demos never touch the
real user's settings.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from app.services.paths import AppPaths


def ui_settings() -> QSettings:
    path = AppPaths.detect().config / "ui.ini"
    return QSettings(str(path), QSettings.Format.IniFormat)
