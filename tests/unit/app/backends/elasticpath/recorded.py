"""Elastic Path answers as the vendor's own material prints them, for tests. Provenance:

- `EMPTY_ADDRESS_400`, `CREATED_ADDRESS_201`, `CUSTOMER_WITHOUT_EMAIL_422`: answers of the
  live service recorded in elasticpath/epcc-cli `docs/tutorial.md` (commit 2a05f75, file as
  of 6fdb535), "Advanced Features" 1 and 3, and "Getting Started" 5.
- `ADDRESS_NAME_MIN_400`: the `ErrorBadRequest` example of elasticpath/elasticpath-dev
  `openapispecs/customeraddresses/CustomerAddresses.yaml` (d454f15).
- `WRITE_CONFLICT_409`: elasticpath-dev `guides/Getting-Started/errors.md` (33ab00f).
"""

from __future__ import annotations

from typing import Any

EMPTY_ADDRESS_400: dict[str, Any] = {
    "errors": [
        {"detail": "first_name is required", "source": "data", "status": 400, "title": "required"},
        {"detail": "last_name is required", "source": "data", "status": 400, "title": "required"},
        {"detail": "line_1 is required", "source": "data", "status": 400, "title": "required"},
        {"detail": "county is required", "source": "data", "status": 400, "title": "required"},
        {"detail": "postcode is required", "source": "data", "status": 400, "title": "required"},
        {"detail": "country is required", "source": "data", "status": 400, "title": "required"},
    ]
}

CREATED_ADDRESS_201: dict[str, Any] = {
    "data": {
        "type": "address",
        "id": "809b64a5-ec25-403e-a14d-e256a6a969d9",
        "city": "Pittsburgh",
        "company_name": "USSearch",
        "country": "MO",
        "county": "IL",
        "first_name": "Casimir",
        "instructions": "guess what",
        "last_name": "Bahringer",
        "line_1": "207 New Isle furt",
        "line_2": "",
        "links": {
            "self": "https://useast.api.elasticpath.com/v2/addresses/809b64a5-ec25-403e-a14d-e256a6a969d9"
        },
        "name": "My New Address",
        "phone_number": "329.987.9543",
        "postcode": "64153",
        "region": "WA",
        "meta": {
            "timestamps": {
                "created_at": "2022-12-03T15:10:00.487679744Z",
                "updated_at": "2022-12-03T15:10:00.487679744Z",
            }
        },
    }
}

CUSTOMER_WITHOUT_EMAIL_422: dict[str, Any] = {
    "errors": [{"detail": "The data.email field is required.", "title": "Failed Validation"}]
}

ADDRESS_NAME_MIN_400: dict[str, Any] = {
    "errors": [
        {
            "status": "400",
            "title": "Bad Request",
            "detail": "Validation failed: field 'Name' on the 'min' tag.",
        }
    ]
}

WRITE_CONFLICT_409: dict[str, Any] = {
    "errors": [{"status": 409, "detail": "Write conflict detected", "title": "Conflict"}]
}
