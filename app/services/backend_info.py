"""How the desk names each kind of store and asks for its sign-in: the one table the UI
reads (the Stores dialog, the title bar, Store ▸ Switch to), so no widget names a backend."""

from __future__ import annotations

from dataclasses import dataclass

from app.services.profiles import AuthMethod, BackendKind, StoreProfile


@dataclass(frozen=True, slots=True)
class SignInInfo:
    label: str  # in the sign-in method list
    secret_label: str  # the secret's field label


SIGN_IN: dict[AuthMethod, SignInInfo] = {
    AuthMethod.PASSWORD: SignInInfo("Admin email and password", "Password"),
    AuthMethod.API_KEY: SignInInfo("Secret API key", "API key"),
    AuthMethod.CLIENT_CREDENTIALS: SignInInfo("Application key (client id)", "Client secret"),
}


@dataclass(frozen=True, slots=True)
class BackendInfo:
    kind: BackendKind
    label: str  # in the Stores dialog's backend list
    short_label: str  # after "Demo store" ("Demo store (Chec)")
    sign_in: tuple[AuthMethod, ...]  # the ways it signs in, the usual one first
    url_hint: str  # the URL field's placeholder

    def secret_label(self, method: AuthMethod) -> str:
        return SIGN_IN[method].secret_label


# The real backends, in the Stores dialog's order.
BACKENDS: dict[BackendKind, BackendInfo] = {
    info.kind: info
    for info in (
        BackendInfo(
            BackendKind.MEDUSA,
            "Medusa 2",
            "Medusa",
            (AuthMethod.PASSWORD, AuthMethod.API_KEY),
            "https://shop.example.com",
        ),
        # Chec signs in with its secret API key (sk_…) only; its API lives at api.chec.io.
        BackendInfo(
            BackendKind.CHEC,
            "Chec / Commerce.js",
            "Chec",
            (AuthMethod.API_KEY,),
            "https://api.chec.io",
        ),
        # Elastic Path signs in with an application key: client id + client secret.
        BackendInfo(
            BackendKind.ELASTICPATH,
            "Elastic Path",
            "Elastic Path",
            (AuthMethod.CLIENT_CREDENTIALS,),
            "https://useast.api.elasticpath.com",
        ),
    )
}

# Each built-in demo store speaks one backend's dialect, in Store ▸ Switch to's order.
DEMO_DIALECTS: dict[BackendKind, BackendKind] = {
    BackendKind.DEMO: BackendKind.MEDUSA,
    BackendKind.DEMO_CHEC: BackendKind.CHEC,
    BackendKind.DEMO_EP: BackendKind.ELASTICPATH,
}


def backend_info(kind: BackendKind) -> BackendInfo:
    """The backend a store of this kind talks to (a demo: the dialect it speaks)."""
    return BACKENDS[DEMO_DIALECTS.get(kind, kind)]


def store_title(profile: StoreProfile) -> str:
    """The store's name as the title bar shows it."""
    if profile.is_demo:
        return f"Demo store ({backend_info(profile.backend).short_label})"
    return profile.name


def demo_titles() -> dict[str, str]:
    """Built-in demo store name -> its title, in Store ▸ Switch to's order."""
    return {kind.value: f"Demo store ({backend_info(kind).short_label})" for kind in DEMO_DIALECTS}
