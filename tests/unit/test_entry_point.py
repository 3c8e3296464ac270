"""`merchant-desk` dispatches: GUI options open the app, anything else is a CLI command."""

from __future__ import annotations

import pytest

from ui.__main__ import _wants_gui


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--store", "shop"],
        ["--store=shop"],
        ["--smoke-test"],
        ["--demo-customers", "300"],
        ["--store", "demo", "--demo-customers=50", "--smoke-test"],
    ],
)
def test_gui(argv: list[str]) -> None:
    assert _wants_gui(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["customers", "list"],
        ["--store", "shop", "customers", "list"],
        ["--help"],
        ["--version"],
        ["demo", "reset"],
        ["--bogus"],
    ],
)
def test_cli(argv: list[str]) -> None:
    assert not _wants_gui(argv)
