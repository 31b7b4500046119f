#!/usr/bin/env bash
# The report sink's page in a real browser: pipelines/key-highlights.yaml on
# the bundled samples, then key-highlights.html opened in headless Chromium
# and checked through the DevTools protocol (tests/report/report_browser.py):
# the headline figures, the first host row, the heat map's sums, chapter 3's
# service figures (113,331; 121 and 48 offices; Germany, Nigeria, Guinea; 98.6%;
# 61%), no script,
# no request leaving the page (CDP and a recording proxy), SVG titles and
# roles, a table beside every chart, headings in order, a 1280 px PNG
# screenshot, an A4 PDF; and doctored copies of the page (an external
# <img>, a changed number) that the checks must catch.
#
# Exit 77 (skip) when Chromium is not installed (Debian: chromium), and
# under the valgrind and ASan passes, before running anything: the browser
# is not what they test, and the report sink runs under them in
# tests/report/test_report_sink.tap and tests/e2e/test_key_highlights.sh
# (whose pipeline writes this page).
set -u
export LC_ALL=C
build=$(pwd)
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${srcdir:-$here/../..}" && pwd)
HARMONIZE=${HARMONIZE:-$build/harmonize}
case $HARMONIZE in /*) ;; *) HARMONIZE=$build/$HARMONIZE ;; esac
export HARMONIZE_PLUGIN_PATH=${HARMONIZE_PLUGIN_PATH:-$build/plugins/.libs}
chromium=${HZ_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    echo "SKIP: Chromium is not installed (Debian: chromium; scripts/install-deps.sh --test)"
    exit 77
fi
# The valgrind pass runs harmonize through a wrapper script; the ASan pass sets ASAN_OPTIONS.
if grep -q valgrind "$HARMONIZE" 2>/dev/null || [ -n "${ASAN_OPTIONS:-}" ]; then
    echo "SKIP: the browser checks do not run under valgrind or ASan"
    exit 77
fi
tmproot=${HZ_TEST_TMPDIR:-${TMPDIR:-/tmp}}
mkdir -p "$tmproot" || exit 99
work=$(mktemp -d "$tmproot/hz-report-browser.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT

# --wait: other tests (tests/e2e) run the same pipeline, whose run lock refuses a second run
# at once; make check -j runs them side by side.
if ! "$HARMONIZE" run -q --wait 900 "$top_srcdir/pipelines/key-highlights.yaml" --set "out=$work/out" >"$work/run.out" \
    2>"$work/run.err"; then
    echo "FAIL: the pipeline failed:"
    head -n 40 "$work/run.err"
    exit 1
fi
[ -s "$work/out/key-highlights.html" ] || { echo "FAIL: no key-highlights.html"; exit 1; }
HZ_CHROMIUM=$chromium python3 "$here/report_browser.py" check "$work/out/key-highlights.html" "$work" \
    >"$work/checks.out" 2>&1
status=$?
cat "$work/checks.out"
if [ $status -ne 0 ] || grep -q '^not ok' "$work/checks.out"; then
    echo "FAIL (page, screenshot and PDF kept in $work)"
    trap - EXIT
    exit 1
fi
echo "PASS: $(grep -c '^ok' "$work/checks.out") checks"
