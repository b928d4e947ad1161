#!/usr/bin/env bash
# Install everything the project needs on a fresh Debian machine with Python and pip:
# Python packages (the package with its web and dev extras), and, with --system, the Debian
# packages the full test suite uses (PostgreSQL, Chromium for the browser tests, fonts,
# libsodium for the verifiable ballots' ristretto255 group), and
# the npm packages of package.json (world map base, browser libraries); then it fills
# numba's cache (scripts/warm_numba.py).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--system" ]]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [[ "$(id -u)" != "0" ]]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    packages=(postgresql chromium fonts-dejavu-core ca-certificates libsodium23 gettext)
    command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
    missing=()
    for pkg in "${packages[@]}"; do
      dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if (( ${#missing[@]} )); then
      $SUDO apt-get update -q
      $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    fi
  else
    echo "setup: apt-get not found; install PostgreSQL and Chromium yourself" >&2
  fi
fi

python3 -m pip install -q --disable-pip-version-check -e ".[all]"

# A first run as fast as the second: byte-compile the package and compile the planner's
# numba kernels into their on-disk cache now, not in the user's first `secession plan`
# (benchmarks/bench_first_run.py measures both).
python3 -m compileall -q src/secession >/dev/null
python3 scripts/warm_numba.py --quiet || echo "setup: some numba kernels stay uncompiled (see above)" >&2

# Browser and map assets (package.json): served from node_modules, never from a CDN.
if command -v npm >/dev/null 2>&1; then
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "setup: npm not found; the world map and browser assets need it (apt-get install npm)" >&2
fi
