#!/usr/bin/env bash
# `harmonize COMMAND --help` and `harmonize help COMMAND`: every command prints its own
# usage on stdout and exits 0; `help` of no command is a usage error; and every option
# `run --help` lists is one the command accepts.
set -u
HARMONIZE=${HARMONIZE:-./harmonize}
[ -x "$HARMONIZE" ] || { echo "$HARMONIZE is not built"; exit 99; }
tmp=$(mktemp -d "${HZ_TEST_TMPDIR:-${TMPDIR:-/tmp}}/hz-help.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
failures=0
expect() { # NAME EXPECTED ACTUAL
    if [ "$2" != "$3" ]; then
        printf 'FAIL %s\n  expected: %s\n  actual:   %s\n' "$1" "$2" "$3"
        failures=$((failures + 1))
    fi
}

for cmd in run validate test recover history plugins country; do
    out=$("$HARMONIZE" "$cmd" --help 2>"$tmp/err")
    st=$?
    expect "$cmd --help: exit 0, nothing on stderr" "0:" "$st:$(cat "$tmp/err")"
    expect "$cmd --help: its own usage first" "usage: harmonize $cmd" "$(echo "$out" | head -1 | cut -d' ' -f1-3)"
    expect "help $cmd: the same text" "$out" "$("$HARMONIZE" help "$cmd" 2>&1)"
done
"$HARMONIZE" help nosuch >/dev/null 2>"$tmp/err"
expect "help of no command: exit 2 and why" "2:harmonize: no command 'nosuch' (try: harmonize --help)" "$?:$(cat "$tmp/err")"

# Every option run --help lists is accepted (with --dry-run, nothing is read or written).
mkdir -p "$tmp/p" && printf 'id\n1\n' >"$tmp/p/in.csv"
printf 'version: 1\nsources:\n  s: {type: csv, path: in.csv}\nsinks:\n  o: {type: csv, inputs: [s], path: out.csv}\n' >"$tmp/p/p.yaml"
listed=$("$HARMONIZE" run --help | grep -oE '^  --[a-z-]+' | sort -u | tr -d ' ' | tr '\n' ' ')
expect "run --help lists its options" \
    "--allow-insecure-plugins --dry-run --if-changed --log-format --plugin-path --progress --quiet --set --timeout --wait " "$listed"
"$HARMONIZE" run "$tmp/p/p.yaml" --dry-run --set x=1 --quiet --if-changed --wait 1 --timeout 5 --progress \
    --no-progress --log-format text --plugin-path "$tmp" --allow-insecure-plugins >/dev/null 2>"$tmp/err"
expect "run accepts every option it lists" "0:" "$?:$(cat "$tmp/err")"
[ -e "$tmp/p/out.csv" ] && expect "--dry-run wrote nothing" "" "out.csv"

[ "$failures" -eq 0 ] && echo "all command help checks passed"
exit $((failures > 0))
