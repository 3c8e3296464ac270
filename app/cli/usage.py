"""The CLI's usage error, in a module of its own: every command module raises it and the
entry point catches it, without command modules importing each other."""

from __future__ import annotations


class UsageError(Exception):
    """Bad arguments that argparse could not catch (exit code 2)."""
