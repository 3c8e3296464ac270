"""Export any filtered customer view to CSV, streamed, with progress; never a half file.

The rows come page by page from `CustomerService.iterate` (the next page is fetched while
this one is written); file writes run in a worker thread, so a desk stays responsive.
The file appears under its name only when complete (written to a temp file, then renamed).
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from app.domain.customer import CustomerSummary
from app.domain.errors import AppError
from app.domain.query import CustomerQuery
from app.services.customers import CustomerService
from app.services.figures_text import plain_amount

COLUMNS: dict[str, Callable[[CustomerSummary], str]] = {
    "id": lambda c: c.id,
    "name": lambda c: c.full_name,
    "first_name": lambda c: c.first_name or "",
    "last_name": lambda c: c.last_name or "",
    "email": lambda c: c.email or "",
    "phone": lambda c: _as_text(c.phone),
    "company": lambda c: c.company or "",
    "has_account": lambda c: "yes" if c.has_account else "no",
    "groups": lambda c: ", ".join(g.name for g in c.groups),
    "created_at": lambda c: c.created_at.isoformat(),
    "updated_at": lambda c: c.updated_at.isoformat(),
    # Order figures from the mirror: blank when unknown (never 0); the amount plain
    # (1234.50) with its currency beside it, so a spreadsheet can sum per currency.
    "orders": lambda c: str(c.orders.order_count) if c.orders else "",
    "spent": lambda c: plain_amount(c.orders.spent) if c.orders and c.orders.spent else "",
    "currency": lambda c: c.orders.spent.currency if c.orders and c.orders.spent else "",
    "last_order": lambda c: (
        c.orders.last_order_at.isoformat() if c.orders and c.orders.last_order_at else ""
    ),
}
DEFAULT_COLUMNS = tuple(COLUMNS)
Progress = Callable[[int, int | None], None]  # rows written, total if known


class ExportFailedError(AppError):
    default_message = "The export could not be written."


def _as_text(value: str | None) -> str:
    """`="+49 30 1234"`: spreadsheets (Excel, LibreOffice, Google Sheets) read a plain
    +4930… as a number, losing the + and leading zeros or showing 4.93E+10; this formula
    is the text itself. Quotes inside are doubled, so the value cannot leave the string."""
    if not value:
        return ""
    return '="' + value.replace('"', '""') + '"'


TEXT_FORMULA = frozenset({"phone"})  # cells written by _as_text: a constant, not a formula


def _safe(text: str) -> str:
    # Spreadsheet apps run cells starting with = + - @ as formulas (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not text[1:2].isdigit() else text


async def export_customers_csv(
    service: CustomerService,
    query: CustomerQuery,
    path: Path,
    columns: Sequence[str] = DEFAULT_COLUMNS,
    progress: Progress | None = None,
    batch: int = 1000,
) -> int:
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise ValueError(f"unknown export columns: {unknown}")
    total = (await service.search(query.model_copy(update={"page_size": 1}))).total
    # Its own writer thread, shut down when done: the loop's default executor may be one
    # nobody shuts down (qasync's), and a desk must not leave threads behind.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="export") as pool:
        return await _export(service, query, path, columns, progress, batch, total, pool)


async def _export(
    service: CustomerService,
    query: CustomerQuery,
    path: Path,
    columns: Sequence[str],
    progress: Progress | None,
    batch: int,
    total: int | None,
    pool: ThreadPoolExecutor,
) -> int:
    loop = asyncio.get_running_loop()
    try:
        fd, tmp_name = await loop.run_in_executor(
            pool, lambda: tempfile.mkstemp(prefix=".export-", suffix=".csv", dir=path.parent)
        )
    except OSError as exc:
        raise ExportFailedError(f"Cannot write in {path.parent}: {exc.strerror}") from exc
    tmp = Path(tmp_name)
    written = 0
    try:
        # utf-8-sig: Excel reads the byte-order mark as "this is UTF-8" (names with accents).
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(columns)
            async for customer in service.iterate(query.model_copy(update={"page_size": batch})):
                writer.writerow(
                    [
                        COLUMNS[c](customer) if c in TEXT_FORMULA else _safe(COLUMNS[c](customer))
                        for c in columns
                    ]
                )
                written += 1
                if written % batch == 0:
                    chunk = buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
                    await loop.run_in_executor(pool, out.write, chunk)
                    if progress:
                        progress(written, total)
            await loop.run_in_executor(pool, out.write, buffer.getvalue())
        await loop.run_in_executor(pool, tmp.replace, path)
    except BaseException as exc:
        # Cancelled or failed: leave no partial file behind. Synchronous on purpose: an
        # awaited clean-up could itself be cancelled; unlinking one file is quick.
        tmp.unlink(missing_ok=True)  # noqa: ASYNC240
        if isinstance(exc, OSError):
            raise ExportFailedError(f"Cannot write {path}: {exc.strerror}") from exc
        raise
    if progress:
        progress(written, total)
    return written
