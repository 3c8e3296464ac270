"""What happened when staff asked the backend to issue a password or login token.

Backends differ: Medusa emails a reset link and never returns the token; Chec can email a
login link or mint a JWT; Elastic Path can set a password. `TokenIssuance` reports
truthfully what was done. A secret shown to staff (`secret`) is held in memory only:
never cached, logged or written to disk (its repr is masked by SecretStr).
"""

from datetime import timedelta
from enum import StrEnum

from pydantic import AwareDatetime, SecretStr

from app.domain.base import DomainModel


class TokenKind(StrEnum):
    PASSWORD_RESET_EMAIL = "password_reset_email"
    LOGIN_LINK_EMAIL = "login_link_email"
    CUSTOMER_TOKEN = "customer_token"


class TokenIssuance(DomainModel):
    kind: TokenKind
    customer_id: str
    delivered_to: str | None  # where the backend sends it, e.g. the customer's email
    issued_at: AwareDatetime
    valid_for: timedelta | None = None
    message: str  # one sentence for staff: what happened, to whom, how long it is valid
    secret: SecretStr | None = None  # only when the backend hands the token to staff


class TokenEligibility(DomainModel):
    allowed: bool
    reason: str | None = None  # why not, in words staff can pass on
    description: str = ""  # what will be sent, for the confirmation dialog
    # The action's one name, on the button, its confirmation and its result: it says
    # what the store does ("Issue login token" on Chec hands staff a token to copy).
    action: str = "Send password reset"
