"""Test-side seeding over the Medusa v2 HTTP dialect.

The contract suite runs the same tests against a real Medusa server (tests/peers/medusa) and
against the in-process demo store, so everything here goes through public HTTP endpoints only
(no DB access, no `medusa exec`). Behaviour checked against Medusa 2.21.2:

* admin calls take ``Authorization: Bearer <JWT from POST /auth/user/emailpass>``;
* admin POSTs answer 200 (not 201); the password-reset request answers 201 ``Created``;
* a draft order needs only ``region_id`` and items; the sales channel defaults to the store's
  and the email to the customer's, but both are sent so a simpler server needs no defaults;
* amounts are JSON numbers in major units (19.99), totals come back exact (0.1 x 3 = 0.3);
* a country can belong to one region only ("Countries with codes: ... are already assigned").
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import TracebackType
from typing import Any, Final, Self

import httpx

JSONDict = dict[str, Any]

#: Password given to customers registered by the harness (test constant).
CUSTOMER_PASSWORD: Final = "Customer-Passw0rd!"

# Countries for a region per currency. Medusa rejects a country already in another region, so
# ensure_region() falls back to a region without countries (draft orders do not need any).
_REGION_COUNTRIES: Final[Mapping[str, Sequence[str]]] = {
    "eur": ("de", "fr", "at", "it", "es", "nl"),
    "usd": ("us",),
    "gbp": ("gb",),
    "chf": ("ch",),
    "sek": ("se",),
    "dkk": ("dk",),
    "nok": ("no",),
    "pln": ("pl",),
    "czk": ("cz",),
    "jpy": ("jp",),
    "cad": ("ca",),
    "aud": ("au",),
}

# Deterministic, partly non-ASCII names so search, sorting and encoding get exercised.
_FIRST_NAMES: Final = (
    "Anna", "Björn", "Chloé", "Dmitri", "Élodie", "Fatima", "Grete", "Håkon", "Inés", "Jürgen",
    "Kenji", "Łukasz", "Mia", "Noah", "Zoë", "Ренат", "Σοφία", "美咲", "Şule", "Paul",
)  # fmt: skip
_LAST_NAMES: Final = (
    "Müller", "Schmidt", "Ødegaard", "García", "Nowak", "Dvořák", "O'Brien", "Weber", "Ñúñez",
    "Kovačević", "Иванова", "Παπαδόπουλος", "山田", "Lefèvre", "Yılmaz", "Smith",
)  # fmt: skip


class MedusaDialectError(Exception):
    """An HTTP call answered with an unexpected status."""

    def __init__(self, method: str, path: str, status: int, body: str) -> None:
        super().__init__(f"{method} {path} -> HTTP {status}: {body[:500]}")
        self.method = method
        self.path = path
        self.status = status
        self.body = body


def _amount(value: Decimal) -> int | float:
    """A Decimal as the JSON number Medusa expects, refusing values a float would alter."""
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) != value:
        raise ValueError(f"amount {value} cannot be sent exactly as a JSON number")
    return as_float


class MedusaDialectHarness:
    """Seeds and inspects a Medusa-dialect store over HTTP (real peer or demo store)."""

    def __init__(
        self,
        base_url: str,
        admin_email: str,
        admin_password: str,
        publishable_key: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._admin_email = admin_email
        self._admin_password = admin_password
        self._publishable_key = publishable_key
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            transport=transport,
            # Generous: the real server shares two cores with Postgres during bulk seeding.
            timeout=httpx.Timeout(60.0, connect=10.0),
        )
        self._token: str | None = None
        self._login_lock = asyncio.Lock()
        self._region_lock = asyncio.Lock()
        self._regions: dict[str, str] = {}
        self._sales_channel_id: str | None = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    # ------------------------------------------------------------------ plumbing

    async def _send(
        self,
        method: str,
        path: str,
        *,
        json: object = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        response = await self._client.request(
            method, path, json=json, params=params, headers=headers
        )
        if not response.is_success:
            raise MedusaDialectError(method, path, response.status_code, response.text)
        return response

    async def admin_request(
        self,
        method: str,
        path: str,
        *,
        json: object = None,
        params: Mapping[str, str | int] | None = None,
    ) -> JSONDict:
        """An authenticated /admin call returning the JSON body (re-logs in once on 401)."""
        for attempt in range(2):
            token = await self.login()
            try:
                response = await self._send(
                    method,
                    path,
                    json=json,
                    params=params,
                    headers={"Authorization": f"Bearer {token}"},
                )
            except MedusaDialectError as error:
                if error.status == 401 and attempt == 0:
                    self._token = None  # expired or from a restarted server
                    continue
                raise
            body: JSONDict = response.json()
            return body
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------ auth

    async def login(self) -> str:
        """The admin JWT (POST /auth/user/emailpass), cached for the harness' lifetime."""
        async with self._login_lock:
            if self._token is None:
                response = await self._send(
                    "POST",
                    "/auth/user/emailpass",
                    json={"email": self._admin_email, "password": self._admin_password},
                )
                self._token = str(response.json()["token"])
            return self._token

    async def publishable_key(self) -> str:
        """The given publishable key, else the first unrevoked one the store has."""
        if self._publishable_key is None:
            body = await self.admin_request(
                "GET",
                "/admin/api-keys",
                params={"type": "publishable", "fields": "token,revoked_at"},
            )
            tokens = [k["token"] for k in body["api_keys"] if not k.get("revoked_at")]
            if not tokens:
                raise LookupError("the store has no unrevoked publishable API key")
            self._publishable_key = str(tokens[0])
        return self._publishable_key

    # ------------------------------------------------------------------ customers

    async def register_customer(
        self,
        email: str,
        first_name: str,
        last_name: str,
        phone: str | None = None,
        *,
        password: str = CUSTOMER_PASSWORD,
    ) -> str:
        """Registers a storefront customer (has_account true) the way a shopper would."""
        registration = await self._send(
            "POST",
            "/auth/customer/emailpass/register",
            json={"email": email, "password": password},
        )
        token = str(registration.json()["token"])
        body: JSONDict = {"email": email, "first_name": first_name, "last_name": last_name}
        if phone is not None:
            body["phone"] = phone
        response = await self._send(
            "POST",
            "/store/customers",
            json=body,
            headers={
                "Authorization": f"Bearer {token}",
                "x-publishable-api-key": await self.publishable_key(),
            },
        )
        return str(response.json()["customer"]["id"])

    async def create_customer(self, **fields: Any) -> JSONDict:
        """POST /admin/customers with the given fields; returns the customer (has_account false)."""
        body = await self.admin_request("POST", "/admin/customers", json=fields)
        customer: JSONDict = body["customer"]
        return customer

    async def bulk_create_customers(
        self, count: int, email_prefix: str, domain: str, concurrency: int = 6
    ) -> list[str]:
        """Creates ``count`` customers concurrently; ids in index order.

        Emails are ``<prefix><index:05d>@<domain>``. There is no batch endpoint in Medusa 2.21;
        6 concurrent requests was the throughput optimum measured on the 2-core dev machine.
        """
        if count < 0 or concurrency < 1:
            raise ValueError("count must be >= 0 and concurrency >= 1")
        ids: list[str] = [""] * count
        indices = iter(range(count))

        async def worker() -> None:
            # A shared iterator instead of one task per customer: bounded tasks for 10k rows.
            for i in indices:
                customer = await self.create_customer(
                    email=f"{email_prefix}{i:05d}@{domain}",
                    first_name=_FIRST_NAMES[i % len(_FIRST_NAMES)],
                    last_name=_LAST_NAMES[(i * 7) % len(_LAST_NAMES)],
                    phone=f"+4915{(i * 7919) % 100_000_000:08d}",
                )
                ids[i] = str(customer["id"])

        await self.login()  # once, before the workers race for it
        # TaskGroup cancels the other workers as soon as one request fails.
        async with asyncio.TaskGroup() as group:
            for _ in range(min(concurrency, max(count, 1))):
                group.create_task(worker())
        return ids

    async def create_group(self, name: str) -> str:
        body = await self.admin_request("POST", "/admin/customer-groups", json={"name": name})
        return str(body["customer_group"]["id"])

    # ------------------------------------------------------------------ orders

    async def ensure_region(self, currency: str) -> str:
        """A region for ``currency`` (an existing one if the store has it), cached."""
        currency = currency.lower()
        async with self._region_lock:
            if currency in self._regions:
                return self._regions[currency]
            listing = await self.admin_request(
                "GET", "/admin/regions", params={"currency_code": currency, "limit": 200}
            )
            # Filtered again here: a simpler server may ignore the query filter.
            existing = [r for r in listing["regions"] if r.get("currency_code") == currency]
            if existing:
                region_id = str(existing[0]["id"])
            else:
                region_id = await self._create_region(currency)
            self._regions[currency] = region_id
            return region_id

    async def _create_region(self, currency: str) -> str:
        body: JSONDict = {
            "name": f"Test region ({currency.upper()})",
            "currency_code": currency,
            "countries": list(_REGION_COUNTRIES.get(currency, ())),
            "payment_providers": ["pp_system_default"],
        }
        try:
            created = await self.admin_request("POST", "/admin/regions", json=body)
        except MedusaDialectError as error:
            if error.status != 400 or "already assigned" not in error.body:
                raise
            # The countries belong to a region of another currency: go without countries.
            created = await self.admin_request(
                "POST", "/admin/regions", json={**body, "countries": []}
            )
        return str(created["region"]["id"])

    async def _default_sales_channel(self) -> str:
        if self._sales_channel_id is None:
            body = await self.admin_request("GET", "/admin/sales-channels")
            channels = [c for c in body["sales_channels"] if not c.get("is_disabled")]
            if not channels:
                raise LookupError("the store has no enabled sales channel")
            self._sales_channel_id = str(channels[0]["id"])
        return self._sales_channel_id

    async def create_product(
        self, title: str, sku: str, price: Decimal, currency: str = "eur"
    ) -> str:
        """A published product with one variant (no inventory); returns the variant id.

        `manage_inventory: false` needs no stock location, which a fresh store lacks.
        """
        body = await self.admin_request(
            "POST",
            "/admin/products",
            json={
                "title": title,
                "status": "published",
                "options": [{"title": "Size", "values": ["One size"]}],
                "variants": [
                    {
                        "title": "One size",
                        "sku": sku,
                        "options": {"Size": "One size"},
                        "manage_inventory": False,
                        "prices": [{"currency_code": currency, "amount": _amount(price)}],
                    }
                ],
                "sales_channels": [{"id": await self._default_sales_channel()}],
            },
        )
        return str(body["product"]["variants"][0]["id"])

    async def create_variant_order(
        self, customer_id: str, variant_id: str, quantity: int, currency: str = "eur"
    ) -> str:
        """An order of a catalogue variant (price taken from the variant)."""
        draft = await self.admin_request(
            "POST",
            "/admin/draft-orders",
            json={
                "region_id": await self.ensure_region(currency),
                "sales_channel_id": await self._default_sales_channel(),
                "customer_id": customer_id,
                "items": [{"variant_id": variant_id, "quantity": quantity}],
            },
        )
        draft_id = draft["draft_order"]["id"]
        converted = await self.admin_request(
            "POST", f"/admin/draft-orders/{draft_id}/convert-to-order", json={}
        )
        return str(converted["order"]["id"])

    async def create_order(
        self,
        customer_id: str,
        items: Sequence[tuple[str, Decimal, int]],
        currency: str = "eur",
        shipping_address: Mapping[str, Any] | None = None,
    ) -> str:
        """An order for the customer with custom items ``(title, unit_price, quantity)``.

        Built as a draft order and converted, the only admin route to an order in Medusa 2.
        The order is ``pending`` / ``not_paid`` / ``not_fulfilled``, without tax or shipping.
        """
        customer = await self.admin_request("GET", f"/admin/customers/{customer_id}")
        body: JSONDict = {
            "region_id": await self.ensure_region(currency),
            "sales_channel_id": await self._default_sales_channel(),
            "customer_id": customer_id,
            "items": [
                {"title": title, "unit_price": _amount(price), "quantity": quantity}
                for title, price, quantity in items
            ],
        }
        email = customer["customer"].get("email")
        if email:
            body["email"] = email
        if shipping_address is not None:
            body["shipping_address"] = dict(shipping_address)
        draft = await self.admin_request("POST", "/admin/draft-orders", json=body)
        draft_id = draft["draft_order"]["id"]
        converted = await self.admin_request(
            "POST", f"/admin/draft-orders/{draft_id}/convert-to-order", json={}
        )
        return str(converted["order"]["id"])

    # ------------------------------------------------------------------ password reset

    async def request_password_reset(self, email: str) -> None:
        """What the storefront's "forgot password" does; answers 201 whether or not email exists."""
        await self._send(
            "POST", "/auth/customer/emailpass/reset-password", json={"identifier": email}
        )

    async def reset_notifications(self, email: str) -> list[JSONDict]:
        """Notifications sent on channel "email" to ``email``, newest first."""
        body = await self.admin_request(
            "GET", "/admin/notifications", params={"channel": "email", "to": email}
        )
        notifications: list[JSONDict] = body["notifications"]
        # Medusa already orders by -created_at; sorting again keeps other servers honest.
        return sorted(notifications, key=lambda n: str(n.get("created_at", "")), reverse=True)

    async def wait_for_reset_token(
        self,
        email: str,
        *,
        known_ids: frozenset[str] = frozenset(),
        wait_s: float = 10.0,
    ) -> str:
        """The token of the first password-reset notification not in ``known_ids``.

        Polls because Medusa records the notification from an async event subscriber.
        """
        try:
            async with asyncio.timeout(wait_s):
                while True:
                    for notification in await self.reset_notifications(email):
                        token = (notification.get("data") or {}).get("token")
                        if notification.get("id") not in known_ids and token:
                            return str(token)
                    await asyncio.sleep(0.1)
        except TimeoutError:
            raise TimeoutError(
                f"no password-reset notification for {email} within {wait_s} s"
            ) from None
