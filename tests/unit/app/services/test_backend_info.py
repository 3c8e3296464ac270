"""One table names each backend and its sign-in (`app.services.backend_info`)."""

from __future__ import annotations

from app.services.backend_info import (
    BACKENDS,
    SIGN_IN,
    backend_info,
    demo_titles,
    store_title,
)
from app.services.profiles import DEMO_PROFILES, AuthMethod, BackendKind, StoreProfile


def test_every_backend_and_demo_has_its_info() -> None:
    assert set(BACKENDS) == set(BackendKind)
    assert set(SIGN_IN) == set(AuthMethod)
    for kind in BackendKind:
        info = backend_info(kind)
        assert info.sign_in, kind
        assert info.url_hint.startswith("https://")


def test_titles_name_the_demos_dialect() -> None:
    assert demo_titles() == {
        "demo": "Demo store (Medusa)",
        "demo-chec": "Demo store (Chec)",
        "demo-ep": "Demo store (Elastic Path)",
    }
    for name, profile in DEMO_PROFILES.items():
        assert store_title(profile) == demo_titles()[name]
    shop = StoreProfile(name="Main shop", backend=BackendKind.CHEC, url="https://api.chec.io")
    assert store_title(shop) == "Main shop"


def test_secret_labels_follow_the_sign_in_method() -> None:
    medusa = backend_info(BackendKind.MEDUSA)
    assert medusa.secret_label(AuthMethod.PASSWORD) == "Password"
    assert medusa.secret_label(AuthMethod.API_KEY) == "API key"
    assert backend_info(BackendKind.ELASTICPATH).sign_in == (AuthMethod.CLIENT_CREDENTIALS,)
    assert backend_info(BackendKind.CHEC).sign_in == (AuthMethod.API_KEY,)
