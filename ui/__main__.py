"""`merchant-desk`: the desktop app, or a CLI command when one is given.

Qt is imported only on the GUI path, so CLI commands start fast and run without a display.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

GUI_OPTIONS = ("--store", "--smoke-test", "--demo-customers")


def _wants_gui(argv: Sequence[str]) -> bool:
    if not argv:
        return True
    if argv[0] in ("-h", "--help", "--version"):
        return False
    # `merchant-desk --store NAME` opens the app on that store; any command goes to the CLI.
    # Drop the values of GUI options given as `--option VALUE`; what is left must be options.
    rest: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        name = arg.split("=")[0]
        if name in ("--store", "--demo-customers") and "=" not in arg:
            skip = True
        rest.append(name)
    return all(a in GUI_OPTIONS for a in rest)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not _wants_gui(args):
        from app.cli.main import main as cli_main

        return cli_main(args)
    # The services (pydantic models, httpx, SQLite) before Qt: once PySide6 is imported it
    # hooks every later import and reads each importing module's source (~40 ms of CPU
    # over the service layer's modules, issue 16).
    import app.services.context  # noqa: F401
    from ui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
