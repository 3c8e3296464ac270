"""Elastic Path's error body: `{"errors": [{"status", "title", "detail"?, "source"?}]}`.

Reference: `guides/Getting-Started/errors.md` and `openapispecs/customeraddresses/
CustomerAddresses.yaml` (elasticpath/elasticpath-dev). The docs print `status` as a
number, the specs as a string; this emulation prints numbers.
"""

from __future__ import annotations

from typing import Any


class EPError(Exception):
    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        source: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.source = source
        self.errors = errors  # several errors in one answer, verbatim

    def body(self) -> dict[str, Any]:
        if self.errors is not None:
            return {"errors": self.errors}
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


def required(names: list[str]) -> EPError:
    # epcc-cli docs/tutorial.md, a recorded answer to an empty address: one error per
    # missing attribute, `{"detail": "<name> is required", "source": "data", "status": 400,
    # "title": "required"}`, in the order first_name, last_name, line_1, county, postcode,
    # country.
    return EPError(
        400,
        "required",
        errors=[
            {"detail": f"{name} is required", "source": "data", "status": 400, "title": "required"}
            for name in names
        ],
    )


def label_too_short() -> EPError:
    # CustomerAddresses.yaml `ErrorBadRequest` example, verbatim (status as the spec prints it).
    return EPError(
        400,
        "Bad Request",
        errors=[
            {
                "status": "400",
                "title": "Bad Request",
                "detail": "Validation failed: field 'Name' on the 'min' tag.",
            }
        ],
    )


def duplicate_email(*, as_422: bool) -> EPError:
    # Undocumented (inferred). By default in the shape of the sibling accounts API's documented
    # duplicate (openapispecs/accounts/OpenAPISpec.yaml `ConflictError`: 409, title
    # "Conflict", "... with the given ... already exists"); `as_422` in the recorded 422
    # "Failed Validation" shape of a missing email (epcc-cli docs/tutorial.md).
    if as_422:
        return EPError(
            422,
            "Failed Validation",
            errors=[
                {"title": "Failed Validation", "detail": "The data.email field must be unique."}
            ],
        )
    return EPError(
        409,
        "Conflict",
        errors=[
            {
                "title": "Conflict",
                "status": "409",
                "detail": "customer with the given email already exists",
            }
        ],
    )


def not_found(what: str) -> EPError:
    # CustomerAddresses.yaml ErrorNotFound example: detail "customer not found".
    return EPError(404, "Not Found", f"{what} not found")


def unauthorized() -> EPError:
    # guides/Getting-Started/errors.md: 401 "Unable to validate access token".
    return EPError(401, "Unauthorized", "Unable to validate access token")
