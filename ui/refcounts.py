"""A guard against PySide6 6.12's lost references to None and True (CPython < 3.12).

Measured here (PySide6 6.12.0, Python 3.11): every `emit(True)` of a Python signal drops
a reference to True, every Python slot called from a C++ signal drops one to None, and so
does every None read back from a QVariant. Enough of them and the count reaches zero: the
interpreter aborts ("Fatal Python error: bool_dealloc" / "none_dealloc"), at the latest
when it exits. A desk open all day, or the whole test suite in one process, gets there.

From Python 3.12 these singletons are immortal and nothing needs doing. Before it, their
counts are raised once by a margin no session uses up (2**40), which is what 3.12 does in
effect. Remove this when PySide6 is fixed (tests/ui/test_refcounts.py shows the drop).
"""

from __future__ import annotations

import ctypes
import sys

MARGIN = 1 << 40


def guard_singletons() -> None:
    """Make None, True and False effectively immortal on CPython < 3.12 (idempotent)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for singleton in (None, True, False):
        # ob_refcnt is a PyObject's first field (Py_ssize_t) on CPython < 3.12.
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < MARGIN:
            count.value += MARGIN
