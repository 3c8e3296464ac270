"""Store credentials in the OS keyring, never in a file.

Where no keyring backend exists (a headless Linux without a Secret Service), we say so
and take the secret for this run from $MERCHANT_DESK_SECRET instead. We deliberately do
not fall back to keyrings.alt's plaintext file.
"""

from __future__ import annotations

import os

from app.domain.errors import ConfigurationError, SecretStoreUnavailableError

SERVICE = "merchant-desk"
SECRET_ENV = "MERCHANT_DESK_SECRET"
# keyring (and the backend it discovers) is imported when a secret is first needed: the
# demo store and a desk opening from its mirror need none at start-up.


def _account(store: str) -> str:
    return f"store:{store}"


class SecretStore:
    def set(self, store: str, secret: str) -> None:
        import keyring.errors

        try:
            keyring.set_password(SERVICE, _account(store), secret)
        except keyring.errors.NoKeyringError as exc:
            raise SecretStoreUnavailableError() from exc
        except keyring.errors.KeyringError as exc:
            raise ConfigurationError(f"The system keyring refused the secret: {exc}") from exc

    def get(self, store: str) -> str:
        import keyring.errors

        from_env = os.environ.get(SECRET_ENV)
        if from_env:
            return from_env
        try:
            secret = keyring.get_password(SERVICE, _account(store))
        except keyring.errors.NoKeyringError as exc:
            raise SecretStoreUnavailableError() from exc
        except keyring.errors.KeyringError as exc:
            raise ConfigurationError(f"The system keyring could not be read: {exc}") from exc
        if secret is None:
            raise ConfigurationError(
                f"No saved secret for store '{store}'. Add the store again, "
                f"or set {SECRET_ENV} for this run."
            )
        return secret

    def delete(self, store: str) -> None:
        import keyring.errors

        try:
            keyring.delete_password(SERVICE, _account(store))
        except keyring.errors.PasswordDeleteError:
            pass  # nothing saved: removing is done
        except keyring.errors.NoKeyringError:
            pass  # nothing can have been saved either
