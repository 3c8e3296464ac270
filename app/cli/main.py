"""`merchant-desk`: the command line over the same services as the desktop app.

`ui.__main__` opens the desktop app when no command is given. Exit codes: 0 ok,
2 usage, 3 not found, 4 validation, 5 authentication, 6 backend unreachable,
7 edit queued on this machine only, 8 queued edits refused or in conflict (sync, outbox,
store remove), 9 `doctor` found a feature degraded or refused, 10 a sort or filter by order
figures while the orders are not mirrored (run `sync`), 1 any other expected failure,
130 interrupted (Ctrl-C), 143 stopped by SIGTERM. A failure prints one line on stderr,
never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import logging
import os
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from app import __version__
from app.cli import commands, doctor, output
from app.cli import notes as notes_cli
from app.cli import outbox as outbox_cli
from app.cli import timeline as timeline_cli
from app.cli.usage import UsageError
from app.domain.errors import (
    AppError,
    AuthenticationError,
    ConnectionFailedError,
    NotEligibleError,
    NotFoundError,
    OrdersNotMirroredError,
    ValidationFailedError,
)
from app.domain.money import MAX_AMOUNT
from app.domain.query import DateRange

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_INVALID, EXIT_AUTH, EXIT_UNREACHABLE = range(
    7
)
EXIT_NOT_MIRRORED = 10  # 7-9 belong to the outbox and doctor (see the module docstring)
EXIT_INTERRUPTED = 128 + signal.SIGINT  # as a shell reports Ctrl-C
EXIT_TERMINATED = 128 + signal.SIGTERM


class _TerminatedError(Exception):
    """SIGTERM stopped the command (`_run`)."""


async def _run(args: argparse.Namespace) -> int:
    """The command, which SIGTERM stops as Ctrl-C does: its task is cancelled, so the store
    and its mirror close in order (a sync keeps every page it stored), rather than the
    process dying mid-write. A harness whose SIGINT is ignored (a job started in the
    background by a non-interactive shell) can stop a sync this way."""
    task = asyncio.current_task()
    assert task is not None
    loop = asyncio.get_running_loop()
    terminated = False

    def terminate() -> None:
        nonlocal terminated
        terminated = True
        task.cancel()

    handled = False
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:  # never one a parent ignored
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows; a thread
            loop.add_signal_handler(signal.SIGTERM, terminate)
            handled = True
    try:
        return await commands.run(args)
    except asyncio.CancelledError:
        if terminated:
            raise _TerminatedError from None
        raise
    finally:
        if handled:
            loop.remove_signal_handler(signal.SIGTERM)


def _interrupted(args: argparse.Namespace, code: int) -> int:
    resume = "; the next 'merchant-desk sync' continues where it stopped"
    if args.command != "sync":
        resume = ""
    print(f"merchant-desk: interrupted{resume}.", file=sys.stderr)
    return code


def exit_code(error: AppError) -> int:
    if isinstance(error, NotFoundError):
        return EXIT_NOT_FOUND
    if isinstance(error, ValidationFailedError | NotEligibleError):
        return EXIT_INVALID
    if isinstance(error, AuthenticationError):
        return EXIT_AUTH
    if isinstance(error, ConnectionFailedError):
        return EXIT_UNREACHABLE
    if isinstance(error, OrdersNotMirroredError):
        return EXIT_NOT_MIRRORED  # a script can run `sync` and try again
    return EXIT_ERROR


def parse_moment(text: str, *, end_of_day: bool = False) -> datetime:
    """A date (whole day, UTC) or an ISO 8601 date-time (UTC if no offset given)."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None
        try:  # in UTC now, so no later conversion can leave the calendar
            return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
        except OverflowError:
            raise argparse.ArgumentTypeError(f"date out of range: {text!r}") from None
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    if not end_of_day:
        return start
    # The last day there is ("until 9999-12-31" = no end) has no next midnight.
    return start + timedelta(days=1) if day < date.max else datetime.max.replace(tzinfo=UTC)


def _day_end(text: str) -> datetime:
    return parse_moment(text, end_of_day=True)


def _amount(text: str) -> Decimal:
    """`--min-spent 100` or `100.50`: an amount in the store's main currency."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= MAX_AMOUNT:
        raise argparse.ArgumentTypeError(
            f"not an amount: {text!r} (a number such as 100 or 99.50, in the store's currency)"
        )
    return value


def _day_after(text: str) -> datetime:
    """`--last-order-after 2026-06-01`: later than that day (from the next midnight)."""
    return parse_moment(text, end_of_day=True)


def _days(text: str) -> DateRange:
    """`2026-01-01..2026-03-31`: both days included; either side may be left out."""
    first, sep, last = text.partition("..")
    if not sep or not (first or last):
        raise argparse.ArgumentTypeError(
            f"expected FIRST..LAST days, got {text!r} (e.g. 2026-01-01..2026-03-31)"
        )
    start = parse_moment(first) if first else None
    end = parse_moment(last, end_of_day=True) if last else None
    if start is not None and end is not None and start >= end:
        raise argparse.ArgumentTypeError(f"the first day is after the last day: {text!r}")
    return DateRange(start=start, end=end)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"not a number of seconds (0–3600): {text!r}")
    return value


def _count(text: str) -> int:
    """A --limit: 0 (all) or more; -1 would silently drop the last row."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 (all) or a positive number, got {text!r}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0–65535): {text!r}")
    return value


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


FORMAT_HELP = "output format (default: %(default)s)"


def _add_format(p: argparse.ArgumentParser, *more: str) -> None:
    """`--format`: table (the default) or json, and `more` where the command has them."""
    choices = ["table", "json", *more]
    p.add_argument("--format", choices=choices, default="table", help=FORMAT_HELP)


def _add_customer_fields(p: argparse.ArgumentParser) -> None:
    p.add_argument("--email", help="email address")
    p.add_argument("--first-name", help="first name")
    p.add_argument("--last-name", help="last name")
    p.add_argument("--phone", help="phone number, best with the country code (+49 …)")
    p.add_argument("--company", help="company name")
    p.add_argument(
        "--metadata",
        action="append",
        type=_key_value,
        default=[],
        metavar="KEY=VALUE",
        help="set a metadata key (repeatable)",
    )


def _add_address_fields(p: argparse.ArgumentParser) -> None:
    for name, what in (
        ("address-name", "a label for the address (Home, Shop…)"),
        ("first-name", "recipient's first name"),
        ("last-name", "recipient's last name"),
        ("company", "company"),
        ("address-1", "street and number"),
        ("address-2", "second address line"),
        ("city", "city"),
        ("county", "county (where the store asks for one)"),
        ("province", "province or state"),
        ("postal-code", "postal code"),
        ("phone", "phone number at this address"),
    ):
        p.add_argument(f"--{name}", help=what)
    p.add_argument("--country", dest="country_code", metavar="CC", help="two-letter country code")
    p.add_argument(
        "--default-shipping",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="make it (or stop it being) the default shipping address",
    )
    p.add_argument(
        "--default-billing",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="make it (or stop it being) the default billing address",
    )


def _add_order_filters(p: argparse.ArgumentParser) -> None:
    """Filters on order figures: answered from the mirror's copy of the orders."""
    orders = p.add_mutually_exclusive_group()
    orders.add_argument(
        "--has-orders",
        dest="has_orders",
        action="store_const",
        const=True,
        help="only customers with at least one order (cancelled ones do not count)",
    )
    orders.add_argument(
        "--no-orders",
        dest="has_orders",
        action="store_const",
        const=False,
        help="only customers without orders",
    )
    p.add_argument(
        "--min-spent",
        type=_amount,
        metavar="AMOUNT",
        help="spent at least this much, net of refunds, in the store's main currency",
    )
    p.add_argument(
        "--last-order-before",
        type=parse_moment,
        metavar="DAY",
        help="last order earlier than this day (lapsed customers)",
    )
    p.add_argument(
        "--last-order-after",
        type=_day_after,
        metavar="DAY",
        help="last order later than this day",
    )
    p.add_argument(
        "--ordered-between",
        type=_days,
        metavar="FIRST..LAST",
        help="at least one order on these days, both included (either may be left out)",
    )


STORE_HELP = "store profile name (default: the default store, or 'demo')"
OFFLINE_HELP = "read from the store's local mirror only (see 'sync'); never ask the server"


def _join_option_values(argv: list[str]) -> list[str]:
    """`--sort -email` → `--sort=-email`: argparse would read `-email` as an option."""
    out: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--sort":
            value = next(words, None)
            out.append(word if value is None else f"--sort={value}")
        else:
            out.append(word)
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="merchant-desk",
        description="Look after a shop's customers. With no command, opens the desktop app.",
        epilog="An empty value (--phone '') clears a field.",
    )
    parser.add_argument("--version", action="version", version=f"merchant-desk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")
    parser.add_argument("--store", help=STORE_HELP)
    parser.add_argument("--offline", action="store_true", help=OFFLINE_HELP)
    parser.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help="give up on the store after this long per request (default: 15 s for reads, "
        "60 s for changes)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    # store
    store = sub.add_parser("store", help="add, list and remove store profiles")
    s = store.add_subparsers(dest="action", required=True)
    add = s.add_parser("add", help="add or replace a store profile")
    add.add_argument("name")
    add.add_argument(
        "--backend",
        choices=["medusa", "chec", "elasticpath"],
        required=True,
        help="the shop platform",
    )
    add.add_argument("--url", required=True, help="the store's API address (https://…)")
    who = add.add_mutually_exclusive_group(required=True)
    who.add_argument("--email", help="admin user's email (password is the secret)")
    who.add_argument("--api-key", action="store_true", help="the secret is a secret API key")
    who.add_argument(
        "--client-id", help="Elastic Path application key's client id (client secret is the secret)"
    )
    add.add_argument("--password-stdin", action="store_true", help="read the secret from stdin")
    add.add_argument("--default", action="store_true", help="make it the default store")
    add.add_argument("--check", action="store_true", help="sign in once to check the details")
    add.add_argument(
        "--phone-country",
        metavar="CC",
        help="country of phone numbers written without one, like DE (default: guessed "
        "from the customers' addresses)",
    )
    add.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="accept plain http:// to another computer (password and tokens unencrypted)",
    )
    s.add_parser("list", help="list store profiles")
    rm = s.add_parser("remove", help="remove a store profile and its saved secret")
    rm.add_argument("name")
    rm.add_argument("--force", action="store_true", help="even with edits not yet sent")

    # customers
    cust = sub.add_parser("customers", help="find and edit customers")
    c = cust.add_subparsers(dest="action", required=True)
    ls = c.add_parser("list", help="list customers matching a search and filters")
    ls.add_argument("--search", default="", help="text to find in name, email, phone or company")
    acct = ls.add_mutually_exclusive_group()
    acct.add_argument(
        "--has-account",
        dest="has_account",
        action="store_const",
        const=True,
        help="only customers with an account",
    )
    acct.add_argument(
        "--no-account",
        dest="has_account",
        action="store_const",
        const=False,
        help="only guests (no account)",
    )
    ls.add_argument("--group", action="append", default=[], help="group name or id (repeatable)")
    ls.add_argument("--email", help="exact email")
    ls.add_argument("--created-from", type=parse_moment, help="first day (or ISO date-time)")
    ls.add_argument("--created-to", type=_day_end, help="inclusive day")
    ls.add_argument("--updated-from", type=parse_moment, help="first day (or ISO date-time)")
    ls.add_argument("--updated-to", type=_day_end, help="inclusive day")
    _add_order_filters(ls)
    ls.add_argument(
        "--sort",
        default="id",
        help="FIELD or -FIELD (descending); orders, spent and last_order_at need the "
        "mirror's copy of the orders (see 'sync')",
    )
    ls.add_argument("--limit", type=_count, default=50, help="0 = all matches (streamed)")
    _add_format(ls, "csv")
    show = c.add_parser("show", help="show one customer with addresses")
    show.add_argument("customer_id")
    _add_format(show)
    create = c.add_parser("create", help="create a customer")
    _add_customer_fields(create)
    _add_format(create)
    update = c.add_parser("update", help="change a customer")
    update.add_argument("customer_id")
    _add_customer_fields(update)
    update.add_argument(
        "--unset-metadata",
        action="append",
        default=[],
        metavar="KEY",
        help="remove a metadata key (repeatable)",
    )
    _add_format(update)
    outbox_cli.add_queue_option(update)
    delete = c.add_parser("delete", help="delete a customer")
    delete.add_argument("customer_id")

    # addresses
    addr = sub.add_parser("addresses", help="a customer's addresses")
    a = addr.add_subparsers(dest="action", required=True)
    al = a.add_parser("list")
    al.add_argument("customer_id")
    _add_format(al)
    af = a.add_parser(
        "fields", help="the store's address fields: options, its labels, which it requires"
    )
    _add_format(af)
    fields_hint = "Which of these the store has and requires: 'merchant-desk addresses fields'."
    aa = a.add_parser("add", epilog=fields_hint)
    aa.add_argument("customer_id")
    _add_address_fields(aa)
    _add_format(aa)
    outbox_cli.add_queue_option(aa)
    au = a.add_parser("update", epilog=fields_hint)
    au.add_argument("customer_id")
    au.add_argument("address_id")
    _add_address_fields(au)
    _add_format(au)
    outbox_cli.add_queue_option(au)
    ad = a.add_parser("delete")
    ad.add_argument("customer_id")
    ad.add_argument("address_id")
    outbox_cli.add_queue_option(ad)

    # groups
    grp = sub.add_parser("groups", help="customer groups")
    g = grp.add_subparsers(dest="action", required=True)
    gl = g.add_parser("list")
    _add_format(gl)
    for verb in ("add", "remove"):
        gm = g.add_parser(verb, help=f"{verb} a customer's membership")
        gm.add_argument("customer_id")
        gm.add_argument("group", help="group name or id")

    # orders
    orders = sub.add_parser("orders", help="a customer's orders")
    o = orders.add_subparsers(dest="action", required=True)
    ol = o.add_parser("list")
    ol.add_argument("customer_id")
    ol.add_argument("--limit", type=_count, default=20, help="0 = all")
    _add_format(ol)
    os_ = o.add_parser("show")
    os_.add_argument("order_id")
    _add_format(os_)

    # token
    tok = sub.add_parser("token", help="password-reset / login tokens")
    t = tok.add_subparsers(dest="action", required=True)
    ti = t.add_parser("issue", help="ask the store to send the customer a reset/login token")
    ti.add_argument("customer_id")

    # sync
    sync = sub.add_parser("sync", help="bring the store's local mirror up to date")
    sync.add_argument(
        "--full", action="store_true", help="read everything again (also finds deletions)"
    )
    sync.add_argument("--quiet", action="store_true", help="no progress on stderr")
    outbox_cli.add_parser(sub)
    timeline_cli.add_parser(sub)
    notes_cli.add_parser(sub)

    doctor.add_parser(sub)

    # demo
    demo = sub.add_parser("demo", help="the embedded demo store")
    d = demo.add_subparsers(dest="action", required=True)
    dr = d.add_parser("reset", help="start the demo store afresh")
    dr.add_argument("--customers", type=int, default=2000, help="how many (default: %(default)s)")
    dr.add_argument("--seed", type=int, default=1, help="same seed, same customers")
    ds = d.add_parser("serve", help="serve the demo store on 127.0.0.1 for other tools")
    ds.add_argument("--port", type=_port, default=9009, help="port (default: %(default)s)")
    for command in (
        "customers",
        "addresses",
        "groups",
        "orders",
        "timeline",
        "token",
        "sync",
        "notes",
    ):
        _accept_store_options_after(sub.choices[command])
    return parser


def _accept_store_options_after(parser: argparse.ArgumentParser) -> None:
    """`merchant-desk customers list --store shop`, as `gh … --repo` users expect: the
    store options also after the subcommand (SUPPRESS: absent, they leave the value given
    before it alone)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _accept_store_options_after(child)
            return
    parser.add_argument("--store", default=argparse.SUPPRESS, help=STORE_HELP)
    parser.add_argument(
        "--offline", action="store_true", default=argparse.SUPPRESS, help=OFFLINE_HELP
    )


def read_secret(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if sys.stdin.isatty():
        if getattr(args, "client_id", None):
            return getpass.getpass("Client secret: ")
        return getpass.getpass("Secret API key: " if args.api_key else "Admin password: ")
    raise UsageError("no secret given: use --password-stdin or run in a terminal")


def main(argv: Sequence[str] | None = None) -> int:
    argv = _join_option_values(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if args.command == "store" and args.action == "add":
        try:
            args.secret = read_secret(args)
        except UsageError as exc:
            print(f"merchant-desk: {exc}", file=sys.stderr)
            return EXIT_USAGE
    try:
        return asyncio.run(_run(args))
    except UsageError as exc:
        print(f"merchant-desk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except AppError as exc:
        # Messages may quote store data (names, the store's own error text).
        print(f"merchant-desk: {output.printable(exc.user_message)}", file=sys.stderr)
        if args.verbose:
            for line in exc.details.lines():
                print(f"  {output.printable(line)}", file=sys.stderr)
        return exit_code(exc)
    except KeyboardInterrupt:  # Ctrl-C: asyncio.run cancelled the command and let it close
        return _interrupted(args, EXIT_INTERRUPTED)
    except _TerminatedError:
        return _interrupted(args, EXIT_TERMINATED)
    except BrokenPipeError:
        return _reader_left()


def _reader_left() -> int:
    """Output piped into `head -1`: the reader left. Stop quietly, as other tools do."""
    try:  # later writes (the interpreter's final flush) must not fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 128 + 13  # like a process ended by SIGPIPE


if __name__ == "__main__":
    sys.exit(main())
