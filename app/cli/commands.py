"""What each CLI command does, over `app.services`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from babel import Locale, default_locale
from pydantic import JsonValue, ValidationError

from app.cli import notes as notes_cli
from app.cli import outbox as outbox_cli
from app.cli import output
from app.cli.timeline import timeline_show
from app.cli.usage import UsageError
from app.domain.customer import ADDRESS_TEXT_FIELDS, AddressDraft, CustomerDraft, CustomerGroup
from app.domain.errors import (
    ConfigurationError,
    FieldError,
    NotFoundError,
    OfflineError,
    OrdersNotMirroredError,
    SecretStoreUnavailableError,
    ValidationFailedError,
)
from app.domain.order import OrderSummary
from app.domain.patch import AddressPatch, CustomerPatch, MetadataPatch
from app.domain.query import CustomerQuery, DateRange, OrderFilter, Sort
from app.gateway import GatewayOptions, Timeouts
from app.gateway.pagination import PageGuard
from app.mirror.service import ReadPolicy, SyncProgress
from app.services.context import Services, StoreContext
from app.services.figures_text import figures_line, locale_of
from app.services.profiles import AuthMethod, BackendKind, StoreProfile


def _value(text: str | None) -> str | None:
    """CLI convention: an empty string clears a field."""
    return text if text else None


def gateway_options(args: argparse.Namespace) -> GatewayOptions:
    """`--timeout` caps every request (retries included) at that many seconds."""
    limit: float | None = getattr(args, "timeout", None)
    if limit is None:
        return GatewayOptions()
    timeouts = Timeouts(
        connect=min(5.0, limit), read=min(10.0, limit), total=limit, interactive=limit
    )
    return GatewayOptions(timeouts=timeouts)


async def run(args: argparse.Namespace) -> int:
    services = Services.create()
    if args.command == "store":
        return await _store(services, args)
    if args.command == "demo":
        from app.cli.demo import run_demo  # loads the demo server only when asked

        if args.action == "reset":  # a new demo store: its old mirror describes another
            services.forget_mirror(services.profiles.get("demo").name)
        return await run_demo(services, args)
    offline = bool(getattr(args, "offline", False))
    if args.command == "outbox":
        return await outbox_cli.run(services, args)
    if args.command == "doctor":
        if offline:
            raise UsageError("'doctor' checks the store's server; drop --offline")
        from app.cli.doctor import run_doctor

        return await run_doctor(services, args)
    if args.command == "sync":
        if offline:
            raise UsageError("'sync' needs the store's server; drop --offline")
        return await sync(services, args)
    handler = HANDLERS[(args.command, args.action)]
    if offline and handler not in READ_HANDLERS:
        raise UsageError(f"'{args.command} {args.action}' changes the store: drop --offline")
    if offline and not services.has_mirror(args.store):
        raise UsageError("this store has no local mirror yet: run 'merchant-desk sync' first")
    # Scripts want the server's answers: the mirror only backs them up (and --offline).
    policy = ReadPolicy.OFFLINE if offline else ReadPolicy.LIVE
    # Notes open the local copy in any case: a store with no place for notes keeps them there.
    mirrored = offline or args.command == "notes" or services.has_mirror(args.store)
    ctx = await services.open_store(
        args.store, gateway_options(args), policy=policy if mirrored else None
    )
    if offline and ctx.mirror is not None and not ctx.mirror.state.ready:
        # A script cannot tell a partial answer from a whole one: refuse rather than guess.
        customers = ctx.mirror.state.customers
        await ctx.aclose()
        raise OfflineError(
            f"The local mirror is incomplete ({customers:,} customers so far), so --offline "
            "would give partial answers. Run 'merchant-desk sync' while the store is reachable."
        )
    ctx.customers.queue_offline = not getattr(args, "no_queue", False)
    try:
        code = await handler(ctx, args)
        return outbox_cli.write_outcome(ctx) if code == 0 else code
    finally:
        await ctx.aclose()


async def sync(services: Services, args: argparse.Namespace) -> int:
    ctx = await services.open_store(args.store, gateway_options(args), policy=ReadPolicy.LIVE)
    assert ctx.mirror is not None
    shown = -1.0

    def progress(p: SyncProgress) -> None:
        nonlocal shown
        if args.quiet:
            return
        now = time.monotonic()
        if now - shown < 0.5 and (p.total is None or p.done < p.total):
            return  # a line every half second is enough
        shown = now
        of = f" of {p.total}" if p.total is not None else ""
        things = "orders" if p.phase == "orders" else "customers"
        print(f"{p.phase}: {p.done}{of} {things}", file=sys.stderr)

    try:
        report = await ctx.mirror.sync(progress, full=args.full, on_wait=outbox_cli.say_waiting)
        state = ctx.mirror.state
        words = {"full": "full mirror", "refresh": "refresh", "sweep": "sweep"}[report.phase]
        print(
            f"{words.capitalize()}: {report.fetched} customers read, {report.deleted} deleted, "
            f"{state.customers} in the mirror ({report.seconds:.1f} s)."
        )
        if state.orders_read_at is not None:  # how fresh the order figures are
            read = "no orders read" if report.orders is None else f"{report.orders} read"
            print(f"Orders: {read}, up to date as of {state.orders_read_at:%Y-%m-%d %H:%M:%S} UTC.")
        return await outbox_cli.sync_outcome(ctx.mirror)
    finally:
        await ctx.aclose()


# --- store profiles --------------------------------------------------------------------


async def _store(services: Services, args: argparse.Namespace) -> int:
    if args.action == "list":
        default = services.profiles.default_name()
        rows = [
            {
                "name": p.name,
                "backend": p.backend.value,
                "url": p.url,
                "sign_in": p.email or (f"client {p.client_id}" if p.client_id else "api key"),
                "default": "yes" if p.name == default else "",
            }
            for p in services.profiles.list()
        ]
        if not rows:
            print("No stores yet: the app opens the demo store.")
            print("Add one with 'merchant-desk store add'.")
            return 0
        output.print_table(rows, ("name", "backend", "url", "sign_in", "default"))
        return 0
    if args.action == "remove":
        refused = await outbox_cli.confirm_remove(services, args.name, args.force)
        if refused is not None:
            return refused
        services.forget_store(args.name)
        print(f"Removed store '{args.name}' (its secret and local mirror too).")
        return 0
    try:
        profile = StoreProfile(
            name=args.name,
            backend=BackendKind(args.backend),
            url=args.url,
            email=args.email,
            client_id=getattr(args, "client_id", None),
            phone_country=getattr(args, "phone_country", None),
            auth=AuthMethod.CLIENT_CREDENTIALS
            if getattr(args, "client_id", None)
            else AuthMethod.API_KEY
            if args.api_key
            else AuthMethod.PASSWORD,
            allow_insecure_http=bool(getattr(args, "allow_insecure_http", False)),
        )
        profile.check_transport()
    except ValidationError as exc:
        raise UsageError("; ".join(str(e["msg"]) for e in exc.errors())) from None
    except ConfigurationError as exc:
        raise UsageError(exc.user_message) from None
    if profile.backend is BackendKind.CHEC and profile.auth is not AuthMethod.API_KEY:
        raise UsageError("a Chec store signs in with its secret API key (sk_…): use --api-key")
    if (profile.backend is BackendKind.ELASTICPATH) != (
        profile.auth is AuthMethod.CLIENT_CREDENTIALS
    ):
        raise UsageError(
            "an Elastic Path store signs in with an application key: use --client-id ID "
            "(the client secret is the secret); --client-id is for Elastic Path only"
        )
    if not args.secret:
        raise UsageError("the secret is empty")
    if args.check:
        backend = services.build_backend(profile, args.secret)
        try:
            await backend.check_connection()
        finally:
            await backend.aclose()
    services.profiles.save(profile, make_default=args.default)
    try:
        services.secrets.set(profile.name, args.secret)
    except SecretStoreUnavailableError as exc:
        print(
            f"merchant-desk: {exc.user_message} The profile was saved without it.", file=sys.stderr
        )
    if profile.plaintext_warning:
        print(f"merchant-desk: warning: {profile.plaintext_warning}", file=sys.stderr)
    print(f"Saved store '{profile.name}'.")
    return 0


# --- customers -------------------------------------------------------------------------


async def _resolve_groups(ctx: StoreContext, names: list[str]) -> frozenset[str]:
    if not names:
        return frozenset()
    groups = await ctx.customers.groups()
    return frozenset(_find_group(groups, n).id for n in names)


def _find_group(groups: list[CustomerGroup], name: str) -> CustomerGroup:
    for g in groups:
        if g.id == name or g.name.casefold() == name.casefold():
            return g
    raise NotFoundError(f"No customer group '{name}'.")


async def customers_list(ctx: StoreContext, args: argparse.Namespace) -> int:
    try:
        sort = Sort.parse(args.sort)
    except ValueError:
        raise UsageError(f"cannot sort by {args.sort!r}") from None
    if args.limit < 0:
        raise UsageError("--limit must be 0 (all) or more")
    before, after = args.last_order_before, args.last_order_after
    if before is not None and after is not None and after >= before:
        raise UsageError("--last-order-after must be a day before --last-order-before")
    orders = OrderFilter(
        has_orders=args.has_orders,
        min_spent=args.min_spent,
        last_order=DateRange(start=after, end=before),
        ordered=args.ordered_between or DateRange(),
    )
    if orders.has_orders is False and not (
        orders.min_spent is None and orders.ordered.is_open() and orders.last_order.is_open()
    ):
        # Each asks for an order the customer has not got: the list could only be empty.
        raise UsageError(
            "--no-orders cannot be combined with --min-spent, --ordered-between, "
            "--last-order-before or --last-order-after"
        )
    query = CustomerQuery(
        text=args.search,
        has_account=args.has_account,
        group_ids=await _resolve_groups(ctx, args.group),
        email=args.email,
        created=DateRange(start=args.created_from, end=args.created_to),
        updated=DateRange(start=args.updated_from, end=args.updated_to),
        orders=orders,
        sort=sort,
        page_size=min(args.limit, 1000) if args.limit else 1000,
    )
    if ctx.customers.needs_order_mirror(query) and ctx.mirror is None:
        # The CLI opens no mirror before the first sync: say how to get one.
        raise OrdersNotMirroredError(
            "Sorting or filtering customers by their orders needs the local copy of every "
            "order: run 'merchant-desk sync' first."
        )
    stream = ctx.customers.iterate(query, limit=args.limit or None)
    await output.stream_customers(stream, args.format)
    return 0


def _show(model: Any, fmt: str) -> None:
    if fmt == "json":
        output.print_json(model)
        return
    for name, value in output.dump(model).items():
        if isinstance(value, list | dict) and value and name in ("addresses", "lines"):
            continue
        shown = output._cell(value) if not isinstance(value, dict) else output.printable(str(value))
        print(f"{name:>20}: {shown}")


def cli_locale() -> Locale:
    """Money as the terminal's locale writes it (LC_MONETARY, LC_ALL, LANG)."""
    return locale_of(default_locale("LC_MONETARY"))


def _note_limitations(ctx: StoreContext) -> None:
    """What the store turned out not to do (e.g. its addresses: defaults only), one line
    each on stderr, so stdout stays the data a script reads."""
    for found in ctx.customers.limitations:
        print(f"note: {found.notice}", file=sys.stderr)


async def customers_show(ctx: StoreContext, args: argparse.Namespace) -> int:
    customer = await ctx.customers.get(args.customer_id)
    # None: the orders are not mirrored (unknown), which is not "no orders".
    figures = await ctx.customers.figures(customer.id)
    if args.format == "json":
        data = output.dump(customer)
        data["figures"] = figures.model_dump(mode="json") if figures is not None else None
        output.print_json_data(data)
        _note_limitations(ctx)
        return 0
    _show(customer, args.format)
    line = figures_line(figures, customer.created_at, cli_locale())
    print(f"{'figures':>20}: {line}")
    if args.format == "table":
        for a in customer.addresses:
            flags = " ".join(
                f
                for f, on in (
                    ("[shipping]", a.is_default_shipping),
                    ("[billing]", a.is_default_billing),
                )
                if on
            )
            line = output.printable(f"{a.id}  {a.one_line()}")
            print(f"{'address':>20}: {line} {flags}".rstrip())
    _note_limitations(ctx)
    return 0


def _metadata(pairs: list[tuple[str, str]]) -> dict[str, JsonValue]:
    return dict(pairs)


async def customers_create(ctx: StoreContext, args: argparse.Namespace) -> int:
    draft = CustomerDraft(
        email=_value(args.email),
        first_name=_value(args.first_name),
        last_name=_value(args.last_name),
        phone=_value(args.phone),
        company=_value(args.company),
        metadata=_metadata(args.metadata),
    )
    _show(await ctx.customers.create(draft), args.format)
    return 0


async def customers_update(ctx: StoreContext, args: argparse.Namespace) -> int:
    fields: dict[str, Any] = {
        name: _value(getattr(args, name))
        for name in ("email", "first_name", "last_name", "phone", "company")
        if getattr(args, name) is not None
    }
    try:
        meta = MetadataPatch(set=_metadata(args.metadata), remove=frozenset(args.unset_metadata))
    except ValidationError as exc:
        raise UsageError(str(exc.errors()[0]["msg"])) from None
    patch = CustomerPatch(**fields, metadata=meta)
    if patch.is_empty():
        raise UsageError("nothing to change: give at least one field option")
    _show(await ctx.customers.update(args.customer_id, patch), args.format)
    return 0


async def customers_delete(ctx: StoreContext, args: argparse.Namespace) -> int:
    await ctx.customers.delete(args.customer_id)
    print(f"Deleted customer {args.customer_id}.")
    return 0


# --- addresses -------------------------------------------------------------------------


def _address_rows(addresses: list[Any]) -> list[dict[str, str]]:
    return [
        {
            "id": a.id,
            "name": a.address_name or "",
            "address": a.one_line(),
            "shipping": "default" if a.is_default_shipping else "",
            "billing": "default" if a.is_default_billing else "",
        }
        for a in addresses
    ]


async def addresses_list(ctx: StoreContext, args: argparse.Namespace) -> int:
    addresses = await ctx.customers.addresses(args.customer_id)
    if args.format == "json":
        output.print_json(addresses)
    else:
        output.print_table(
            _address_rows(addresses), ("id", "name", "address", "shipping", "billing")
        )
    _note_limitations(ctx)
    return 0


def address_option(field: str) -> str:
    """The `addresses add|update` option of an address field."""
    return "--country" if field == "country_code" else "--" + field.replace("_", "-")


def _in_option_terms(exc: ValidationFailedError) -> ValidationFailedError:
    """The store's form speaks of fields; on the command line they are options."""
    if not exc.field_errors:
        return exc
    errors = tuple(
        FieldError(address_option(e.field), e.message)
        if e.field in ADDRESS_TEXT_FIELDS
        else FieldError(e.field, e.message)
        for e in exc.field_errors
    )
    message = "; ".join(f"{e.field}: {e.message}" for e in errors)
    return ValidationFailedError(message, field_errors=errors, details=exc.details)


async def addresses_fields(ctx: StoreContext, args: argparse.Namespace) -> int:
    """The store's address form: which options it takes, in its words, and which it needs."""
    form = ctx.customers.address_form
    rows = [
        {
            "option": address_option(f.name),
            "field": f.name,
            "label": f.label,
            "required": "yes" if f.required else "",
        }
        for f in form.fields
    ]
    if args.format == "json":
        listed = [{**r, "required": bool(r["required"])} for r in rows]
        print(json.dumps(listed, ensure_ascii=False, indent=2))
    else:
        output.print_table(rows, ("option", "label", "required"))
    return 0


async def addresses_add(ctx: StoreContext, args: argparse.Namespace) -> int:
    fields: dict[str, Any] = {n: _value(getattr(args, n)) for n in ADDRESS_TEXT_FIELDS}
    draft = AddressDraft(
        **fields,
        is_default_shipping=bool(args.default_shipping),
        is_default_billing=bool(args.default_billing),
    )
    try:
        address = await ctx.customers.add_address(args.customer_id, draft)
    except ValidationFailedError as exc:
        raise _in_option_terms(exc) from exc
    _show(address, args.format)
    return 0


async def addresses_update(ctx: StoreContext, args: argparse.Namespace) -> int:
    fields: dict[str, Any] = {
        n: _value(getattr(args, n)) for n in ADDRESS_TEXT_FIELDS if getattr(args, n) is not None
    }
    if args.default_shipping is not None:
        fields["is_default_shipping"] = args.default_shipping
    if args.default_billing is not None:
        fields["is_default_billing"] = args.default_billing
    patch = AddressPatch(**fields)
    if patch.is_empty():
        raise UsageError("nothing to change: give at least one field option")
    try:
        address = await ctx.customers.update_address(args.customer_id, args.address_id, patch)
    except ValidationFailedError as exc:
        raise _in_option_terms(exc) from exc
    _show(address, args.format)
    return 0


async def addresses_delete(ctx: StoreContext, args: argparse.Namespace) -> int:
    await ctx.customers.delete_address(args.customer_id, args.address_id)
    print(f"Deleted address {args.address_id}.")
    return 0


# --- groups ----------------------------------------------------------------------------


async def groups_list(ctx: StoreContext, args: argparse.Namespace) -> int:
    groups = await ctx.customers.groups()
    if args.format == "json":
        output.print_json(groups)
    else:
        output.print_table([{"id": g.id, "name": g.name} for g in groups], ("id", "name"))
    return 0


async def groups_change(ctx: StoreContext, args: argparse.Namespace) -> int:
    group = _find_group(await ctx.customers.groups(), args.group)
    ids = frozenset({group.id})
    if args.action == "add":
        await ctx.customers.change_groups(args.customer_id, add=ids)
    else:
        await ctx.customers.change_groups(args.customer_id, remove=ids)
    print(f"{'Added to' if args.action == 'add' else 'Removed from'} group '{group.name}'.")
    return 0


# --- orders ----------------------------------------------------------------------------


async def orders_list(ctx: StoreContext, args: argparse.Namespace) -> int:
    orders: list[OrderSummary] = []
    token: str | None = None
    guard = PageGuard()
    while True:
        page = await ctx.customers.orders(args.customer_id, token, page_size=50)
        repeated = guard.check(token, (o.id for o in page.items), page.next_token, page.total)
        orders.extend(o for o in page.items if o.id not in repeated)
        token = page.next_token
        if token is None or (args.limit and len(orders) >= args.limit):
            break
    if args.limit:
        orders = orders[: args.limit]
    if args.format == "json":
        output.print_json(orders)
        return 0
    rows = [
        {
            "number": o.display_number,
            "date": f"{o.created_at:%Y-%m-%d}",
            "status": o.status,
            "payment": o.payment_status or "",
            "fulfilment": o.fulfillment_status or "",
            "total": str(o.total),
            "id": o.id,
        }
        for o in orders
    ]
    output.print_table(rows, ("number", "date", "status", "payment", "fulfilment", "total", "id"))
    return 0


async def orders_show(ctx: StoreContext, args: argparse.Namespace) -> int:
    order = await ctx.customers.order(args.order_id)
    if args.format == "json":
        output.print_json(order)
        return 0
    when = f"{order.created_at:%Y-%m-%d %H:%M} UTC"
    print(output.printable(f"Order {order.display_number} ({order.id}) of {when}"))
    print(output.printable(f"Status {order.status}, payment {order.payment_status}"))
    print(output.printable(f"Fulfilment {order.fulfillment_status}"))
    output.print_table(
        [
            {
                "qty": str(li.quantity),
                "item": li.title,
                "unit": str(li.unit_price),
                "total": str(li.total),
            }
            for li in order.lines
        ],
        ("qty", "item", "unit", "total"),
    )
    for label, money in (
        ("Subtotal", order.subtotal),
        ("Shipping", order.shipping_total),
        ("Tax", order.tax_total),
        ("Discount", order.discount_total),
        ("Total", order.total),
    ):
        print(f"{label:>10}: {money}")
    for label, address in (("Ship to", order.shipping_address), ("Bill to", order.billing_address)):
        if address:
            print(f"{label:>10}: {output.printable(address.one_line())}")
    return 0


# --- tokens ----------------------------------------------------------------------------


async def token_issue(ctx: StoreContext, args: argparse.Namespace) -> int:
    customer = await ctx.customers.get(args.customer_id)
    result = await ctx.customers.issue_token(customer)
    print(result.message)
    if result.secret is not None:
        # Shown once, to the person who asked; never logged or stored.
        print(f"Token (shown once): {result.secret.get_secret_value()}")
    return 0


Handler = Callable[[StoreContext, argparse.Namespace], Awaitable[int]]
HANDLERS: dict[tuple[str, str], Handler] = {
    ("customers", "list"): customers_list,
    ("customers", "show"): customers_show,
    ("customers", "create"): customers_create,
    ("customers", "update"): customers_update,
    ("customers", "delete"): customers_delete,
    ("addresses", "list"): addresses_list,
    ("addresses", "fields"): addresses_fields,
    ("addresses", "add"): addresses_add,
    ("addresses", "update"): addresses_update,
    ("addresses", "delete"): addresses_delete,
    ("groups", "list"): groups_list,
    ("groups", "add"): groups_change,
    ("groups", "remove"): groups_change,
    ("orders", "list"): orders_list,
    ("orders", "show"): orders_show,
    ("timeline", "show"): timeline_show,
    ("token", "issue"): token_issue,
    ("notes", "list"): notes_cli.notes_list,
    ("notes", "add"): notes_cli.notes_add,
    ("notes", "edit"): notes_cli.notes_edit,
    ("notes", "delete"): notes_cli.notes_delete,
}
# What `--offline` may run: reads, served from the mirror.
READ_HANDLERS = frozenset(
    {
        customers_list,
        customers_show,
        addresses_list,
        addresses_fields,
        groups_list,
        orders_list,
        orders_show,
        timeline_show,
        notes_cli.notes_list,
    }
)
