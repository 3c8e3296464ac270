"""Store profiles: real backends only in `BackendKind`, the demos as a flag; stores.json as
older versions wrote it still reads, and reads back the same after a save."""

from __future__ import annotations

import json
from pathlib import Path

from app.services.context import store_identity
from app.services.profiles import (
    DEMO_PROFILES,
    BackendKind,
    DemoDialect,
    ProfileRepository,
    StoreProfile,
)

# What older versions wrote: no `demo` field.
OLD_STORES_JSON = {
    "version": 1,
    "default": "shop",
    "stores": [
        {
            "name": "shop",
            "backend": "medusa",
            "url": "https://shop.example",
            "email": "a@shop.example",
            "client_id": None,
            "auth": "password",
            "phone_country": None,
            "allow_insecure_http": False,
        },
        {
            "name": "ep",
            "backend": "elasticpath",
            "url": "https://ep.example",
            "email": None,
            "client_id": "cid",
            "auth": "client_credentials",
            "phone_country": "DE",
            "allow_insecure_http": False,
        },
    ],
}


def test_backend_kinds_are_real_backends_and_demos_are_a_flag() -> None:
    assert {kind.value for kind in BackendKind} == {"medusa", "chec", "elasticpath"}
    assert {name: (p.backend, p.demo) for name, p in DEMO_PROFILES.items()} == {
        "demo": (BackendKind.MEDUSA, DemoDialect.MEDUSA),
        "demo-chec": (BackendKind.CHEC, DemoDialect.CHEC),
        "demo-ep": (BackendKind.ELASTICPATH, DemoDialect.ELASTICPATH),
    }
    assert all(p.is_demo for p in DEMO_PROFILES.values())


def test_a_stores_json_written_by_an_older_version_loads_and_saves_unchanged(
    tmp_path: Path,
) -> None:
    path = tmp_path / "stores.json"
    path.write_text(json.dumps(OLD_STORES_JSON), encoding="utf-8")
    repo = ProfileRepository(path)
    shop = repo.get("shop")
    assert (shop.backend, shop.demo, shop.is_demo) == (BackendKind.MEDUSA, None, False)
    repo.save(repo.get("ep"))  # rewrites the file (the saved one goes last)
    assert json.loads(path.read_text(encoding="utf-8")) == OLD_STORES_JSON


def test_a_demo_named_by_its_old_backend_kind_still_reads_as_that_demo() -> None:
    profile = StoreProfile.model_validate({"name": "x", "backend": "demo-chec"})
    assert (profile.backend, profile.demo) == (BackendKind.CHEC, DemoDialect.CHEC)


def test_demo_mirrors_keep_their_identity() -> None:
    # The mirror of a demo store belongs to the same store as before the flag replaced
    # the demo kinds: no rebuild on upgrade.
    assert [store_identity(DEMO_PROFILES[d.value]) for d in DemoDialect] == [
        "demo|||",
        "demo-chec|||",
        "demo-ep|||",
    ]
