#!/usr/bin/env bash
# The join's memory against the size of its table: a table of N rows (key of 11 bytes,
# one copied column of about 10 bytes, two other columns) and N rows to complete, joined
# CSV to CSV; against it, the same rows copied with no join (the floor of the run).
# Prints wall seconds and peak RSS of each (GNU time), and the RSS difference per table
# row.  Run from the build folder:   bench/join-table.sh [N]   (default 1000000)
set -eu
export LC_ALL=C
n=${1:-1000000}
here=$(cd "$(dirname "$0")/.." && pwd)
harmonize=${HARMONIZE:-$here/harmonize}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
awk -v n="$n" 'BEGIN { print "record_id,origin_country,sex,age";
    for (i = 1; i <= n; i++) printf "KH-%08d,Country%04d,female,%d\n", i, i % 200, i % 90 }' >table.csv
awk -v n="$n" 'BEGIN { print "service_id,case_id,stage";
    for (i = 1; i <= n; i++) printf "S%08d,KH-%08d,post_arrival\n", i, (i * 7919) % n + 1 }' >rows.csv
cat >join.yaml <<'YAML'
version: 1
sources:
  table: {type: csv, path: table.csv}
  rows: {type: csv, path: rows.csv}
transforms:
  linked: {type: join, inputs: [table, rows], key: case_id, table_key: record_id, columns: [origin_country]}
sinks:
  out: {type: csv, inputs: [linked], path: out/linked.csv}
YAML
# The floor: both files read, the rows written, no join (the table goes to a second file).
cat >copy.yaml <<'YAML'
version: 1
sources:
  table: {type: csv, path: table.csv}
  rows: {type: csv, path: rows.csv}
sinks:
  table_out: {type: csv, inputs: [table], path: out/table.csv}
  out: {type: csv, inputs: [rows], path: out/rows.csv}
YAML
measure() { # name pipeline
    /usr/bin/time -f '%e %M' -o "$1.time" "$harmonize" run "$2" >/dev/null 2>"$1.err"
    read -r wall rss <"$1.time"
    printf '%-6s %8s s %10s KB peak RSS\n' "$1" "$wall" "$rss"
}
measure copy copy.yaml
measure join join.yaml
[ "$(wc -l <out/linked.csv)" -eq $((n + 1)) ] || { echo "join.yaml did not match every row" >&2; exit 1; }
read -r _ copy_rss <copy.time
read -r _ join_rss <join.time
awk -v a="$join_rss" -v b="$copy_rss" -v n="$n" \
    'BEGIN { printf "join - copy: %d KB for %d table rows: %.0f bytes per table row\n", a - b, n, (a - b) * 1024 / n }'
