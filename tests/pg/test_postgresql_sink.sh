#!/usr/bin/env bash
# The postgresql sink against a real server: this script starts one of its
# own (initdb + pg_ctl) in a temporary folder, listening on a free port of
# 127.0.0.1 with its unix socket in that folder, runs pipelines, checks the
# tables with psql, and stops the server and removes everything on exit.
#
# Checks: replace (types, NULL and '', escapes, index), replace again,
# append (and its check of an existing table's columns), a failed run leaving the previous table untouched (bad value
# caught by the sink; bad value refused by the server), a view depending
# on the table, schema.table, connection failures not leaking passwords,
# validate not connecting.
#
# Server set-up and helpers: pg_server.sh (exit 77 when the PostgreSQL
# server binaries are not installed).
set -u
. "$(dirname "$0")/pg_server.sh"

# --- inputs ---------------------------------------------------------------
cat >v1.csv <<'CSV'
record_id,year,age,host_iso3,departure_date,share,note
AV-1,2021,31,DEU,2021-03-04,0.25,"tab	and \back\slash"
AV-2,2021,,NER,2021-03-05,,
AV-3,2021,7,NER,,1e-3,"two
lines"
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

pipeline() { # name input mode [table] [types]
    cat >"$1.yaml" <<YAML
version: 1
sources:
  feed: {type: csv, path: $2}
sinks:
  returns:
    type: postgresql
    inputs: [feed]
    connection: \${HARMONIZE_PG:?set HARMONIZE_PG to a libpq connection string}
    table: ${4:-returns}
    mode: $3
    types: {${5:-departure_date: DATE}}
YAML
}

# --- replace: types, NULL and '', escapes, index --------------------------
pipeline replace1 v1.csv replace
run replace1.yaml
check "replace: exit 0" "$?" 0
check "replace: rows" "$(q 'SELECT record_id, year, age, share, departure_date FROM returns ORDER BY record_id')" \
"AV-1|2021|31|0.25|2021-03-04
AV-2|2021|||2021-03-05
AV-3|2021|7|0.001|"
check "replace: column types" \
    "$(q "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'returns'")" \
    "record_id text, year bigint, age bigint, host_iso3 text, departure_date date, share double precision, note text"
check "replace: NULL for an empty number or date, '' for empty text" \
    "$(q "SELECT age IS NULL, share IS NULL, note = '' FROM returns WHERE record_id = 'AV-2'")" "t|t|t"
check "replace: tab, backslash and line break kept" \
    "$(q "SELECT (SELECT note FROM returns WHERE record_id = 'AV-1') = E'tab\\tand \\\\back\\\\slash', (SELECT note FROM returns WHERE record_id = 'AV-3') = E'two\\nlines'")" "t|t"
check "replace: index on the _iso3 column" \
    "$(q "SELECT indexname FROM pg_indexes WHERE tablename = 'returns'")" "returns_host_iso3_idx"
check "replace: no temporary table left" "$(q "SELECT count(*) FROM pg_class WHERE relname LIKE '\\_hz\\_new\\_%'")" 0

pipeline replace2 v2.csv replace
run replace2.yaml
check "replace again: exit 0" "$?" 0
check "replace again: only the new rows" "$(q 'SELECT record_id FROM returns')" "AV-9"
check "replace again: index rebuilt" "$(q "SELECT indexname FROM pg_indexes WHERE tablename = 'returns'")" \
    "returns_host_iso3_idx"

# --- append ---------------------------------------------------------------
pipeline append1 v1.csv append
run append1.yaml
check "append: exit 0" "$?" 0
check "append: rows added" "$(q 'SELECT string_agg(record_id, $$,$$ ORDER BY record_id) FROM returns')" \
    "AV-1,AV-2,AV-3,AV-9"

# --- failed runs leave the previous table untouched ------------------------
before=$(q 'SELECT * FROM returns ORDER BY record_id')
printf 'record_id,year,extra,more\nAV-5,2022,x,y\n' >extra.csv
pipeline append_extra extra.csv append returns "year: INTEGER"
run append_extra.yaml
check "append, a column the table lacks: exit 1" "$?" 1
check "append, a column the table lacks: names table and columns" \
    "$(grep -c 'table "public"."returns" does not match the columns this sink writes: missing "extra", "more"$' last.err)" 1
check "append, a column the table lacks: table untouched" "$(q 'SELECT * FROM returns ORDER BY record_id')" "$before"
pipeline fail_sink bad_age.csv replace
run fail_sink.yaml
check "bad integer (checked by the sink): exit 1" "$?" 1
check "bad integer: the message names feed, line, column and value" \
    "$(grep -c "bad_age.csv:3: column 'age' is INTEGER but 'forty' is not a whole number" last.err)" 1
check "bad integer: previous table untouched" "$(q 'SELECT * FROM returns ORDER BY record_id')" "$before"
check "bad integer: no temporary table left" "$(q "SELECT count(*) FROM pg_class WHERE relname LIKE '\\_hz\\_new\\_%'")" 0

# Declared TEXT here, but the existing column is bigint: the server refuses.
pipeline fail_server bad_age.csv append returns "age: TEXT, departure_date: DATE"
run fail_server.yaml
check "value refused by the server: exit 1" "$?" 1
check "value refused by the server: its message" "$(grep -c 'invalid input syntax for type bigint: "forty"' last.err)" 1
check "value refused by the server: table untouched" "$(q 'SELECT * FROM returns ORDER BY record_id')" "$before"

# --- a view on the table: replace says so before reading -------------------
q 'CREATE VIEW returns_2021 AS SELECT * FROM returns WHERE year = 2021' >/dev/null
run replace2.yaml
check "view on the table: exit 1" "$?" 1
check "view on the table: says what depends on it" "$(grep -c 'view returns_2021' last.err)" 1
check "view on the table: table untouched" "$(q 'SELECT * FROM returns ORDER BY record_id')" "$before"
q 'DROP VIEW returns_2021' >/dev/null

# --- schema.table -----------------------------------------------------------
q 'CREATE SCHEMA stats' >/dev/null
pipeline schema v2.csv replace stats.returns
run schema.yaml
check "schema.table: exit 0" "$?" 0
check "schema.table: in that schema" "$(q 'SELECT record_id FROM stats.returns')" "AV-9"
check "schema.table: public.returns untouched" "$(q 'SELECT count(*) FROM public.returns')" 4

# --- two-phase publish with a CSV sink ----------------------------------------
# The table and a CSV file in one run: a failed prepare on either side publishes
# neither; a failed commit of the CSV after the table's leaves the table published and
# the summary says so.
cat >both.yaml <<'YAML'
version: 1
sources:
  feed: {type: csv, path: v1.csv}
sinks:
  returns:
    type: postgresql
    inputs: [feed]
    connection: ${HARMONIZE_PG}
    table: pair
    mode: replace
  copy: {type: csv, inputs: [feed], path: out/copy.csv}
YAML
sed 's/path: v1.csv/path: v2.csv/' both.yaml >both2.yaml
run both.yaml
check "table and CSV: exit 0" "$?" 0
cp out/copy.csv copy.before
table_before=$(q 'SELECT record_id FROM pair ORDER BY record_id')
index_before=$(q "SELECT indexname FROM pg_indexes WHERE tablename = 'pair'")
for sink in returns copy; do
    HARMONIZE_TEST_FAULT=prepare:$sink "$HARMONIZE" run -q both2.yaml >last.out 2>last.err
    check "prepare of '$sink' fails: exit 1" "$?" 1
    check "prepare of '$sink' fails: table untouched" "$(q 'SELECT record_id FROM pair ORDER BY record_id')" \
        "$table_before"
    check "prepare of '$sink' fails: its index untouched" \
        "$(q "SELECT indexname FROM pg_indexes WHERE tablename = 'pair'")" "$index_before"
    check "prepare of '$sink' fails: CSV untouched" "$(cmp -s copy.before out/copy.csv && echo same)" same
    check "prepare of '$sink' fails: no temporary table" \
        "$(q "SELECT count(*) FROM pg_class WHERE relname LIKE '\\_hz\\_new\\_%'")" 0
    check "prepare of '$sink' fails: the summary says nothing was published" \
        "$(grep -c 'nothing was published' last.err)" 1
done
HARMONIZE_TEST_FAULT=commit:copy "$HARMONIZE" run -q both2.yaml >last.out 2>last.err
check "commit of the CSV fails after the table's: exit 1" "$?" 1
check "commit of the CSV fails: the table is published" "$(q 'SELECT record_id FROM pair')" "AV-9"
check "commit of the CSV fails: the index is in place under its name" \
    "$(q "SELECT indexname FROM pg_indexes WHERE tablename = 'pair'")" "pair_host_iso3_idx"
check "commit of the CSV fails: the CSV is the previous one" "$(cmp -s copy.before out/copy.csv && echo same)" same
check "commit of the CSV fails: the summary names both" \
    "$(grep -c -x -e '  published: returns' -e "  NOT published: copy (its commit failed): they still hold the previous run's outputs" last.err)" 2

# --- connection failures ----------------------------------------------------
closed=$((port == 65535 ? port - 1 : port + 1))
while port_in_use "$closed"; do closed=$((closed + 1)); done
HARMONIZE_PG="host=127.0.0.1 port=$closed user=hz password=s3cr3t-pw dbname=postgres connect_timeout=5" \
    "$HARMONIZE" run -q replace2.yaml >last.out 2>last.err
check "no server: exit 1" "$?" 1
check "no server: says it cannot connect" "$(grep -c 'cannot connect to PostgreSQL' last.err)" 1
check "no server: the password is not shown" "$(grep -c 's3cr3t-pw' last.err)" 0
HARMONIZE_PG="host=127.0.0.1 port=$closed" "$HARMONIZE" validate replace2.yaml >/dev/null 2>&1
check "validate does not connect: exit 0" "$?" 0
env -u HARMONIZE_PG "$HARMONIZE" validate replace2.yaml >/dev/null 2>last.err
check "HARMONIZE_PG unset: exit 2" "$?" 2
check "HARMONIZE_PG unset: says so" "$(grep -c 'set HARMONIZE_PG to a libpq connection string' last.err)" 1

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed; last stderr:"
    cat last.err
    exit 1
fi
echo "all postgresql sink checks passed"
