#!/usr/bin/env bash
# README command 1: install the package and run the main job on the real 2020 county results.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [[ -z "${SECESSION_DATA:-}" && -d ../shared/data ]]; then
  export SECESSION_DATA="$(cd ../shared/data && pwd)"
fi
secession data inspect --year 2020
exec secession scenario "$@"
