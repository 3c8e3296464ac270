"""The first window fits the screen it opens on."""

from __future__ import annotations

from PySide6.QtCore import QSize

from ui.windows.main_window import DEFAULT_SIZE, default_size


def test_the_first_window_never_exceeds_the_screen() -> None:
    assert default_size(QSize(1280, 800)) == QSize(1280, 800)
    assert default_size(QSize(960, 1040)) == QSize(960, DEFAULT_SIZE.height())
    assert default_size(QSize(2560, 1400)) == DEFAULT_SIZE
