"""Elastic Path's error body: `{"errors": [{"status", "title", "detail"?, "source"?}]}`.

Reference: `guides/Getting-Started/errors.md` and `openapispecs/customeraddresses/
CustomerAddresses.yaml` (elasticpath/elasticpath-dev). The docs print `status` as a
number, the specs as a string; this emulation prints numbers.
"""

from __future__ import annotations

from typing import Any


class EPError(Exception):
    def __init__(
        self, status: int, title: str, detail: str | None = None, source: str | None = None
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.source = source

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"status": self.status, "title": self.title}
        if self.detail is not None:
            error["detail"] = self.detail
        if self.source is not None:
            error["source"] = self.source
        return {"errors": [error]}


def bad_filter() -> EPError:
    # guides/Getting-Started/filtering.md, verbatim.
    return EPError(400, "Bad Request", "Could not parse the supplied filter")


def failed_validation(field: str, detail: str) -> EPError:
    # Status, title and `source` shape are not in the reference (unverified): JSON-schema
    # style "Failed Validation" with the failing member as `data.<field>`.
    return EPError(422, "Failed Validation", detail, source=f"data.{field}")


def not_found(what: str) -> EPError:
    # CustomerAddresses.yaml ErrorNotFound example: detail "customer not found".
    return EPError(404, "Not Found", f"{what} not found")


def unauthorized() -> EPError:
    # guides/Getting-Started/errors.md: 401 "Unable to validate access token".
    return EPError(401, "Unauthorized", "Unable to validate access token")
