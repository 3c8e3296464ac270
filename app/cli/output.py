"""Printing domain models as a table, JSON lines-free JSON, or CSV."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import AsyncIterator, Sequence
from typing import Any, TextIO

from pydantic import BaseModel

from app.domain.customer import CustomerSummary


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, BaseModel) and hasattr(value, "name"):
        return str(value.name)
    return str(value)


CUSTOMER_COLUMNS = (
    "id",
    "email",
    "first_name",
    "last_name",
    "phone",
    "company",
    "has_account",
    "groups",
    "created_at",
    "updated_at",
)


def customer_row(c: CustomerSummary) -> dict[str, str]:
    return {
        "id": c.id,
        "email": c.email or "",
        "first_name": c.first_name or "",
        "last_name": c.last_name or "",
        "phone": c.phone or "",
        "company": c.company or "",
        "has_account": _cell(c.has_account),
        "groups": ", ".join(g.name for g in c.groups),
        "created_at": c.created_at.isoformat(),
        "updated_at": c.updated_at.isoformat(),
    }


def print_json(model: BaseModel | Sequence[BaseModel], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if isinstance(model, BaseModel):
        data: Any = model.model_dump(mode="json")
    else:
        data = [m.model_dump(mode="json") for m in model]
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def print_table(
    rows: Sequence[dict[str, str]], columns: Sequence[str], out: TextIO | None = None
) -> None:
    out = out or sys.stdout
    widths = {c: max([len(c), *(len(r.get(c, "")) for r in rows)]) for c in columns}
    widths = {c: min(w, 40) for c, w in widths.items()}
    out.write("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip() + "\n")
    for row in rows:
        cells = []
        for c in columns:
            text = row.get(c, "")
            if len(text) > widths[c]:
                text = text[: widths[c] - 1] + "…"
            cells.append(text.ljust(widths[c]))
        out.write("  ".join(cells).rstrip() + "\n")


async def stream_customers(
    customers: AsyncIterator[CustomerSummary], fmt: str, out: TextIO | None = None
) -> int:
    """Print customers as they arrive (no buffering of the whole result for json/csv)."""
    out = out or sys.stdout
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CUSTOMER_COLUMNS)
        writer.writeheader()
        async for c in customers:
            writer.writerow(customer_row(c))
            count += 1
    elif fmt == "json":
        out.write("[")
        async for c in customers:
            out.write(",\n" if count else "\n")
            out.write(json.dumps(c.model_dump(mode="json"), ensure_ascii=False))
            count += 1
        out.write("\n]\n" if count else "]\n")
    else:
        rows = [customer_row(c) async for c in customers]
        count = len(rows)
        print_table(
            rows,
            ("id", "email", "first_name", "last_name", "phone", "company", "has_account", "groups"),
            out,
        )
    return count
