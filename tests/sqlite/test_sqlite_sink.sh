#!/usr/bin/env bash
# The sqlite sink against real databases, checked with the sqlite3 CLI:
# types and NULLs, replace and append, a failed run leaving the previous
# tables untouched (one table, and several tables of one file), a failed
# run on a new file leaving no file, validate touching nothing, and a run
# waiting for another process's write lock.
#
# Run from the build folder (make check does); HARMONIZE and
# HARMONIZE_PLUGIN_PATH may point elsewhere.  Exit 77 (skip) only if the
# sqlite3 CLI is missing.
set -u
build=$(pwd)
HARMONIZE=${HARMONIZE:-$build/harmonize}
export HARMONIZE_PLUGIN_PATH=${HARMONIZE_PLUGIN_PATH:-$build/plugins/.libs}
if ! command -v sqlite3 >/dev/null 2>&1; then
    echo "SKIP: the sqlite3 command-line tool is not installed (Debian: sqlite3)"
    exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/hz-sqlite.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 99

failures=0
check() { # label actual expected
    if [ "$2" = "$3" ]; then
        echo "ok   $1"
    else
        echo "FAIL $1"
        echo "  got:      $(printf '%s' "$2" | sed ':a;N;$!ba;s/\n/\\n/g')"
        echo "  expected: $(printf '%s' "$3" | sed ':a;N;$!ba;s/\n/\\n/g')"
        failures=$((failures + 1))
    fi
}
run() { # pipeline: exit status, stderr kept in last.err
    "$HARMONIZE" run -q "$1" >last.out 2>last.err
}
q() { sqlite3 -batch -noheader "$@"; }

# --- inputs ---------------------------------------------------------------
cat >v1.csv <<'CSV'
record_id,year,age,host_iso3,departure_date,share,note
AV-1,2021,31,DEU,2021-03-04,0.25,"said ""yes"""
AV-2,2021,,NER,2021-03-05,,
AV-3,2021,7,NER,,1e-3,Côte d'Ivoire
CSV
cat >v2.csv <<'CSV'
record_id,year,age,host_iso3,departure_date,share,note
AV-9,2022,40,GRC,2022-01-10,0.5,second run
CSV
cat >bad_age.csv <<'CSV'
record_id,year,age,host_iso3,departure_date,share,note
AV-7,2022,40,GRC,2022-01-10,0.5,fine
AV-8,2022,forty,GRC,2022-01-11,0.5,not a number
CSV

pipeline() { # name input mode [extra sink lines]
    cat >"$1.yaml" <<YAML
version: 1
sources:
  feed: {type: csv, path: $2}
sinks:
  returns:
    type: sqlite
    inputs: [feed]
    path: out/db.sqlite
    table: returns
    mode: $3
    types: {departure_date: DATE}
$4
YAML
}

# --- replace: types, NULLs, empty text, index ---------------------------
pipeline replace1 v1.csv replace ""
run replace1.yaml
check "replace: exit 0" "$?" 0
check "replace: rows" "$(q out/db.sqlite 'SELECT record_id, year, age, share FROM returns ORDER BY rowid')" \
"AV-1|2021|31|0.25
AV-2|2021||
AV-3|2021|7|0.001"
check "replace: declared and inferred types" \
    "$(q out/db.sqlite "SELECT name || ' ' || type FROM pragma_table_info('returns')")" \
"record_id TEXT
year INTEGER
age INTEGER
host_iso3 TEXT
departure_date DATE
share REAL
note TEXT"
check "replace: stored types" \
    "$(q out/db.sqlite "SELECT typeof(year), typeof(age), typeof(share), typeof(departure_date), quote(note) FROM returns ORDER BY rowid")" \
"integer|integer|real|text|'said \"yes\"'
integer|null|null|text|''
integer|integer|real|null|'Côte d''Ivoire'"
check "replace: index on the _iso3 column" \
    "$(q out/db.sqlite "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'returns'")" \
    "returns_host_iso3_idx"

pipeline replace2 v2.csv replace ""
run replace2.yaml
check "replace again: exit 0" "$?" 0
check "replace again: only the new rows" "$(q out/db.sqlite 'SELECT record_id FROM returns')" "AV-9"

# --- append --------------------------------------------------------------
pipeline append1 v1.csv append ""
run append1.yaml
check "append: exit 0" "$?" 0
check "append: rows added after the old ones" \
    "$(q out/db.sqlite 'SELECT group_concat(record_id) FROM (SELECT record_id FROM returns ORDER BY rowid)')" \
    "AV-9,AV-1,AV-2,AV-3"

cat >append_missing.yaml <<'YAML'
version: 1
sources:
  feed: {type: csv, path: v1.csv}
transforms:
  more: {type: set, inputs: [feed], columns: {extra: x}}
sinks:
  returns: {type: sqlite, inputs: [more], path: out/db.sqlite, table: returns, mode: append}
YAML
run append_missing.yaml
check "append with a column the table lacks: exit 1" "$?" 1
check "append with a column the table lacks: says so" \
    "$(grep -c 'has no column named extra' last.err)" 1
check "append with a column the table lacks: table untouched" "$(q out/db.sqlite 'SELECT count(*) FROM returns')" 4

# --- a failed run leaves the previous table untouched ---------------------
before=$(q out/db.sqlite 'SELECT * FROM returns ORDER BY rowid')
pipeline fail_one bad_age.csv replace ""
run fail_one.yaml
check "bad integer: exit 1" "$?" 1
check "bad integer: the message names feed, line, column and value" \
    "$(grep -c "bad_age.csv:3: column 'age' is INTEGER but 'forty' is not a whole number" last.err)" 1
check "bad integer: previous table untouched" "$(q out/db.sqlite 'SELECT * FROM returns ORDER BY rowid')" "$before"
check "bad integer: no journal or temporary left" "$(ls -A out)" "$(printf 'db.sqlite\nmanifest.json')"

# --- several tables (and the rejects) in one file: all or none -----------
cat >tables.yaml <<'YAML'
version: 1
sources:
  feed: {type: csv, path: INPUT}
transforms:
  tidy: {type: select, inputs: [feed], columns: [record_id, host_iso3, age]}
sinks:
  returns: {type: sqlite, inputs: [tidy], path: out/kh.sqlite, table: returns}
  hosts: {type: sqlite, inputs: [feed], path: out/./kh.sqlite, table: hosts, types: {age: TEXT}}
  copy: {type: csv, inputs: [tidy], path: out/returns.csv}
rejects: {type: sqlite, path: out/kh.sqlite, table: rejects}
YAML
sed 's/INPUT/v1.csv/' tables.yaml >tables_ok.yaml
run tables_ok.yaml
check "three tables in one file: exit 0" "$?" 0
check "three tables in one file: all there" \
    "$(q out/kh.sqlite "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")" \
"hosts
rejects
returns"
check "three tables in one file: rows" \
    "$(q out/kh.sqlite 'SELECT (SELECT count(*) FROM returns), (SELECT count(*) FROM hosts), (SELECT count(*) FROM rejects)')" \
    "3|3|0"

# The 'returns' table fails on 'forty' (INTEGER); 'hosts' declares age TEXT
# and would have taken it: neither table may change.
sed 's/INPUT/bad_age.csv/' tables.yaml >tables_bad.yaml
run tables_bad.yaml
check "one table of the file fails: exit 1" "$?" 1
check "one table of the file fails: the other table is untouched too" \
    "$(q out/kh.sqlite 'SELECT group_concat(record_id) FROM hosts')" "AV-1,AV-2,AV-3"
check "one table of the file fails: its own table untouched" \
    "$(q out/kh.sqlite 'SELECT group_concat(record_id) FROM returns')" "AV-1,AV-2,AV-3"
check "one table of the file fails: the csv beside it untouched" "$(grep -c AV- out/returns.csv)" 3

# Rejected rows land in the same file's rejects table, in the same commit.
printf 'record_id,year,age,host_iso3,departure_date,share,note\nAV-5,2021,5,MLI,2021-01-01,,\n"AV-6,2021\n' >rejects.csv
sed 's/INPUT/rejects.csv/' tables.yaml >tables_rejects.yaml
run tables_rejects.yaml
check "rejects table in the same file: exit 0" "$?" 0
check "rejects table in the same file: the reject" \
    "$(q out/kh.sqlite 'SELECT component, feed, line, reason FROM rejects')" "feed|rejects.csv|3|malformed_row"

# --- a failed run on a new file leaves no file ---------------------------
sed 's#out/db.sqlite#new/db.sqlite#' fail_one.yaml >fail_new.yaml
run fail_new.yaml
check "failed run, new file: exit 1" "$?" 1
check "failed run, new file: no database left" "$(ls new 2>/dev/null)" ""

# --- validate and --dry-run open nothing ---------------------------------
sed 's#out/db.sqlite#never/db.sqlite#' replace1.yaml >never.yaml
"$HARMONIZE" validate never.yaml >/dev/null 2>&1
check "validate: exit 0" "$?" 0
"$HARMONIZE" run --dry-run never.yaml >/dev/null 2>&1
check "dry run: exit 0" "$?" 0
check "validate and dry run: no database" "$(ls -d never 2>/dev/null)" ""

# --- two sinks on one table: a configuration error ------------------------
cat >twice.yaml <<'YAML'
version: 1
sources:
  feed: {type: csv, path: v1.csv}
sinks:
  a: {type: sqlite, inputs: [feed], path: out/db.sqlite, table: returns}
  b: {type: sqlite, inputs: [feed], path: out/db.sqlite, table: RETURNS}
YAML
"$HARMONIZE" validate twice.yaml >/dev/null 2>last.err
check "same table twice: exit 2" "$?" 2
check "same table twice: says which sink has it" \
    "$(grep -c "table 'RETURNS' of out/db.sqlite is also written by 'a' (twice.yaml:" last.err)" 1

# --- another process holds the write lock for a moment: the run waits ----
(printf 'BEGIN IMMEDIATE;\nINSERT INTO returns (record_id) VALUES (%s);\n' "'LOCK'"; sleep 2;
 printf 'ROLLBACK;\n') | sqlite3 out/db.sqlite &
locker=$!
sleep 0.5
run replace2.yaml
check "busy file: the run waits for the lock, then succeeds" "$?" 0
wait "$locker"
check "busy file: its rows" "$(q out/db.sqlite 'SELECT record_id FROM returns')" "AV-9"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed; last stderr:"
    cat last.err
    exit 1
fi
echo "all sqlite sink checks passed"
