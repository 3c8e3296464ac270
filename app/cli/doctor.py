"""`merchant-desk doctor`: check what a live store answers, read-only (see `DoctorService`).

Exit codes: 0 every probed feature works; 9 (`EXIT_DEGRADED`) something is degraded or
refused (the desk then disables it for this store, or shows the adapter's notice where
the adapter falls back by itself); the usual codes for a store that
cannot be opened (5 authentication refused at sign-in is reported as a result, 6
unreachable, 1 other).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.cli import output
from app.services.context import Services
from app.services.doctor import DoctorReport, DoctorService

EXIT_DEGRADED = 9


def add_parser(sub: Any) -> None:
    """The `doctor` subcommand on the top-level subparsers."""
    doctor = sub.add_parser(
        "doctor",
        help="check, read-only, what the store answers for every feature the desk uses",
        description=(
            "Probe every route the desk relies on against the live store without changing "
            "anything. Exit 0: all works; 9: something is degraded or refused (the desk then "
            "disables it for this store)."
        ),
    )
    # SUPPRESS: without the option the global --store (before the command) stays in effect.
    doctor.add_argument("--store", default=argparse.SUPPRESS, help="store profile name")
    doctor.add_argument("--customer", help="probe with this customer (id) for detail and orders")
    doctor.add_argument(
        "--format", choices=["table", "json"], default="table", help="output format"
    )


def report_rows(report: DoctorReport) -> list[dict[str, str]]:
    return [
        {
            "feature": r.feature,
            "outcome": r.outcome.value,
            "status": "" if r.status is None else str(r.status),
            "detail": r.detail,
        }
        for r in report.results
    ]


def report_json(report: DoctorReport) -> dict[str, Any]:
    return {
        "store": report.store,
        "backend": report.backend,
        "healthy": report.healthy,
        "results": [
            {
                **row,
                "status": r.status,
                "notice": r.limitation.notice if r.limitation else None,
                "requests": [
                    {"method": e.method, "path": e.path, "status": e.status} for e in r.exchanges
                ],
            }
            for row, r in zip(report_rows(report), report.results, strict=True)
        ],
        "disabled": report.restrictions.removed.names(),
        "unsortable": sorted(report.restrictions.unsortable),
    }


async def run_doctor(services: Services, args: argparse.Namespace) -> int:
    # No mirror: the point is what the server answers now.
    context = await services.open_store(args.store, policy=None)
    try:
        report = await DoctorService(services).check(context, customer_id=args.customer)
    finally:
        await context.aclose()
    if args.format == "json":
        json.dump(report_json(report), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        output.print_table(report_rows(report), ("feature", "outcome", "status", "detail"))
        bad = report.problems
        if not bad:
            print(f"\n{report.store} ({report.backend}): every probed feature works.")
        else:
            print(f"\n{report.store} ({report.backend}): {len(bad)} features degraded or refused.")
            disabled = report.restrictions.disabled()
            if disabled:
                print("The desk now disables for this store: " + ", ".join(disabled) + ".")
            for notice in dict.fromkeys(r.limitation.notice for r in bad if r.limitation):
                print(notice)
    return 0 if report.healthy else EXIT_DEGRADED
