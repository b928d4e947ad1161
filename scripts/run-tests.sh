#!/usr/bin/env bash
# README command 2: install everything (Python packages, PostgreSQL, Chromium) and run the
# full test suite: once on SQLite, then the platform tests again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --system
if [[ -z "${SECESSION_DATA:-}" && -d ../shared/data ]]; then
  export SECESSION_DATA="$(cd ../shared/data && pwd)"
fi
export SECESSION_CHROMIUM="${SECESSION_CHROMIUM:-$(command -v chromium || true)}"
export MPLBACKEND=Agg
ruff check src tests benchmarks
python3 -m pytest -n 2 --dist loadgroup "$@"
if [[ -d tests/web ]] && ls tests/web/test_*.py >/dev/null 2>&1; then
  SECESSION_DATABASE_URL="$(bash scripts/start-postgres.sh)"
  export SECESSION_DATABASE_URL
  echo "platform tests again on PostgreSQL"
  python3 -m pytest -n 2 --dist loadgroup tests/web -m "not browser" "$@"
  echo "the browser stories on PostgreSQL (community, alliance, registry, verifiable vote, Spanish, planner, opt-in vote counted from its ballots)"
  python3 -m pytest tests/web/test_browser.py tests/web/test_browser_alliances.py \
    tests/web/test_registry_browser.py tests/web/test_verifiable_browser.py \
    tests/web/test_i18n.py::test_story_in_spanish tests/web/test_planner_story.py \
    tests/web/test_optin_ballots_browser.py "$@"
fi
