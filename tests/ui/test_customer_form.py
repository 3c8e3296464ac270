"""The editor's Details form on its own: patches hold what changed, the save row follows
the form's state, and the store's field errors land beside their fields."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from app.domain.customer import Customer
from app.domain.errors import FieldError, ValidationFailedError
from ui.widgets.customer_form import CustomerForm

NOW = datetime(2026, 1, 2, tzinfo=UTC)
ADA = Customer(
    id="cus_1",
    email="ada@example.com",
    first_name="Ada",
    metadata={"tier": "gold"},
    created_at=NOW,
    updated_at=NOW,
)


def test_the_patch_holds_only_what_changed(qtbot: QtBot) -> None:
    form = CustomerForm()
    qtbot.addWidget(form)
    form.fill(ADA)
    assert form.patch(ADA).is_empty()
    form.fields["company"].edit.setText("Engines Ltd")
    patch = form.patch(ADA)
    assert patch.company == "Engines Ltd"
    assert patch.changes() == {"company": "Engines Ltd"}
    assert form.draft().email == "ada@example.com"


def test_the_save_row_follows_the_form(qtbot: QtBot) -> None:
    form = CustomerForm()
    qtbot.addWidget(form)
    row = form.save_row
    row.show_state(dirty=True, problem=None, busy=False)
    assert row.save_button.isEnabled()
    assert row.save_state.text() == "Unsaved changes"
    form.fields["email"].edit.setText("not-an-email")
    problem = form.problem()
    assert problem == "Fix the fields marked in red."
    row.show_state(dirty=True, problem=problem, busy=False)
    assert not row.save_button.isEnabled()
    assert row.save_state.text() == problem


def test_store_errors_go_beside_their_fields(qtbot: QtBot) -> None:
    form = CustomerForm()
    qtbot.addWidget(form)
    form.fill(ADA)
    exc = ValidationFailedError(
        "bad",
        field_errors=(
            FieldError("phone", "Not a number this store takes."),
            FieldError("metadata.tier", "Too long."),
        ),
    )
    assert form.show_field_errors(exc)
    assert form.fields["phone"].error.text() == "Not a number this store takes."
    assert form.metadata_error.text() == "tier: Too long."
    elsewhere = ValidationFailedError("bad", field_errors=(FieldError("addresses", "No."),))
    assert not form.show_field_errors(elsewhere)
