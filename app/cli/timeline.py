"""`merchant-desk timeline CUSTOMER [--kind order,note] [--json]`: a customer's history,
newest first, from the store and the local mirror (offline too, with --offline)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC

from app.cli import output
from app.domain.timeline import EventKind
from app.services.context import StoreContext
from app.services.timeline import Timeline, TimelineService

KINDS_HELP = "only these kinds, comma-separated: " + ", ".join(k.value for k in EventKind)


def parse_kinds(text: str) -> frozenset[EventKind]:
    """`order,note` → those kinds; an unknown one names the valid ones."""
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    if not names:
        raise argparse.ArgumentTypeError("name at least one kind")
    valid = {k.value: k for k in EventKind}
    unknown = [n for n in names if n not in valid]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown kind {', '.join(map(repr, unknown))}; use {', '.join(valid)}"
        )
    return frozenset(valid[n] for n in names)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("timeline", help="a customer's history, newest first")
    p.set_defaults(action="show")
    p.add_argument("customer_id", metavar="CUSTOMER")
    p.add_argument("--kind", type=parse_kinds, metavar="KINDS", help=KINDS_HELP)
    p.add_argument("--format", choices=["table", "json"], default="table", help="output format")
    p.add_argument(
        "--json", dest="format", action="store_const", const="json", help="same as --format json"
    )


def timeline_json(timeline: Timeline) -> str:
    data = {
        "customer_id": timeline.customer_id,
        "events": [e.model_dump(mode="json") for e in timeline.events],
        "notices": list(timeline.notices),
    }
    return output.printable_json(json.dumps(data, ensure_ascii=False, indent=2))


def timeline_rows(timeline: Timeline) -> list[dict[str, str]]:
    """One row per event, its detail lines as indented rows below it."""
    rows: list[dict[str, str]] = []
    for event in timeline.events:
        rows.append(
            {
                "when": f"{event.at.astimezone(UTC):%Y-%m-%d %H:%M} UTC",
                "kind": event.kind.value,
                "event": event.title,
                "by": event.actor or "",
                "ref": event.ref or "",
            }
        )
        rows.extend({"event": f"  {line}"} for line in event.detail.splitlines() if line)
    return rows


async def timeline_show(ctx: StoreContext, args: argparse.Namespace) -> int:
    customer = await ctx.customers.get(args.customer_id)
    notes = ctx.notes.notes if ctx.notes.available else None
    timeline = await TimelineService(ctx.customers, notes).timeline(customer, args.kind)
    if args.format == "json":
        print(timeline_json(timeline))
        return 0
    for notice in timeline.notices:
        print(f"note: {notice}", file=sys.stderr)
    if not timeline.events:
        print("No events.")
        return 0
    output.print_table(timeline_rows(timeline), ("when", "kind", "event", "by", "ref"))
    return 0
