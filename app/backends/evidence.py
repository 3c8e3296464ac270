"""Why we believe a backend request works the way an adapter sends it.

Every route an adapter uses carries at least one `Evidence`; docs/backends.md is checked
against these records. Kinds, strongest first: the vendor's own source or docs, a request
measured against a real server, a third party's client, or an inference (say from what).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EvidenceKind = Literal["vendor-docs", "vendor-source", "third-party", "inferred", "measured"]


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: EvidenceKind
    source: str  # a URL, "owner/repo@commit path", or a project doc section
    note: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    """Evidence of one kind from one place, cited again and again by a wire module:
    `_sdk = Source("vendor-source", f"{SDK} ")`, then `_sdk("src/x.js", "what it says")`."""

    kind: EvidenceKind
    prefix: str = ""  # what every cited source starts with: "owner/repo@commit ", a doc

    def __call__(self, where: str, note: str = "") -> Evidence:
        return Evidence(self.kind, self.prefix + where, note)
