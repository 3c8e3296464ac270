"""Store URLs (issue 13 point 8): no credentials in URLs, no silent plain http to a remote."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.cli.main import main
from app.domain.errors import ConfigurationError
from app.gateway import GatewayOptions
from app.services import registry
from app.services.profiles import AuthMethod, BackendKind, StoreProfile


def profile(url: str, *, allow_insecure_http: bool = False) -> StoreProfile:
    return StoreProfile(
        name="shop",
        backend=BackendKind.MEDUSA,
        url=url,
        auth=AuthMethod.API_KEY,
        allow_insecure_http=allow_insecure_http,
    )


@pytest.mark.parametrize(
    "url",
    ["https://admin:secret@shop.example", "https://admin@shop.example", "http://u:p@127.0.0.1"],
)
def test_credentials_in_a_url_are_refused(url: str) -> None:
    with pytest.raises(ValidationError, match="user name or password"):
        profile(url)


@pytest.mark.parametrize(
    "url", ["http://shop.example", "http://10.0.0.5:9000", "http://[2001:db8::1]"]
)
def test_plain_http_to_a_remote_store_needs_explicit_consent(url: str) -> None:
    with pytest.raises(ConfigurationError, match="unencrypted"):
        profile(url).check_transport()
    allowed = profile(url, allow_insecure_http=True)
    allowed.check_transport()
    assert allowed.plaintext_warning is not None


@pytest.mark.parametrize(
    "url",
    ["https://shop.example", "http://127.0.0.1:9000", "http://localhost:9000", "http://[::1]"],
)
def test_https_and_this_computer_need_nothing(url: str) -> None:
    profile(url).check_transport()
    assert profile(url).plaintext_warning is None


def test_a_hand_edited_insecure_profile_is_not_opened() -> None:
    with pytest.raises(ConfigurationError, match="unencrypted"):
        registry.build_backend(profile("http://shop.example"), "sk_secret", GatewayOptions())


def add(monkeypatch: pytest.MonkeyPatch, *extra: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO("sk_secret_key\n"))
    return main(
        ["store", "add", "shop", "--backend", "medusa", "--api-key", "--password-stdin", *extra]
    )


def test_cli_refuses_credentials_in_the_url(
    app_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(monkeypatch, "--url", "https://admin:hunter2@shop.example") == 2
    assert "user name or password" in capsys.readouterr().err
    written = "".join(p.read_text() for p in app_home.rglob("*.json"))
    assert "hunter2" not in written


def test_cli_refuses_plain_http_unless_allowed_and_then_warns(
    app_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(monkeypatch, "--url", "http://shop.example") == 2
    assert "--allow-insecure-http" in capsys.readouterr().err
    assert add(monkeypatch, "--url", "http://shop.example", "--allow-insecure-http") == 0
    err = capsys.readouterr().err
    assert "warning" in err
    assert "unencrypted" in err
