#!/usr/bin/env bash
# `harmonize country`: names from the command line and from stdin, the
# columns it prints, --explain, --kosovo, --names, --aliases, --version, and
# the exit status of usage errors.
set -u
HARMONIZE=${HARMONIZE:-./harmonize}
[ -x "$HARMONIZE" ] || { echo "$HARMONIZE is not built"; exit 99; }
tmp=$(mktemp -d "${HZ_TEST_TMPDIR:-${TMPDIR:-/tmp}}/hz-country-cli.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
failures=0
tab=$'\t'

expect() { # NAME EXPECTED ACTUAL
    if [ "$2" != "$3" ]; then
        printf 'FAIL %s\n  expected: %s\n  actual:   %s\n' "$1" "$2" "$3"
        failures=$((failures + 1))
    fi
}

expect "one name, five columns" "Niger (the)${tab}NER${tab}Niger (the)${tab}West and Central Africa${tab}exact" \
    "$("$HARMONIZE" country 'Niger (the)')"
expect "a refusal: empty iso3, name and region, the reason as rule" "Korea${tab}${tab}${tab}${tab}ambiguous_country" \
    "$("$HARMONIZE" country Korea)"
expect "stdin, one answer per line in order, CRLF and a tab in the input" \
    "alias,not_a_country,exact,code" \
    "$(printf 'Turkey\r\nN/A\nViet\tNam\n004\n' | "$HARMONIZE" country | awk -F'\t' '{print $NF}' | paste -sd, -)"
# The input is echoed escaped (\\ \t \r \n), so that every answer keeps
# its five columns whatever the input holds.
expect "the input echoed with its tab escaped" 'Viet\tNam'"${tab}VNM" \
    "$(printf 'Viet\tNam\n' | "$HARMONIZE" country | cut -f1-2)"
expect "a backslash, a CR inside the line and tabs escaped" 'a\\b\rc\td' \
    "$(printf 'a\\b\rc\td\n' | "$HARMONIZE" country | cut -f1)"
expect "a line feed in an argument escaped" 'Viet\nNam' "$("$HARMONIZE" country "$(printf 'Viet\nNam')" | cut -f1)"
expect "five columns for every input with tabs, CRs and backslashes" "5" \
    "$(printf '\tNiger\t\nA\tB\tC\nx\ry\n\\\t\\\n\t\t\t\nKosovo\t(UNSCR 1244)\n' | "$HARMONIZE" country |
        awk -F'\t' '{print NF}' | sort -u | paste -sd, -)"
expect "a control character: not_a_country" "not_a_country" \
    "$(printf '\036HU\n' | "$HARMONIZE" country | cut -f5)"
expect "a code only as written: FI* is no code" "unknown_country" "$("$HARMONIZE" country 'FI*' | cut -f5)"
expect "--kosovo serbia --names short" "Kosovo*${tab}SRB${tab}Serbia" \
    "$("$HARMONIZE" country --kosovo serbia --names short 'Kosovo*' | cut -f1-3)"
expect "--names iso" "Iran, Islamic Republic of" "$("$HARMONIZE" country --names iso Iran | cut -f3)"
explained=$("$HARMONIZE" country --explain 'TÃ¼rkiye')
expect "--explain: seven columns" "7" "$(printf '%s\n' "$explained" | awk -F'\t' '{print NF}')"
expect "--explain: the normalized form" "turkiye" "$(printf '%s\n' "$explained" | cut -f6)"
case $(printf '%s\n' "$explained" | cut -f7) in
*"mojibake repaired to 'Türkiye'"*"row TUR TR 792"*) ;;
*) echo "FAIL --explain: what matched: $explained"; failures=$((failures + 1)) ;;
esac
printf 'Elfenbeinkust\tCIV\n' >"$tmp/aliases.tsv"
expect "--aliases" "CIV" "$("$HARMONIZE" country --aliases "$tmp/aliases.tsv" Elfenbeinkust | cut -f2)"
printf 'Niger\tNGA\n' >"$tmp/bad.tsv"
"$HARMONIZE" country --aliases "$tmp/bad.tsv" Niger >"$tmp/out" 2>"$tmp/err"
expect "a contradicting alias file: exit 2" "2" "$?"
expect "a contradicting alias file: the message" \
    "harmonize country: $tmp/bad.tsv:1: 'Niger' already means NER (Niger (the)) in the country table" "$(cat "$tmp/err")"
case $("$HARMONIZE" country --version) in
"country table "*": 250 countries and territories, "*) ;;
*) echo "FAIL --version: $("$HARMONIZE" country --version)"; failures=$((failures + 1)) ;;
esac
"$HARMONIZE" country --kosovo both X >/dev/null 2>&1
expect "a bad policy: exit 2" "2" "$?"
"$HARMONIZE" country --frobnicate >/dev/null 2>&1
expect "an unknown option: exit 2" "2" "$?"
expect "-- before a name that starts with a dash" "--${tab}${tab}${tab}${tab}not_a_country" \
    "$("$HARMONIZE" country -- --)"
[ "$failures" -eq 0 ] || exit 1
echo "harmonize country: all checks passed"
