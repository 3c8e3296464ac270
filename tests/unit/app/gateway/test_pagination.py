from __future__ import annotations

import httpx
import pytest
from pydantic import BaseModel

from app.domain.errors import BadResponseError, ErrorDetails
from app.gateway.pagination import keyset_of, keyset_token, next_offset, offset_of
from app.gateway.transport import ApiResponse


def test_offset_tokens() -> None:
    assert offset_of(None) == 0
    assert offset_of(next_offset(0, 50, 120)) == 50
    assert next_offset(100, 20, 120) is None  # the last page
    assert next_offset(0, 0, 120) is None  # an empty page ends paging
    assert offset_of("o:-5") == 0
    assert offset_of("o:abc") == 0
    assert offset_of(keyset_token("cus_1")) == 0  # another kind


def test_keyset_tokens() -> None:
    assert keyset_of(keyset_token("cus_01H")) == "cus_01H"
    assert keyset_of(None) is None
    assert keyset_of("k:") is None
    assert keyset_of("o:10") is None


class Thing(BaseModel):
    id: str


def test_parse_wraps_shape_errors_with_the_request_details() -> None:
    details = ErrorDetails(backend="x", url="/things/1", status=200)
    good = ApiResponse(200, httpx.Headers(), b'{"id": "t1"}', details)
    assert good.parse(Thing).id == "t1"
    assert good.parse(Thing, {"id": "t2"}).id == "t2"
    bad = ApiResponse(200, httpx.Headers(), b'{"name": "no id"}', details)
    with pytest.raises(BadResponseError) as info:
        bad.parse(Thing)
    assert info.value.details.url == "/things/1"
