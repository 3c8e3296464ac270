"""Control characters in text from the store or staff.

Customers choose their own names on the storefront; an escape sequence in one must not
clear a clerk's terminal or retitle it, nor hide part of a row in the desk. `visible`
shows such characters as harmless symbols; validation refuses them in what staff type.
"""

from __future__ import annotations

import re

# C0 (tab and newline included: one value, one line), DEL, C1 (8-bit CSI and friends),
# and the bidirectional overrides and isolates that can reorder what a row displays.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _symbol(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode control pictures: ␛ ␇ ␊ …
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def has_control(text: str | None) -> bool:
    return bool(text) and CONTROL.search(text or "") is not None


def visible(text: str) -> str:
    """The text with each control character replaced by a visible stand-in."""
    return CONTROL.sub(_symbol, text)
