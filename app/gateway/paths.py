"""Ids into URL paths: every path parameter goes through `segment`, in every adapter.

An id is user input (`customers show ID`) or backend data; put raw into a path, `../users/me`
reaches another route with the admin token, and `?` or `#` cut the id short. No backend's
ids (Medusa `cus_01…` ULIDs, Chec `cstmr_…`, Elastic Path UUIDs) contain a separator,
a dot segment, white space or a control character, so such an id is refused outright;
whatever remains is percent-escaped as one path segment.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from app.domain.errors import FieldError, ValidationFailedError

MAX_ID_LENGTH = 200
# Separators and escapes (/ \ ? # %), white space and control characters (C0, DEL, C1).
_REFUSED = re.compile(r"[/\\?#%\s\x00-\x1f\x7f-\x9f]")


def segment(value: str, what: str = "id") -> str:
    """`value` as one escaped path segment; `ValidationFailedError` for an impossible id."""
    if (
        not value
        or value in (".", "..")
        or len(value) > MAX_ID_LENGTH
        or _REFUSED.search(value) is not None
    ):
        shown = value[:40].encode("unicode_escape").decode("ascii")
        raise ValidationFailedError(
            f"'{shown}' is not a valid {what} for this store.",
            field_errors=(FieldError(what, "Not a valid id"),),
        )
    return quote(value, safe="")
