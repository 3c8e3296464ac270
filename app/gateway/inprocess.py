"""Serve an in-process ASGI app (the demo store) through the same gateway as a real server."""

from __future__ import annotations

from typing import Any

import httpx

from app.gateway.transport import GatewayOptions


def asgi_options(app: Any, base: GatewayOptions = GatewayOptions()) -> GatewayOptions:
    """Gateway options whose requests go to `app` instead of the network."""
    return GatewayOptions(
        timeouts=base.timeouts,
        retry=base.retry,
        transport=httpx.ASGITransport(app=app),
        sleep=base.sleep,
        jitter=base.jitter,
        clock=base.clock,
    )
