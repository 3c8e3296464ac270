"""The small JSON files in the config dir (store list, saved filters, store restrictions)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel


def write_atomically(path: Path, data: BaseModel | dict[str, Any]) -> None:
    """`data` as JSON at `path`, readable by this user only; written beside it and renamed
    over it, so a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    dumped = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
    tmp.write_text(json.dumps(dumped, indent=2), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)
