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
    words = [a for a in argv if not a.startswith("-")]
    if argv[0] == "--store" and len(argv) >= 2:
        words = words[1:]
    return not words and all(a.split("=")[0] in GUI_OPTIONS for a in argv if a.startswith("-"))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not _wants_gui(args):
        from app.cli.main import main as cli_main

        return cli_main(args)
    from ui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
