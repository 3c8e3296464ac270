"""Combo boxes whose "any" item carries no None.

PySide6 6.12 drops a reference to None each time a QVariant holding None (or nothing)
comes back to Python (`currentData()`, `itemData()`): read often enough, None's count
reaches zero and the interpreter aborts ("none_dealloc"). So "any" is a string here, and
callers get None back from `chosen()` without Qt handing it over.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

ANY = "\x00any"  # no group id or other value is this


def chosen(combo: QComboBox) -> object:
    """The current item's data; None for the "any" item."""
    data = combo.currentData()
    return None if data == ANY else data


def choose(combo: QComboBox, value: object) -> None:
    """Make the item with `value` current (None: the "any" item; unknown: the first)."""
    combo.setCurrentIndex(max(combo.findData(ANY if value is None else value), 0))
