#!/usr/bin/env bash
# The analysis side's catalogue (reports and maps of `secession plan/map/scenario/world-map`).
#   bash scripts/i18n-analysis.sh --pot FILE   write the marked strings to FILE (the tests use it)
#   bash scripts/i18n-analysis.sh              check and compile every catalogue in src/secession/locale
# Needs Debian's gettext (xgettext, msgfmt). See docs/translation.md, "The command line".
set -euo pipefail
cd "$(dirname "$0")/../src/secession"
SOURCES=(i18n.py plan/check.py plan/contiguity.py maps/*.py maps/world/*.py scenario/*.py ballots/*.py)
if [[ "${1:-}" == "--pot" ]]; then
  xgettext --language=Python --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=n_:1,2 --keyword=Message \
    --no-location --sort-output --no-wrap --package-name=secession -o "$2" "${SOURCES[@]}"
  exit 0
fi
for po in locale/*/LC_MESSAGES/secession.po; do
  msgfmt --check-format --statistics -o "${po%.po}.mo" "$po"
done
