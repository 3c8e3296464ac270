import gc

from app.services.runtime import settle_after_startup


def test_settle_freezes_what_start_up_built() -> None:
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        settle_after_startup()
        assert gc.get_freeze_count() > 1000  # modules, classes, schemas: all out of view
    finally:
        gc.unfreeze()
