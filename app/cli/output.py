"""Printing domain models as a table, JSON lines-free JSON, or CSV.

Store data is untrusted (customers name themselves): table and CSV show control
characters as visible symbols, JSON escapes them, so none reaches the terminal raw.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import AsyncIterator, Sequence
from typing import Any, TextIO

from pydantic import BaseModel

from app.domain.controls import CONTROL, visible
from app.domain.customer import CustomerSummary
from app.domain.note import ordinary_metadata
from app.services.figures_text import plain_amount

# What json.dumps(ensure_ascii=False) leaves raw: DEL, C1 and the bidi controls.
_RAW_IN_JSON = re.compile(CONTROL.pattern.replace("\x00-\x1f", ""))


def printable(text: str) -> str:
    """Text from the store as it may reach a terminal: control characters made visible."""
    return visible(text)


def printable_json(text: str) -> str:
    """JSON text with the control characters json leaves raw escaped (the same value)."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, BaseModel) and hasattr(value, "name"):
        return printable(str(value.name))
    return printable(str(value))


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
    # Order figures (from the mirror; blank where they are not known, never 0).
    "orders",
    "spent",
    "currency",
    "last_order",
)
FIGURE_COLUMNS = ("orders", "spent", "last_order")


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
        **figure_cells(c),
    }


def figure_cells(c: CustomerSummary) -> dict[str, str]:
    """A row's order figures: count, amount (plain, for scripts) and its currency, the
    last order's time; all blank when unknown (a row the store sent, not the mirror)."""
    stats = c.orders
    if stats is None:
        return dict.fromkeys(("orders", "spent", "currency", "last_order"), "")
    return {
        "orders": str(stats.order_count),
        "spent": plain_amount(stats.spent) if stats.spent else "",
        "currency": stats.spent.currency if stats.spent else "",
        "last_order": stats.last_order_at.isoformat() if stats.last_order_at else "",
    }


def dump(model: BaseModel) -> Any:
    """A model as JSON data for output; metadata without the desk's reserved keys (staff
    notes have their own command, `notes`)."""
    data: Any = model.model_dump(mode="json")
    if isinstance(data, dict) and isinstance(data.get("metadata"), dict):
        data["metadata"] = ordinary_metadata(data["metadata"])
    return data


def print_json(model: BaseModel | Sequence[BaseModel], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if isinstance(model, BaseModel):
        data: Any = dump(model)
    else:
        data = [dump(m) for m in model]
    out.write(printable_json(json.dumps(data, ensure_ascii=False, indent=2)))
    out.write("\n")


def print_json_data(data: Any, out: TextIO | None = None) -> None:
    """Already dumped JSON data (a model with extra keys), escaped as print_json does."""
    out = out or sys.stdout
    out.write(printable_json(json.dumps(data, ensure_ascii=False, indent=2)))
    out.write("\n")


def print_table(
    rows: Sequence[dict[str, str]], columns: Sequence[str], out: TextIO | None = None
) -> None:
    out = out or sys.stdout
    rows = [{c: printable(r.get(c, "")) for c in columns} for r in rows]
    widths = {c: max([len(c), *(len(r.get(c, "")) for r in rows)]) for c in columns}
    widths = {c: min(w, 40) for c, w in widths.items()}
    out.write("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip() + "\n")
    for row in rows:
        # A row's last filled cell runs on rather than being cut: nothing to its right
        # needs the room (a timeline's detail line: "company: old → new").
        filled = [c for c in columns if row.get(c, "")]
        last = filled[-1] if filled else None
        cells = []
        for c in columns:
            text = row.get(c, "")
            if len(text) > widths[c] and c != last:
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
            writer.writerow({k: printable(v) for k, v in customer_row(c).items()})
            count += 1
    elif fmt == "json":
        out.write("[")
        async for c in customers:
            out.write(",\n" if count else "\n")
            out.write(printable_json(json.dumps(dump(c), ensure_ascii=False)))
            count += 1
        out.write("\n]\n" if count else "]\n")
    else:
        listed = [c async for c in customers]
        rows = [customer_row(c) for c in listed]
        count = len(rows)
        columns: tuple[str, ...] = TABLE_COLUMNS
        if any(c.orders is not None for c in listed):  # figures known: show them
            columns += FIGURE_COLUMNS
            for row in rows:
                row["spent"] = " ".join(p for p in (row["spent"], row["currency"]) if p)
                row["last_order"] = row["last_order"][:10]  # the day is what a table needs
        print_table(rows, columns, out)
    return count


TABLE_COLUMNS = (
    "id",
    "email",
    "first_name",
    "last_name",
    "phone",
    "company",
    "has_account",
    "groups",
)
