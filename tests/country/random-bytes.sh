#!/usr/bin/env bash
# Random bytes through `harmonize country` (issue 14): junk must never come
# back as a country.  random_lines (next to this script, built by make check)
# prints 300000 deterministic lines of 1 to 24 random bytes; every line is
# looked up in bulk mode and the test fails when
#   - an output line does not have exactly five tab-separated columns (the
#     echoed input must have its tabs, CRs and backslashes escaped), or there
#     is not one output line per input line;
#   - a line resolves to a country although it is not, once the spaces and
#     tabs around it are trimmed, exactly a code: 1 to 3 ASCII digits or 2 to
#     3 ASCII letters answered by the rule `code` (a random line that is
#     exactly `hu` or `004` is a code, not junk).
# Prints how many lines resolved, how many of them were exact codes, and the
# junk that resolved, escaped.  LINES overrides the number of lines.
set -u
export LC_ALL=C
HARMONIZE=${HARMONIZE:-$(pwd)/harmonize}
GEN=${RANDOM_LINES:-$(pwd)/tests/country/random_lines}
LINES=${LINES:-300000}
work=$(mktemp -d "${HZ_TEST_TMPDIR:-${TMPDIR:-/tmp}}/hz-random.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
[ -x "$GEN" ] || { echo "ERROR: no generator at $GEN" >&2; exit 99; }
"$GEN" "$LINES" 20211231 >"$work/in" || { echo "ERROR: the generator failed" >&2; exit 99; }
"$HARMONIZE" country <"$work/in" >"$work/out" 2>"$work/err" || {
    cat "$work/err" >&2
    echo "FAIL: harmonize country exited with status $?"
    exit 1
}
awk -F'\t' -v want="$(wc -l <"$work/in")" '
# An echoed input is escaped: \\ \t \r \n; undo it to recover the bytes.
function unescape(s,    out, i, c, d) {
    out = ""
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "\\" && i < length(s)) {
            d = substr(s, ++i, 1)
            c = d == "t" ? "\t" : d == "r" ? "\r" : d == "n" ? "\n" : d
        }
        out = out c
    }
    return out
}
{
    if (NF != 5) { badcols++; if (badcols <= 5) printf "line %d has %d columns, not 5\n", NR, NF; next }
    if ($2 == "") next
    resolved++
    raw = unescape($1)
    sub(/^[ \t]+/, "", raw); sub(/[ \t]+$/, "", raw)
    if ($5 == "code" && (raw ~ /^[0-9]([0-9][0-9]?)?$/ || raw ~ /^[A-Za-z][A-Za-z][A-Za-z]?$/)) { codes++; next }
    junk++
    if (junk <= 40) printf "junk resolved: line %d \"%s\" -> %s (rule %s)\n", NR, $1, $2, $5
}
END {
    if (NR != want) { printf "%d output lines for %d input lines\n", NR, want; badcols++ }
    printf "%d lines: %d resolved, %d of them exactly a code, %d junk; %d malformed lines\n",
        NR, resolved, codes, junk, badcols
    exit (junk > 0 || badcols > 0)
}' "$work/out" || { echo FAIL; exit 1; }
echo PASS
