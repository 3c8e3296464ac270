"""Every adapter's capability flags agree with the protocols it implements (one source of
truth: `PROTOCOL_OF` and `REFINES` in app.backends.protocols)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from pydantic import SecretStr

from app.backends.catalog import ADAPTERS
from app.backends.chec import ChecAdapter
from app.backends.elasticpath import ElasticPathAdapter, ElasticPathCredentials
from app.backends.medusa import MedusaAdapter, MedusaCredentials
from app.backends.protocols import (
    PROTOCOL_OF,
    REFINES,
    Backend,
    ExplainsNoPasswordTokens,
    SupportsPasswordTokens,
)
from app.domain.capabilities import Capability

URL = "https://shop.example.com"  # never contacted: the adapters are only inspected


@pytest_asyncio.fixture
async def adapters() -> AsyncIterator[dict[str, Backend]]:
    built: dict[str, Backend] = {
        "medusa": MedusaAdapter(URL, MedusaCredentials(api_key=SecretStr("sk_x"))),
        "chec": ChecAdapter(URL, SecretStr("sk_x")),
        "elasticpath": ElasticPathAdapter(URL, ElasticPathCredentials("id", SecretStr("secret"))),
    }
    try:
        yield built
    finally:
        for adapter in built.values():
            await adapter.aclose()


def test_every_flag_is_bound_to_a_protocol_or_refines_one() -> None:
    for flag in Capability:
        assert (flag in PROTOCOL_OF) != (flag in REFINES), flag
    for flag, base in REFINES.items():
        while base in REFINES:
            base = REFINES[base]
        assert base in PROTOCOL_OF, flag


@pytest.mark.asyncio
async def test_flags_and_protocols_agree(adapters: dict[str, Backend]) -> None:
    assert set(adapters) == set(ADAPTERS)  # every adapter the catalog shows
    for name, adapter in adapters.items():
        caps = adapter.capabilities
        for flag, protocol in PROTOCOL_OF.items():
            if flag in caps:
                assert isinstance(adapter, protocol), f"{name}: {flag} without {protocol}"
        for protocol in set(PROTOCOL_OF.values()):
            flags = [f for f, p in PROTOCOL_OF.items() if p is protocol]
            if isinstance(adapter, protocol):
                assert any(f in caps for f in flags), f"{name}: {protocol} with none of {flags}"
        for flag, base in REFINES.items():
            if flag in caps:
                assert base in caps, f"{name}: {flag} without {base}"
        sort_fields = getattr(adapter, "sort_fields")  # noqa: B009
        assert (Capability.SORT in caps) == bool(sort_fields), name


@pytest.mark.asyncio
async def test_a_store_without_password_tokens_says_why(adapters: dict[str, Backend]) -> None:
    ep = adapters["elasticpath"]
    assert not isinstance(ep, SupportsPasswordTokens)
    assert isinstance(ep, ExplainsNoPasswordTokens)
    assert "Commerce Manager" in ep.password_token_refusal
