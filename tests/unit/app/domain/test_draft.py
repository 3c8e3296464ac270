"""Editor drafts are typed on their way to and from the mirror's JSON."""

from __future__ import annotations

from app.domain.draft import EditorDraft


def test_a_draft_round_trips_through_json() -> None:
    draft = EditorDraft(
        customer_id="cus_1",
        name="Ada Lovelace",
        fields={"company": "Draft Ltd", "phone": None},
        metadata={"note": "called"},
    )
    assert draft.to_json() == {
        "customer_id": "cus_1",
        "name": "Ada Lovelace",
        "fields": {"company": "Draft Ltd", "phone": None},
        "metadata": {"note": "called"},
    }
    assert EditorDraft.from_json(draft.to_json()) == draft


def test_what_is_no_draft_is_not_offered() -> None:
    assert EditorDraft.from_json({"customer_id": 7}) is None
    assert EditorDraft.from_json({"fields": "company"}) is None
    assert EditorDraft.from_json(["not", "a", "draft"]) is None
    assert EditorDraft.from_json({}) == EditorDraft()  # a new customer, nothing typed yet
