"""`merchant-desk doctor` end to end on the demo store: table, JSON, exit codes."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from app.backends.medusa import MedusaAdapter, MedusaCredentials
from app.backends.protocols import Backend
from app.cli.doctor import EXIT_DEGRADED
from app.cli.main import EXIT_USAGE, main
from app.domain.limitations import ADDRESS_BOOK_DEFAULTS_ONLY
from app.gateway import GatewayOptions
from app.services import demo
from app.services.demo import CHEC_LENIENT_ENV
from app.services.profiles import DemoDialect
from demostore.medusa import DEMO_ADMIN_EMAIL
from tests.unit.app.cli.main_runner import run


@pytest.fixture(autouse=True)
def small_demo(app_home: Path) -> None:
    assert main(["demo", "reset", "--customers", "80", "--seed", "3"]) == 0


def test_a_fallback_the_adapter_makes_is_reported_degraded(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The strict Chec emulation answers no address list (405): the adapter shows the
    # customer's default addresses instead, and the doctor says so instead of "works".
    monkeypatch.delenv(CHEC_LENIENT_ENV, raising=False)
    code, out, _ = run(capsys, "doctor", "--store", "demo-chec")
    assert code == EXIT_DEGRADED
    rows = {cells[0]: cells[1:] for cells in map(str.split, out.splitlines()) if cells}
    assert rows["addresses"][:2] == ["degraded", "405"]
    assert " ".join(rows["addresses"][2:]).startswith("addresses from the customer's defaults")
    assert rows["customer"][:2] == ["works", "200"]
    assert "sort:" not in out  # Chec declares no customer sort (no source documents one)
    assert "1 features degraded or refused" in out
    assert ADDRESS_BOOK_DEFAULTS_ONLY.notice in out
    assert "now disables" not in out  # the desk already shows the defaults and the notice
    code, out, _ = run(capsys, "doctor", "--store", "demo-chec", "--format", "json")
    addresses = next(r for r in json.loads(out)["results"] if r["feature"] == "addresses")
    assert (addresses["outcome"], addresses["status"]) == ("degraded", 405)
    assert addresses["detail"] == "addresses from the customer's defaults only"
    assert addresses["notice"] == ADDRESS_BOOK_DEFAULTS_ONLY.notice


def test_a_healthy_store_exits_zero(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CHEC_LENIENT_ENV, "1")  # the address list served too
    code, out, _ = run(capsys, "doctor", "--store", "demo-chec")
    assert code == 0
    assert "every probed feature works" in out
    code, out, _ = run(capsys, "--store", "demo", "doctor", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["store"] == "demo"
    assert report["healthy"] is True
    outcomes = {r["feature"]: r["outcome"] for r in report["results"]}
    assert outcomes["filter-group"] == "works"
    assert outcomes["sort:-last_name"] == "works"
    assert outcomes["password_tokens"] == "not probed"
    methods = {q["method"] for r in report["results"] for q in r["requests"]}
    assert methods <= {"GET", "POST"}  # the POST being the sign-in (see the services tests)


class RefusesEmailSort(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.params.get("order", "").lstrip("-") == "email":
            return httpx.Response(400, json={"type": "invalid_data", "message": "no"})
        return await self.inner.handle_async_request(request)


def _refusing_adapter(url: str, secret: str, options: GatewayOptions) -> Backend:
    # The demo's own Medusa server, behind a transport that refuses the email sort.
    assert options.transport is not None
    refusing = GatewayOptions(transport=RefusesEmailSort(options.transport))
    creds = MedusaCredentials(email=DEMO_ADMIN_EMAIL, password=SecretStr(secret))
    return MedusaAdapter(url, creds, refusing)


def test_a_refused_feature_exits_seven_and_is_disabled(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = replace(demo.DEMOS[DemoDialect.MEDUSA], adapter=_refusing_adapter)
    monkeypatch.setitem(demo.DEMOS, DemoDialect.MEDUSA, spec)
    code, out, _ = run(capsys, "doctor", "--store", "demo")
    assert code == EXIT_DEGRADED == 9
    rows = [line.split() for line in out.splitlines()]
    assert rows[[r[:1] for r in rows].index(["sort:-email"])][:3] == [
        "sort:-email",
        "refused",
        "400",
    ]
    assert "The desk now disables for this store: sort by email." in out


def test_doctor_needs_the_server(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--offline", "doctor")
    assert code == EXIT_USAGE
    assert "drop --offline" in err


def test_an_unknown_customer_is_reported_not_disabled(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "doctor", "--store", "demo", "--customer", "cus_missing")
    assert code == EXIT_DEGRADED
    rows = {cells[0]: cells[1:3] for cells in map(str.split, out.splitlines()) if cells}
    assert rows["customer"] == ["refused", "404"]
    assert "now disables" not in out  # the customer list is what the desk is: nothing to adjust
