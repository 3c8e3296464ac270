"""The token action keeps its store's name when it cannot be used (offline): the desk's
button must not turn from "Issue login token" into "Send password reset"."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from app.domain.errors import NotEligibleError
from app.domain.query import CustomerQuery
from app.services.context import Services
from app.services.customers import CustomerService


@pytest.mark.asyncio
async def test_offline_token_eligibility_keeps_the_stores_action(app_home: Path) -> None:
    ctx = await Services.create().open_store("demo-chec", demo_customers=30)
    try:
        customer = (await ctx.customers.search(CustomerQuery())).items[0]
        online = ctx.customers.token_eligibility(customer)
        assert online.action == "Issue login token"
        offline_mirror: Any = SimpleNamespace(online=False)
        offline = CustomerService(ctx.customers._backend, offline_mirror)
        refused = offline.token_eligibility(customer)
        assert not refused.allowed
        assert refused.action == "Issue login token"
    finally:
        await ctx.aclose()


@pytest.mark.asyncio
async def test_a_store_without_tokens_keeps_its_own_reason(app_home: Path) -> None:
    ctx = await Services.create().open_store("demo-ep", demo_customers=30)
    try:
        customer = (await ctx.customers.search(CustomerQuery())).items[0]
        refused = ctx.customers.token_eligibility(customer)
        assert not refused.allowed
        assert refused.reason is not None
        assert "Commerce Manager" in refused.reason
        with pytest.raises(NotEligibleError, match="Commerce Manager"):
            await ctx.customers.issue_token(customer)
    finally:
        await ctx.aclose()
