"""Where user files live: the platform's dirs, or all under $MERCHANT_DESK_HOME."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app.domain.errors import ConfigurationError

APP_NAME = "merchant-desk"
HOME_ENV = "MERCHANT_DESK_HOME"


@dataclass(frozen=True, slots=True)
class AppPaths:
    config: Path
    data: Path
    cache: Path
    logs: Path

    @classmethod
    def detect(cls) -> AppPaths:
        home = os.environ.get(HOME_ENV)
        if home:
            root = Path(home).expanduser()
            return cls(root / "config", root / "data", root / "cache", root / "logs")
        dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        return cls(
            Path(dirs.user_config_dir),
            Path(dirs.user_data_dir),
            Path(dirs.user_cache_dir),
            Path(dirs.user_log_dir),
        )

    def ensure(self) -> AppPaths:
        for path in (self.config, self.data, self.cache, self.logs):
            try:
                path.mkdir(parents=True, exist_ok=True, mode=0o700)
            except OSError as exc:  # e.g. $MERCHANT_DESK_HOME names a file
                raise ConfigurationError(
                    f"Cannot keep Merchant Desk's files in {path}: "
                    f"{exc.strerror or exc}. Check {HOME_ENV}."
                ) from exc
        return self
