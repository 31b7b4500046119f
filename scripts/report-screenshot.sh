#!/usr/bin/env bash
# Make docs/images/key-highlights-report.png, the screenshot README.md shows:
# the default pipeline on the bundled samples, its key-highlights.html opened
# in headless Chromium 1280 px wide (tests/report/report_browser.py, the
# browser test's code), the top of the page.  Run from the build folder.
#
#   scripts/report-screenshot.sh [OUT.png]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/docs/images/key-highlights-report.png}
harmonize=${HARMONIZE:-./harmonize}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$harmonize" run -q "$top/pipelines/key-highlights.yaml" --set "out=$work/out" >/dev/null
mkdir -p "$(dirname "$out")"
python3 "$top/tests/report/report_browser.py" screenshot "$work/out/key-highlights.html" "$out" 1000
echo "$out: $(wc -c <"$out") bytes"
