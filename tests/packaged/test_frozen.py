"""The frozen app (build.spec) and its .deb: they start, pass `--smoke-test`, and go away cleanly.

The bundle is rebuilt with `bash scripts/package --fast` unless dist/ already holds one newer
than every input (CI builds it just before). Stderr of the frozen app must stay silent apart
from the allow-list below, like qutebrowser's smoke test: a new warning fails the build.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import app

pytestmark = [pytest.mark.packaged, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "merchant-desk"
EXECUTABLE = BUNDLE / "merchant-desk"
INSTALLED = Path("/usr/bin/merchant-desk")
PACKAGE = "merchant-desk"
# What the bundle is built from: any of these newer than the bundle means rebuild.
INPUTS = ["build.spec", "packaging", "app", "ui", "resources", "pyproject.toml",
          "requirements/constraints.txt", "scripts/package"]  # fmt: skip
SMOKE_TIMEOUT_S = 120
REQUIRE_ENV = "MERCHANT_DESK_REQUIRE_PEERS"  # CI: a skip here is a failure

# Lines the frozen app may print on stderr, each with the reason it is harmless.
ALLOWED_STDERR = [
    # Qt's offscreen platform cannot apply size hints to windows (there is no window manager).
    re.compile(r"This plugin does not support propagateSizeHints\(\)"),
]


def unexpected_stderr(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not any(p.search(line) for p in ALLOWED_STDERR)
    ]


def newest_input_mtime() -> float:
    newest = 0.0
    for name in INPUTS:
        path = ROOT / name
        files = [path] if path.is_file() else path.rglob("*")
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                newest = max(newest, file.stat().st_mtime)
    return newest


def deb_path() -> Path:
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    return ROOT / "dist" / f"{PACKAGE}_{app.__version__}_{arch}.deb"


def fresh(path: Path, than: float) -> bool:
    return path.exists() and path.stat().st_mtime >= than


def skip_or_fail(reason: str) -> None:
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def built() -> Path:
    """dist/merchant-desk/ (and the .deb where dpkg exists), rebuilt only when stale."""
    inputs = newest_input_mtime()
    deb_wanted = shutil.which("dpkg-deb") is not None
    stale = not fresh(EXECUTABLE, inputs) or (
        deb_wanted and not fresh(deb_path(), EXECUTABLE.stat().st_mtime)
    )
    if stale:
        subprocess.run(["bash", str(ROOT / "scripts" / "package"), "--fast"], check=True)
    assert EXECUTABLE.is_file()
    return EXECUTABLE


def smoke_env(home: Path) -> dict[str, str]:
    """Offscreen, and no MERCHANT_DESK_HOME: the app must pick a temporary home itself.

    HOME and the XDG dirs point into `home`, so anything written to the user's own
    folders shows up there (and the real ones are safe). CA variables point nowhere: the
    bundle must use its own certifi bundle, whatever the machine exports (httpx would
    otherwise fail to build its SSL context on a machine without that file).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MERCHANT_DESK_", "XDG_"))}
    missing = str(home / "no-such-ca")
    env.update(
        HOME=str(home), QT_QPA_PLATFORM="offscreen", SSL_CERT_FILE=missing, SSL_CERT_DIR=missing
    )
    return env


def run_smoke(command: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    home.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [*command, "--smoke-test"],
        env=smoke_env(home),
        capture_output=True,
        text=True,
        timeout=SMOKE_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "smoke test OK: store=demo" in result.stdout, result.stdout
    assert unexpected_stderr(result.stderr) == [], result.stderr
    # Stores, settings, demo database and logs went to the temporary home, now removed.
    assert [p for p in home.rglob("*") if "merchant" in p.name.lower()] == []
    return result


def test_allow_list_lets_only_known_lines_through() -> None:
    stderr = "This plugin does not support propagateSizeHints()\n\nqt.qpa.fonts: no fonts\n"
    assert unexpected_stderr(stderr) == ["qt.qpa.fonts: no fonts"]


def test_bundle_leaves_out_unused_qt_and_tkinter(built: Path) -> None:
    internal = built.parent / "_internal"
    names = [p.name for p in internal.rglob("*")]
    for unused in ("Qt6Qml", "Qt6Quick", "Qt6Pdf", "Qt6VirtualKeyboard", "Qt6WebEngine", "tkinter"):
        assert not [n for n in names if unused in n], unused
    assert (internal / "resources" / "merchant-desk.png").is_file()


def test_frozen_app_passes_the_smoke_test(built: Path, tmp_path: Path) -> None:
    run_smoke([str(built)], tmp_path / "home")


def test_frozen_cli_reports_the_package_version(built: Path) -> None:
    result = subprocess.run(
        [str(built), "--version"], capture_output=True, text=True, check=True, timeout=60
    )
    assert app.__version__ in result.stdout


def test_frozen_cli_writes_money_in_the_staff_locale(built: Path, tmp_path: Path) -> None:
    """babel's CLDR data for locales other than English is in the bundle: a German desk
    reads `1.597,46 €`, not the en_US fallback `€1,597.46`."""
    env = smoke_env(tmp_path) | {"MERCHANT_DESK_HOME": str(tmp_path / "desk")}
    run = functools.partial(
        subprocess.run, capture_output=True, text=True, check=True, timeout=SMOKE_TIMEOUT_S
    )
    run([str(built), "sync"], env=env)
    listed = run(
        [str(built), "customers", "list", "--min-spent", "1", "--format", "json", "--limit", "1"],
        env=env,
    )
    customer = json.loads(listed.stdout)[0]["id"]
    shown = run(
        [str(built), "customers", "show", customer], env=env | {"LC_ALL": "de_DE.UTF-8"}
    ).stdout
    assert re.search(r"\d,\d\d\xa0€ spent", shown), shown


def _dpkg_prefix() -> list[str]:
    """Run dpkg as root: directly, or through password-less sudo."""
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], check=False).returncode == 0:
        return ["sudo", "-n"]
    skip_or_fail("installing the .deb needs root or password-less sudo")
    return []


def _installed() -> bool:
    status = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", PACKAGE], capture_output=True, text=True, check=False
    )
    return status.returncode == 0 and "installed" in status.stdout.split()[-1:]


@pytest.fixture
def installed_deb(built: Path) -> Iterator[list[Path]]:
    """Install the .deb, yield the paths it lists (`dpkg -L`), and remove it again."""
    if not shutil.which("dpkg"):
        skip_or_fail("no dpkg on this system")
    sudo = _dpkg_prefix()
    if _installed():
        skip_or_fail(f"{PACKAGE} is already installed here; not replacing that copy")
    subprocess.run([*sudo, "dpkg", "-i", str(deb_path())], check=True, capture_output=True)
    try:
        listed = subprocess.run(
            ["dpkg", "-L", PACKAGE], capture_output=True, text=True, check=True
        ).stdout.split("\n")
        yield [Path(p) for p in listed if p.strip() and p != "/."]
    finally:
        if _installed():
            subprocess.run([*sudo, "dpkg", "-r", PACKAGE], check=True, capture_output=True)


def test_deb_installs_runs_and_uninstalls_cleanly(
    installed_deb: list[Path], tmp_path: Path
) -> None:
    owned = [p for p in installed_deb if "merchant-desk" in str(p)]
    for expected in (
        INSTALLED,
        Path("/opt/merchant-desk/merchant-desk"),
        Path("/usr/share/applications/merchant-desk.desktop"),
        Path("/usr/share/icons/hicolor/256x256/apps/merchant-desk.png"),
    ):
        assert expected in owned, expected
    assert INSTALLED.resolve() == Path("/opt/merchant-desk/merchant-desk")

    run_smoke([str(INSTALLED)], tmp_path / "home")

    subprocess.run([*_dpkg_prefix(), "dpkg", "-r", PACKAGE], check=True, capture_output=True)
    assert not _installed()
    # Nothing of ours is left: not the files, nor a stray file the app wrote into /opt.
    left = [p for p in owned if p.exists() or p.is_symlink()]
    assert left == []
    assert not Path("/opt/merchant-desk").exists()
    assert list(Path("/var/lib/dpkg/info").glob(f"{PACKAGE}.*")) == []
