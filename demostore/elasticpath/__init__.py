"""The demo store in Elastic Path's dialect: `create_ep_app(store, faults)` over the same
SQLite `DemoStore` as the Medusa dialect, for `merchant-desk --store demo-ep` and the
contract suite. Written from Elastic Path's published reference, not from the adapter; strict
unless an `EPDialect` switch says otherwise (see `dialect.py`)."""

from demostore.elasticpath.dialect import LENIENT_ENV, EPDialect
from demostore.elasticpath.server import (
    DEMO_EP_CLIENT_ID,
    DEMO_EP_CLIENT_SECRET,
    EPDemoSettings,
    create_ep_app,
    prepare,
)

__all__ = [
    "DEMO_EP_CLIENT_ID",
    "DEMO_EP_CLIENT_SECRET",
    "LENIENT_ENV",
    "EPDemoSettings",
    "EPDialect",
    "create_ep_app",
    "prepare",
]
