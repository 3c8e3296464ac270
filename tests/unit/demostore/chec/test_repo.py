"""Pure helpers of the Chec dialect."""

from __future__ import annotations

from demostore.chec import repo


def test_ids_translate_both_ways() -> None:
    assert repo.chec_id("cus_01ABC") == "cstmr_01ABC"
    assert repo.stored_id("cstmr_01ABC", "cstmr") == "cus_01ABC"
    assert repo.stored_id("ord_01ABC", "cstmr") is None
    assert repo.stored_id("cstmr_", "cstmr") is None
