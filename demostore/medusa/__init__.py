"""The demo store in the Medusa 2 admin HTTP dialect, over the shared shop (`demostore.core`).

Typical use (the gateway wraps the app in ``httpx.ASGITransport``)::

    store = await open_demo(path)
    app = create_demo_app(store, FaultSettings())
"""

from demostore.medusa.httpkit import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DemoSettings
from demostore.medusa.server import create_demo_app

__all__ = ["DEMO_ADMIN_EMAIL", "DEMO_ADMIN_PASSWORD", "DemoSettings", "create_demo_app"]
