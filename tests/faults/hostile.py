"""A hostile Medusa-shaped admin server on 127.0.0.1, for the fault-injection suite.

It keeps a small store (customers, addresses, orders, reset emails) and answers the
routes the Medusa adapter uses, shaped like Medusa 2 (docs/medusa-peer.md), unless a
`Rule` says to misbehave on a route: reset the connection before or after acting, cut a
body short, hang, trickle a body byte by byte, answer 5xx, 429, 3xx, 401, 404, malformed
or wrong-shaped JSON, or serve the same page whatever the cursor.

Bounded: threads serve one request each and every wait ends at `stop()` or after
`MAX_STALL` seconds; the whole server stops after `LIFETIME` seconds by itself.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import re
import socket
import struct
import threading
from dataclasses import dataclass, field
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

ADMIN_EMAIL = "admin@shop.test"
ADMIN_PASSWORD = "hostile-PASSWORD-4711"
API_KEY = "sk_hostile_API_KEY_0815"
STAMP = "2026-01-0{}T10:00:00.000Z"
MAX_STALL = 8.0
LIFETIME = 120.0


class Fault(StrEnum):
    RESET_BEFORE = "reset-before"  # connection reset; the store did nothing
    RESET_AFTER = "reset-after"  # the store acted, then the connection reset
    CUT_BODY = "cut-body"  # the store acted; half the body, then a reset
    HANG = "hang"  # accepts, reads, says nothing
    TRICKLE = "trickle"  # the store acted; the body one byte at a time
    STATUS_500 = "500"
    STATUS_503 = "503"
    BUSY_NOW = "429-retry-0"  # 429 with Retry-After: 0
    BUSY_LONG = "429-retry-120"
    FORBIDDEN = "403"
    MALFORMED = "malformed-json"  # the store acted; the answer is not JSON
    WRONG_SHAPE = "wrong-shape"  # the store acted; JSON of another shape
    HTML = "html"  # a captive portal's page with 200
    EXPIRED = "token-expired"  # 401: the admin token expired, a new sign-in works
    DELETED = "deleted"  # 404: deleted under us
    REDIRECT = "redirect"  # 301 elsewhere
    REPEAT_PAGES = "repeat-pages"  # lists ignore offset and id cursors


@dataclass(frozen=True)
class Rule:
    method: str
    path: str  # a regular expression matched against the whole path
    fault: Fault
    times: int = 1_000  # how many matching requests misbehave


@dataclass
class State:
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    resets: list[str] = field(default_factory=list)  # reset emails the store sent
    tokens: set[str] = field(default_factory=set)
    logins: int = 0
    requests: list[str] = field(default_factory=list)


def seeded_state(customers: int = 3) -> State:
    state = State()
    for n in range(1, customers + 1):
        cid = f"cus_{n:04d}"
        state.customers[cid] = {
            "id": cid,
            "email": f"person{n}@example.com",
            "first_name": f"First{n}",
            "last_name": f"Last{n}",
            "phone": None,
            "company_name": None,
            "has_account": True,
            "metadata": None,
            "created_at": STAMP.format(n % 9 + 1),
            "updated_at": STAMP.format(n % 9 + 1),
            "groups": [],
            "addresses": [_address(cid, f"caddr_{n:04d}", "Hauptstr. 1")],
        }
        state.orders[f"order_{n:04d}"] = {
            "id": f"order_{n:04d}",
            "display_id": n,
            "status": "completed",
            "payment_status": "captured",
            "fulfillment_status": "fulfilled",
            "currency_code": "eur",
            "email": f"person{n}@example.com",
            "customer_id": cid,
            "total": 25,
            "created_at": STAMP.format(1),
            "items": [
                {"id": f"item_{n}", "title": "Mug", "quantity": 1, "unit_price": 25, "total": 25}
            ],
        }
    return state


def _address(customer_id: str, address_id: str, line: str, **more: Any) -> dict[str, Any]:
    return {
        "id": address_id,
        "customer_id": customer_id,
        "address_1": line,
        "city": "Köln",
        "country_code": "de",
        "is_default_shipping": False,
        "is_default_billing": False,
        **more,
    }


class _ReplyError(Exception):
    def __init__(self, status: int, body: Any = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


class HostileServer:
    def __init__(self, rules: list[Rule] | None = None, state: State | None = None) -> None:
        self.rules = list(rules or [])
        self.state = state or seeded_state()
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self._fired: dict[int, int] = {}
        self._ids = itertools.count(100)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._serve, name="hostile-medusa", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self) -> None:
        timer = threading.Timer(LIFETIME, self._httpd.shutdown)
        timer.daemon = True
        timer.start()
        try:
            self._httpd.serve_forever(poll_interval=0.05)
        finally:
            timer.cancel()

    def stop(self) -> None:
        self.stopped.set()
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def fault_for(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for n, rule in enumerate(self.rules):
                matches = rule.method == method and re.fullmatch(rule.path, path)
                if matches and self._fired.get(n, 0) < rule.times:
                    self._fired[n] = self._fired.get(n, 0) + 1
                    return rule.fault
        return None

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._ids):04d}"

    # --- the store -------------------------------------------------------------------

    def act(self, method: str, path: str, query: dict[str, str], body: Any, fault: Any) -> Any:
        """The store's answer (a JSON-able body) or a `_ReplyError` for an error status."""
        state = self.state
        if path == "/auth/user/emailpass" and method == "POST":
            if body.get("email") != ADMIN_EMAIL or body.get("password") != ADMIN_PASSWORD:
                raise _ReplyError(
                    401, {"type": "unauthorized", "message": "Invalid email or password"}
                )
            state.logins += 1
            token = f"tok-{state.logins}-{self.new_id('t')}"
            state.tokens.add(token)
            return {"token": token}
        if path == "/auth/customer/emailpass/reset-password" and method == "POST":
            state.resets.append(str(body.get("identifier")))
            return None  # 201, empty
        if path == "/admin/customer-groups":
            return {"customer_groups": [], "count": 0, "offset": 0, "limit": 500}
        if path == "/admin/customers" and method == "GET":
            return self._list(query, fault is Fault.REPEAT_PAGES)
        if path == "/admin/customers" and method == "POST":
            if any(c["email"] == body.get("email") for c in state.customers.values()):
                message = (
                    f"Customer with email: {body.get('email')}, has_account: false, already exists."
                )
                raise _ReplyError(400, {"type": "invalid_data", "message": message})
            cid = self.new_id("cus")
            state.customers[cid] = {
                "id": cid,
                "email": body.get("email"),
                "first_name": body.get("first_name"),
                "last_name": body.get("last_name"),
                "phone": body.get("phone"),
                "company_name": body.get("company_name"),
                "has_account": False,
                "metadata": body.get("metadata"),
                "created_at": STAMP.format(9),
                "updated_at": STAMP.format(9),
                "groups": [],
                "addresses": [],
            }
            return {"customer": state.customers[cid]}
        if path == "/admin/orders" and method == "GET":
            rows = [
                o for o in state.orders.values() if o["customer_id"] == query.get("customer_id")
            ]
            return self._paged("orders", rows, query, fault is Fault.REPEAT_PAGES)
        if m := re.fullmatch(r"/admin/orders/([^/]+)", path):
            order = state.orders.get(m[1])
            if order is None:
                raise _ReplyError(404, {"type": "not_found", "message": "Order not found"})
            return {"order": order}
        m = re.fullmatch(r"/admin/customers/([^/]+)(/addresses(?:/([^/]+))?)?", path)
        if m is None:
            raise _ReplyError(404, {"type": "not_found", "message": f"No route {path}"})
        customer = state.customers.get(m[1])
        if customer is None:
            raise _ReplyError(
                404, {"type": "not_found", "message": f"Customer with id: {m[1]} was not found"}
            )
        if m[2] is None:
            if method == "GET":
                return {"customer": customer}
            if method == "DELETE":
                del state.customers[m[1]]
                return {"id": m[1], "object": "customer", "deleted": True}
            for name in ("email", "first_name", "last_name", "phone", "company_name", "metadata"):
                if name in body:
                    customer[name] = body[name]
            customer["updated_at"] = STAMP.format(8)
            return {"customer": customer}
        addresses: list[dict[str, Any]] = customer["addresses"]
        if m[3] is None:
            if method == "GET":
                return self._paged("addresses", addresses, query, fault is Fault.REPEAT_PAGES)
            addresses.append(_address(m[1], self.new_id("caddr"), "", **body))
            return {"customer": customer}
        address = next((a for a in addresses if a["id"] == m[3]), None)
        if method == "DELETE":  # like Medusa: deleting what is gone answers 200
            if address is not None:
                addresses.remove(address)
            return {"id": m[3], "object": "customer_address", "deleted": True}
        if address is None:
            raise _ReplyError(404, {"type": "not_found", "message": "Address not found"})
        address.update(body)
        return {"customer": customer}

    def _list(self, query: dict[str, str], repeat: bool) -> dict[str, Any]:
        rows = sorted(self.state.customers.values(), key=lambda c: c["id"])
        order = query.get("order", "id")
        key = order.lstrip("-")
        rows.sort(key=lambda c: str(c.get(key) or ""), reverse=order.startswith("-"))
        if "email" in query:
            rows = [c for c in rows if c["email"] == query["email"]]
        if not repeat:
            if "id[$gt]" in query:
                rows = [c for c in rows if c["id"] > query["id[$gt]"]]
            if "id[$lt]" in query:
                rows = [c for c in rows if c["id"] < query["id[$lt]"]]
        count = len(rows) if "email" in query else len(self.state.customers)
        return self._paged("customers", rows, query, repeat, count=count)

    @staticmethod
    def _paged(
        name: str,
        rows: list[dict[str, Any]],
        query: dict[str, str],
        repeat: bool,
        count: int | None = None,
    ) -> dict[str, Any]:
        limit = int(query.get("limit", "50"))
        offset = 0 if repeat else int(query.get("offset", "0"))
        total = len(rows) if count is None else count
        if repeat and len(rows) < limit:  # a buggy backend: the count promises more
            total = (len(rows) + 1) * 1000
        return {
            name: rows[offset : offset + limit],
            "count": total,
            "offset": offset,
            "limit": limit,
        }

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return  # quiet: pytest shows stderr of failing tests

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def do_DELETE(self) -> None:
                self._serve("DELETE")

            def finish(self) -> None:
                with contextlib.suppress(OSError):  # we reset connections on purpose
                    super().finish()

            def _serve(self, method: str) -> None:
                self.close_connection = True
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query, keep_blank_values=True))
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else {}
                with server.lock:
                    server.state.requests.append(f"{method} {self.path}")
                fault = server.fault_for(method, parts.path)
                if fault is Fault.RESET_BEFORE:
                    return self._reset()
                if fault is Fault.HANG:
                    server.stopped.wait(MAX_STALL)
                    return self._reset()
                early = {
                    Fault.STATUS_500: (
                        500,
                        {"type": "unknown_error", "message": "An unknown error occurred."},
                    ),
                    Fault.STATUS_503: (503, {"message": "Service Unavailable"}),
                    Fault.BUSY_NOW: (429, {"message": "Too many requests"}),
                    Fault.BUSY_LONG: (429, {"message": "Too many requests"}),
                    Fault.FORBIDDEN: (403, {"type": "not_allowed", "message": "Forbidden"}),
                    Fault.DELETED: (404, {"type": "not_found", "message": "It was deleted"}),
                    Fault.REDIRECT: (301, None),
                }
                if fault in early:
                    status, payload = early[fault]
                    return self._send(status, payload, fault)
                if fault is Fault.EXPIRED or not self._authorised(parts.path):
                    return self._send(401, {"message": "Unauthorized"}, fault)
                try:
                    with server.lock:
                        payload = server.act(method, parts.path, query, body, fault)
                except _ReplyError as reply:
                    return self._send(reply.status, reply.body, fault)
                if fault is Fault.RESET_AFTER:
                    return self._reset()
                status = 201 if payload is None else 200
                self._send(status, payload, fault)

            def _authorised(self, path: str) -> bool:
                if path.startswith("/auth/"):
                    return True
                given = self.headers.get("authorization") or ""
                basic = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
                return given == basic or given.removeprefix("Bearer ") in server.state.tokens

            def _send(self, status: int, payload: Any, fault: Fault | None) -> None:
                content = b"" if payload is None else json.dumps(payload).encode()
                kind = "application/json"
                if fault is Fault.MALFORMED:
                    content = content[: len(content) // 2] + b"<<garbage"
                elif fault is Fault.WRONG_SHAPE:
                    content = json.dumps(
                        {"data": [1, "two", {"three": None}], "count": "many"}
                    ).encode()
                elif fault is Fault.HTML:
                    content, kind = b"<html><body>Sign in to the Wi-Fi</body></html>", "text/html"
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(content)))
                self.send_header("Connection", "close")
                if fault is Fault.BUSY_NOW:
                    self.send_header("Retry-After", "0")
                elif fault is Fault.BUSY_LONG:
                    self.send_header("Retry-After", "120")
                elif fault is Fault.REDIRECT:
                    self.send_header("Location", "https://elsewhere.example/admin?token=x")
                self.end_headers()
                if fault is Fault.CUT_BODY:
                    self.wfile.write(content[: len(content) // 2])
                    self.wfile.flush()
                    return self._reset()
                if fault is Fault.TRICKLE:
                    for byte in content:
                        if server.stopped.wait(0.2):
                            break
                        try:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                        except OSError:
                            return None
                    return None
                self.wfile.write(content)

            def _reset(self) -> None:
                # SO_LINGER 0: close() sends RST, the client sees "connection reset".
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()

        return Handler


def closed_port_url() -> str:
    """An address where nothing listens: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
