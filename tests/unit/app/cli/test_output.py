"""Table output: cells are cut to their column, except a row's last filled cell."""

import io

from app.cli.output import print_table


def test_a_rows_last_filled_cell_runs_on_and_the_others_are_cut() -> None:
    out = io.StringIO()
    long = "company: Bäckerei Sonnenschein S.A. → CLI & Co"  # 48 characters
    rows = [
        {"kind": "change", "event": "x" * 45, "by": "demo staff"},
        {"event": "  " + long},
    ]
    print_table(rows, ["kind", "event", "by"], out)
    header, first, detail = out.getvalue().splitlines()
    assert "x" * 39 + "…  demo staff" in first  # a cell with one to its right: cut
    assert detail.strip() == long  # nothing to its right: shown whole
    assert header.split() == ["KIND", "EVENT", "BY"]
