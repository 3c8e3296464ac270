#!/usr/bin/env bash
# Sets up a development environment on a fresh Debian/Ubuntu machine, idempotently:
# the system libraries Qt needs (apt, when root or with sudo), a virtualenv in .venv and
# the pinned Python packages (requirements/constraints.txt). Fast when nothing changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[setup] %s\n' "$*" >&2; }

PY="${PYTHON:-python3}"
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { log "Python >= 3.11 is needed (found $("$PY" --version 2>&1))"; exit 1; }

# --- system libraries (PySide6 wheels link these; see docs in README) -----------------
QT_DEBS=(libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libxkbcommon0
  fonts-dejavu-core libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1
  libxkbcommon-x11-0)
EXTRA_DEBS=(${MERCHANT_DESK_EXTRA_DEBS:-})
if command -v dpkg-query >/dev/null; then
  missing=()
  for pkg in "${QT_DEBS[@]}" "${EXTRA_DEBS[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    if [ -z "$SUDO" ] || command -v sudo >/dev/null; then
      log "installing system packages: ${missing[*]}"
      $SUDO apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
    else
      log "please install: ${missing[*]} (apt-get); continuing"
    fi
  fi
fi

# --- virtualenv and pinned packages ---------------------------------------------------
if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  "$PY" -m venv .venv
fi
STAMP=".venv/.merchant-desk-stamp"
want="$(cat pyproject.toml requirements/constraints.txt | sha256sum | cut -c1-16)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  log "installing Python packages (pinned by requirements/constraints.txt)"
  .venv/bin/python -m pip install -q --disable-pip-version-check -U pip >/dev/null
  .venv/bin/python -m pip install -q --disable-pip-version-check \
    -c requirements/constraints.txt -e '.[dev,bench]'
  echo "$want" > "$STAMP"
fi
