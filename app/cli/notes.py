"""`notes list|add|edit|delete CUSTOMER`: staff notes on a customer.

Where notes live depends on the store (`NotesService.storage`): in the customer record
where the store has a place, else in this computer's local copy only; `list` says which on
stderr. Offline, a note for the store is queued (exit 7) like any edit; `--no-queue`
refuses instead (exit 6).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from app.cli import outbox as outbox_cli
from app.cli import output
from app.cli.usage import UsageError
from app.domain.note import Note
from app.services.context import StoreContext

FORMAT_HELP = "output format (default: %(default)s)"


def add_parser(sub: Any) -> None:
    notes = sub.add_parser("notes", help="staff notes on a customer")
    n = notes.add_subparsers(dest="action", required=True)
    nl = n.add_parser("list", help="a customer's notes, newest first")
    nl.add_argument("customer_id")
    _add_format(nl)
    na = n.add_parser("add", help="write a note ('-' reads the text from stdin)")
    na.add_argument("customer_id")
    na.add_argument("text")
    _add_format(na)
    outbox_cli.add_queue_option(na)
    ne = n.add_parser("edit", help="change a note's text ('-' reads it from stdin)")
    ne.add_argument("customer_id")
    ne.add_argument("note_id")
    ne.add_argument("text")
    _add_format(ne)
    outbox_cli.add_queue_option(ne)
    nd = n.add_parser("delete", help="delete a note")
    nd.add_argument("customer_id")
    nd.add_argument("note_id")
    outbox_cli.add_queue_option(nd)


def _add_format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["table", "json"], default="table", help=FORMAT_HELP)
    p.add_argument(
        "--json", dest="format", action="store_const", const="json", help="same as --format json"
    )


def _text(args: argparse.Namespace) -> str:
    text: str = args.text
    if text == "-":
        text = sys.stdin.read()
    if not text.strip():
        raise UsageError("the note is empty: give its text (or '-' to read it from stdin)")
    return text


def _ago(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _print(notes: list[Note], queued: frozenset[str], fmt: str) -> None:
    if fmt == "json":
        data = [{**n.model_dump(mode="json"), "queued": n.id in queued} for n in notes]
        print(output.printable_json(json.dumps(data, ensure_ascii=False, indent=2)))
        return
    for note in notes:
        edited = " (edited)" if note.updated_at != note.created_at else ""
        waiting = " [queued: not in the store yet]" if note.id in queued else ""
        print(
            output.printable(f"{note.id}  {_ago(note.created_at)}  {note.author}{edited}{waiting}")
        )
        for line in note.body.splitlines() or [""]:
            print(f"    {output.printable(line)}")


async def notes_list(ctx: StoreContext, args: argparse.Namespace) -> int:
    notes = await ctx.notes.notes(args.customer_id)
    _print(notes, await ctx.notes.queued(args.customer_id), args.format)
    print(f"note: {ctx.notes.storage.notice}", file=sys.stderr)
    return 0


async def notes_add(ctx: StoreContext, args: argparse.Namespace) -> int:
    ctx.notes.queue_offline = not args.no_queue
    note = await ctx.notes.add(args.customer_id, _text(args))
    return await _written(ctx, args, note)


async def notes_edit(ctx: StoreContext, args: argparse.Namespace) -> int:
    ctx.notes.queue_offline = not args.no_queue
    note = await ctx.notes.edit(args.customer_id, args.note_id, _text(args))
    return await _written(ctx, args, note)


async def notes_delete(ctx: StoreContext, args: argparse.Namespace) -> int:
    ctx.notes.queue_offline = not args.no_queue
    await ctx.notes.delete(args.customer_id, args.note_id)
    print(f"Deleted note {args.note_id}.")
    return outbox_cli.outcome_code(ctx.notes.last_write)


async def _written(ctx: StoreContext, args: argparse.Namespace, note: Note) -> int:
    queued = frozenset({note.id}) if ctx.notes.last_write.queued else frozenset()
    if args.format == "json":
        data = {**note.model_dump(mode="json"), "queued": bool(queued)}
        print(output.printable_json(json.dumps(data, ensure_ascii=False, indent=2)))
    else:
        _print([note], queued, "table")
    return outbox_cli.outcome_code(ctx.notes.last_write)
