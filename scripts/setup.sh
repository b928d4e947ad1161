#!/usr/bin/env bash
# Install everything the project needs on a fresh Debian machine with Python and pip:
# Python packages (the package with its web and dev extras), and, with --system, the Debian
# packages the full test suite uses (PostgreSQL, Chromium for the browser tests, fonts).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--system" ]]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [[ "$(id -u)" != "0" ]]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends \
      postgresql chromium fonts-dejavu-core ca-certificates >/dev/null
  else
    echo "setup: apt-get not found; install PostgreSQL and Chromium yourself" >&2
  fi
fi

python3 -m pip install -q --disable-pip-version-check -e ".[all]"
