"""How the desk names each kind of store and asks for its sign-in: the one table the UI
reads (the Stores dialog, the title bar, Store ▸ Switch to), so no widget names a backend."""

from __future__ import annotations

from dataclasses import dataclass

from app.services.profiles import AuthMethod, BackendKind, DemoDialect, StoreProfile


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


def backend_info(kind: BackendKind) -> BackendInfo:
    return BACKENDS[kind]


def store_title(profile: StoreProfile) -> str:
    """The store's name as the title bar shows it."""
    if profile.demo is not None:
        return demo_title(profile.demo)
    return profile.name


def demo_title(dialect: DemoDialect) -> str:
    return f"Demo store ({backend_info(dialect.backend).short_label})"


def demo_titles() -> dict[str, str]:
    """Built-in demo store name -> its title, in Store ▸ Switch to's order."""
    return {dialect.value: demo_title(dialect) for dialect in DemoDialect}
