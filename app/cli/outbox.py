"""Edits queued on this machine: `outbox list|show|retry|discard|resolve`, what `sync`
says about them, and the exit codes that tell a script saved from queued.

An edit made while the store is unreachable is kept in the mirror's outbox and sent by
the next `sync`. The edit command then exits `EXIT_QUEUED` with a line on stderr;
`--no-queue` refuses instead. Edits the store refuses at replay, or that overlap a change
made in the store meanwhile, stay in the outbox until someone retries, discards or
resolves them; `sync` lists them and exits `EXIT_ATTENTION`.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.cli import output
from app.cli.usage import UsageError
from app.domain.errors import AppError, ConnectionFailedError
from app.mirror.service import MirrorService, OutboxEntry, ReadPolicy, describe_edit
from app.services.context import Services, StoreContext
from app.services.customers import WriteOutcome

EXIT_QUEUED = 7  # the edit is kept on this machine only; `sync` sends it
EXIT_ATTENTION = 8  # queued edits were refused or wait for a choice (see `outbox list`)

STATE_WORDS = {"pending": "waiting", "conflict": "conflict", "failed": "refused"}


def add_queue_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-queue",
        action="store_true",
        help="when the store is unreachable, fail (exit 6) instead of queuing the edit",
    )


def add_parser(sub: Any) -> None:
    box = sub.add_parser("outbox", help="edits made offline that wait to be sent")
    b = box.add_subparsers(dest="action", required=True)
    bl = b.add_parser("list", help="queued edits: waiting, refused by the store, or in conflict")
    bl.add_argument("--format", choices=["table", "json"], default="table", help="output format")
    bs = b.add_parser("show", help="one queued edit (a conflict with the store's values)")
    bs.add_argument("seq", type=int)
    br = b.add_parser("retry", help="send a refused edit again (after fixing the cause)")
    br.add_argument("seq", type=int)
    bd = b.add_parser("discard", help="drop a queued edit; the store's version stays")
    bd.add_argument("seq", type=int)
    bv = b.add_parser("resolve", help="settle a conflicting edit field by field, all one way")
    bv.add_argument("seq", type=int)
    how = bv.add_mutually_exclusive_group(required=True)
    how.add_argument(
        "--mine",
        dest="choice",
        action="store_const",
        const="mine",
        help="send this edit as it is, over the store's change",
    )
    how.add_argument(
        "--theirs",
        dest="choice",
        action="store_const",
        const="theirs",
        help="keep the store's values and drop this edit's overlapping fields",
    )


def _err(text: str) -> None:
    print(f"merchant-desk: {output.printable(text)}", file=sys.stderr)


# --- after an edit command ---------------------------------------------------------------


def write_outcome(ctx: StoreContext) -> int:
    """The exit code of an edit command that succeeded: saved, or only queued here."""
    return outcome_code(ctx.customers.last_write)


def outcome_code(outcome: WriteOutcome) -> int:
    """The exit code of a write that succeeded (a customer edit, a note)."""
    if outcome.mirror_problem:
        _err(outcome.mirror_problem)
    if outcome.queued:
        _err(
            "queued: the store is unreachable, so the edit is kept on this machine only "
            "and sent by 'merchant-desk sync' (see 'merchant-desk outbox list')."
        )
        return EXIT_QUEUED
    return 0


# --- sync --------------------------------------------------------------------------------


async def sync_outcome(mirror: MirrorService) -> int:
    """What `sync` did with the queued edits; EXIT_ATTENTION when some need a person."""
    report = mirror.last_replay
    state = mirror.state
    sent = report.sent if report is not None else 0
    failed, conflicts = state.failed_edits, state.conflicts
    if sent or failed or conflicts or state.pending_edits:
        print(
            f"Queued edits: {sent} sent, {len(failed)} refused, "
            f"{len(conflicts)} in conflict, {state.pending_edits} still waiting."
        )
    for entry in failed:
        _err(
            f"queued edit #{entry.seq} ({describe_edit(entry)}) was refused by the store: "
            f"{entry.detail}. Fix it, then 'merchant-desk outbox retry {entry.seq}', or "
            f"'merchant-desk outbox discard {entry.seq}'."
        )
    for conflict in conflicts:
        names = ", ".join(f.field for f in conflict.fields)
        _err(
            f"queued edit #{conflict.seq} (customer {conflict.customer_id}) overlaps a change "
            f"made in the store ({names}): 'merchant-desk outbox show {conflict.seq}', then "
            f"'merchant-desk outbox resolve {conflict.seq} --mine' or '--theirs'."
        )
    return EXIT_ATTENTION if failed or conflicts else 0


def say_waiting() -> None:
    _err("another sync of this store is running (the desk or a script); waiting for it…")


# --- store remove ------------------------------------------------------------------------


async def confirm_remove(services: Services, name: str, force: bool) -> int | None:
    """Before `store remove`: edits not yet sent would be lost. None: go ahead."""
    try:
        edits = await services.unsent_edits(name)
    except AppError as exc:
        if not force:
            raise
        _err(f"cannot tell which edits wait to be sent ({exc.user_message}); removing anyway")
        return None
    if not edits:
        return None
    for entry in edits:
        _err(f"  #{entry.seq} {STATE_WORDS.get(entry.state, entry.state)}: {describe_edit(entry)}")
    if force:
        _err(f"discarding {len(edits)} edit(s) never sent to the store (--force).")
        return None
    _err(
        f"store '{name}' has {len(edits)} edit(s) not yet sent to the store (listed above): "
        "run 'merchant-desk sync' first, or 'store remove --force' to drop them."
    )
    return EXIT_ATTENTION


# --- outbox commands ---------------------------------------------------------------------


def _row(entry: OutboxEntry) -> dict[str, str]:
    return {
        "seq": str(entry.seq),
        "state": STATE_WORDS.get(entry.state, entry.state),
        "queued": f"{entry.created_at.astimezone():%Y-%m-%d %H:%M}",
        "edit": describe_edit(entry),
        "detail": entry.detail or "",
    }


async def run(services: Services, args: argparse.Namespace) -> int:
    if not services.has_mirror(args.store):
        if args.action == "list":
            print("No queued edits: this store has no local copy.")
            return 0
        raise UsageError("this store has no local mirror, so nothing is queued")
    reads = args.action in ("list", "show")
    policy = ReadPolicy.OFFLINE if reads and args.offline else ReadPolicy.LIVE
    if args.offline and not reads:
        raise UsageError(f"'outbox {args.action}' needs the store's server: drop --offline")
    ctx = await services.open_store(args.store, policy=policy)
    try:
        assert ctx.mirror is not None
        return await ACTIONS[args.action](ctx.mirror, args)
    finally:
        await ctx.aclose()


async def _list(mirror: MirrorService, args: argparse.Namespace) -> int:
    edits = await mirror.edits()
    if args.format == "json":
        data = [{**_row(e), "kind": e.kind, "patch": e.patch} for e in edits]
        print(output.printable_json(json.dumps(data, ensure_ascii=False, indent=2)))
        return 0
    if not edits:
        print("No queued edits.")
        return 0
    output.print_table([_row(e) for e in edits], ("seq", "state", "queued", "edit", "detail"))
    return 0


async def _show(mirror: MirrorService, args: argparse.Namespace) -> int:
    entry = await mirror.edit(args.seq)
    for name, value in _row(entry).items():
        print(f"{name:>10}: {output.printable(value)}")
    changes = entry.patch.get("draft") or entry.patch.get("fields") or {}
    for name, value in changes.items():
        print(f"{'mine':>10}: {name} = {output.printable(json.dumps(value, ensure_ascii=False))}")
    if entry.state != "conflict":
        return 0
    try:
        conflict = await mirror.conflict(entry.seq)
    except ConnectionFailedError:
        print("  conflict: the store's values can be shown once it is reachable")
        return 0
    for f in conflict.fields:
        values = {
            k: json.dumps(getattr(f, k), ensure_ascii=False) for k in ("base", "mine", "theirs")
        }
        print(
            output.printable(
                f"{'conflict':>10}: {f.field}: was {values['base']}, mine {values['mine']}, "
                f"store now {values['theirs']}"
            )
        )
    return 0


async def _settled(mirror: MirrorService, seq: int, done: str) -> int:
    entry = next((e for e in await mirror.edits() if e.seq == seq), None)
    if entry is None:
        print(done)
        return 0
    if entry.state == "failed":
        _err(f"queued edit #{seq} was refused by the store again: {entry.detail}")
        return EXIT_ATTENTION
    if entry.state == "conflict":
        _err(f"queued edit #{seq} still overlaps a change in the store: resolve it")
        return EXIT_ATTENTION
    _err(f"queued edit #{seq} is not sent yet (the store is unreachable); it stays queued")
    return EXIT_QUEUED


async def _retry(mirror: MirrorService, args: argparse.Namespace) -> int:
    await mirror.retry(args.seq)
    return await _settled(mirror, args.seq, f"Sent queued edit #{args.seq} to the store.")


async def _discard(mirror: MirrorService, args: argparse.Namespace) -> int:
    await mirror.discard(args.seq)
    print(f"Discarded queued edit #{args.seq}; the store's version stays.")
    return 0


async def _resolve(mirror: MirrorService, args: argparse.Namespace) -> int:
    await mirror.resolve_all(args.seq, args.choice)
    return await _settled(mirror, args.seq, f"Resolved queued edit #{args.seq} ({args.choice}).")


ACTIONS = {
    "list": _list,
    "show": _show,
    "retry": _retry,
    "discard": _discard,
    "resolve": _resolve,
}
