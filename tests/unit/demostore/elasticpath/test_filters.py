"""The emulation's `filter` parser follows the reference syntax (filtering.md)."""

from __future__ import annotations

import pytest

from demostore.elasticpath.errors import EPError
from demostore.elasticpath.filters import parse_filter


def test_filter_parser() -> None:
    parsed = parse_filter('ge(updated_at,2021-06-07T18:24:48.149Z):eq(name,"Food \\"n\\" Stuff")')
    assert [(f.op, f.field, f.value) for f in parsed] == [
        ("ge", "updated_at", "2021-06-07T18:24:48.149Z"),
        ("eq", "name", 'Food "n" Stuff'),
    ]
    for broken in ("eq(name", "eq(name,x)x", "eq(name,x):", "eq(name,'x"):
        with pytest.raises(EPError):
            parse_filter(broken)
    with pytest.raises(EPError):
        parse_filter(":".join(["eq(id,x)"] * 11))
