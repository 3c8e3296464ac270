"""A backend route an adapter sends, with the evidence for it (see `evidence.py`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.backends.evidence import Evidence
from app.gateway.paths import segment

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str  # a template: "/admin/customers/{id}"
    purpose: str
    evidence: tuple[Evidence, ...]
    # Query parameters the adapter sends on this route, each with its own evidence.
    params: tuple[tuple[str, Evidence], ...] = ()
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.evidence:
            raise ValueError(f"{self.method} {self.path} cites no evidence")
        parts = _PLACEHOLDER.split(self.path)
        regex = "[^/]+".join(re.escape(p) for p in parts)
        object.__setattr__(self, "_pattern", re.compile(f"^{regex}$"))

    def format(self, **ids: str) -> str:
        """The path with its placeholders filled: `format(id="cus_1")`. Every id goes
        through `segment`: escaped as one path segment, refused where no store has it."""
        return self.path.format(**{name: segment(value) for name, value in ids.items()})

    def matches(self, method: str, path: str) -> bool:
        return method.upper() == self.method and self._pattern.match(path) is not None

    @property
    def param_names(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.params)


def find_route(routes: tuple[Route, ...], method: str, path: str) -> Route | None:
    return next((r for r in routes if r.matches(method, path)), None)
