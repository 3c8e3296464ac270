"""How far the Elastic Path emulation goes beyond the vendor's evidence. Default: strict.

Strict serves what the evidence shows and refuses what it shows refused; each behaviour
the evidence does not settle is a named switch, off unless asked for:

- `null_clears`: `null` for an address attribute clears it. The spec types every address
  attribute as a string (CustomerAddresses.yaml); strict answers `null` with a 400.
- `region_for_county`: an address with `region` but no `county` is accepted. The js-sdk
  commit that added `region` says "Region or County or both can be used" (a626147); the
  recorded 400 for an empty address (epcc-cli docs/tutorial.md) names `county` as required,
  and nothing recorded shows region alone accepted. Strict requires `county`.
- `empty_label`: an address `name` of "" is accepted. The spec's only 400 example is
  "Validation failed: field 'Name' on the 'min' tag." and an empty body draws no such error,
  so strict refuses "" (a trigger inferred, the answer's shape quoted).
- `duplicate_email_422`: a duplicate email is refused as a 422 "Failed Validation" (the
  recorded shape of a missing email) instead of a 409 "Conflict" (the shape of the accounts
  API's documented duplicate). Neither is documented for customers: the desk must read both.

`MERCHANT_DESK_DEMO_EP_LENIENT` turns switches on for `--store demo-ep`: a comma list of
the names above, or `all`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

LENIENT_ENV = "MERCHANT_DESK_DEMO_EP_LENIENT"


@dataclass(frozen=True, slots=True)
class EPDialect:
    null_clears: bool = False
    region_for_county: bool = False
    empty_label: bool = False
    duplicate_email_422: bool = False

    @classmethod
    def lenient(cls) -> EPDialect:
        return cls(**{f.name: True for f in fields(cls)})

    @classmethod
    def parse(cls, text: str) -> EPDialect:
        """`"null_clears,empty_label"` or `"all"`; an unknown name is a ValueError."""
        names = {n.strip() for n in text.split(",") if n.strip()}
        if names == {"all"}:
            return cls.lenient()
        known = {f.name for f in fields(cls)}
        if unknown := names - known:
            raise ValueError(
                f"{LENIENT_ENV}: unknown switch {sorted(unknown)} (use {sorted(known)} or all)"
            )
        return cls(**dict.fromkeys(names, True))

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> EPDialect:
        return cls.parse(environ.get(LENIENT_ENV, ""))
