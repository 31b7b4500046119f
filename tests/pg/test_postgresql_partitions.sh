#!/usr/bin/env bash
# mode: replace_partition of the postgresql sink against a real server
# (pg_server.sh starts one): offices loading one table, each run replacing
# only the rows of the partitions (partition_by values) it carries.
#
# Checks: the configuration errors (exact messages and positions); the
# first run creating the table (and the partition column's index); another
# office's run leaving the first's rows; a re-run replacing only its own
# partition; the summary's counts; '' and NULL partitions; an existing
# table with other columns; failed runs (bad value, failed prepare) leaving
# the table as it was; the advisory lock holding a run back (seen waiting
# in pg_locks) until it is released; two concurrent runs on different
# partitions both landing; two concurrent runs on one partition leaving
# exactly the later run's rows.
set -u
. "$(dirname "$0")/pg_server.sh"

# How long to wait for a background run to reach a state (valgrind is slow).
patience=${HZ_TEST_TIMEOUT:-120}

# office,record_id,year,note: `rows OFFICE N TAG [FIRST]` writes N rows.
rows() {
    echo "office,record_id,year,note"
    awk -v o="$1" -v n="$2" -v t="$3" -v f="${4:-1}" \
        'BEGIN { for (i = f; i < f + n; i++) printf "%s,%s-%d,%d,%s\n", o, o, i, 2000 + i % 20, t }'
}
pipeline() { # name input [table] [partition_by] [extra sink lines]
    cat >"$1.yaml" <<YAML
version: 1
sources:
  feed: {type: csv, path: $2}
sinks:
  offices:
    type: postgresql
    inputs: [feed]
    connection: \${HARMONIZE_PG}
    table: ${3:-offices}
    mode: replace_partition
    partition_by: ${4:-office}
${5:-}
YAML
}
# office|rows, for every office.
counts() { q "SELECT string_agg(office || '|' || n, ' ' ORDER BY office) FROM (SELECT office, count(*) AS n FROM ${1:-offices} GROUP BY office) c"; }
table_dump() { q "SELECT * FROM ${1:-offices} ORDER BY office, record_id"; }

# --- configuration errors: validate, exact messages at their position -------
rows A 1 x >a.csv
cat >no_column.yaml <<'YAML'
version: 1
sources:
  feed: {type: csv, path: a.csv}
sinks:
  offices:
    type: postgresql
    inputs: [feed]
    connection: ${HARMONIZE_PG}
    table: offices
    mode: replace_partition
YAML
"$HARMONIZE" validate no_column.yaml >/dev/null 2>last.err
check "replace_partition without partition_by: exit 2" "$?" 2
check "replace_partition without partition_by: message at 'mode'" "$(head -1 last.err)" \
    "no_column.yaml:10:11: error: postgresql sink 'offices': mode replace_partition needs 'partition_by: COLUMN', the input column whose values name the partitions a run replaces (e.g. the office)"
sed 's/mode: replace_partition/mode: append\n    partition_by: office/' no_column.yaml >other_mode.yaml
"$HARMONIZE" validate other_mode.yaml >/dev/null 2>last.err
check "partition_by with mode append: exit 2" "$?" 2
check "partition_by with mode append: message at 'partition_by'" "$(head -1 last.err)" \
    "other_mode.yaml:11:19: error: postgresql sink 'offices': 'partition_by' goes with mode: replace_partition (this sink's mode is append)"
sed 's/    mode: replace_partition/    partition_by: office/' no_column.yaml >default_mode.yaml
"$HARMONIZE" validate default_mode.yaml >/dev/null 2>last.err
check "partition_by with the default mode: message at 'partition_by'" "$(head -1 last.err)" \
    "default_mode.yaml:10:19: error: postgresql sink 'offices': 'partition_by' goes with mode: replace_partition (this sink's mode is replace)"
pipeline unknown_column a.csv offices ofice
"$HARMONIZE" validate unknown_column.yaml >/dev/null 2>last.err
check "partition_by naming no input column: exit 2" "$?" 2
check "partition_by naming no input column: message at its value" "$(head -1 last.err)" \
    "unknown_column.yaml:11:19: error: column 'ofice' is not produced by the input of 'offices'; did you mean 'office'?"

# --- first run creates the table; other offices keep their rows ------------------
rows A 3 first >a1.csv
rows B 2 first >b1.csv
rows A 4 second 10 >a2.csv
pipeline a1 a1.csv
pipeline b1 b1.csv
pipeline a2 a2.csv
run a1.yaml
check "first run: exit 0" "$?" 0
check "first run: the table is created with its rows" "$(counts)" "A|3"
check "first run: column types as in the other modes" \
    "$(q "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'offices'")" \
    "office text, record_id text, year bigint, note text"
check "first run: an index on the partition column" \
    "$(q "SELECT indexname FROM pg_indexes WHERE tablename = 'offices'")" "offices_office_idx"
check "first run: no staging table left" "$(q "SELECT count(*) FROM pg_class WHERE relname = '_hz_stage'")" 0
run b1.yaml
check "office B: exit 0" "$?" 0
check "office B: office A's rows intact" "$(counts)" "A|3 B|2"
b_rows=$(q "SELECT * FROM offices WHERE office = 'B' ORDER BY record_id")
"$HARMONIZE" run a2.yaml >last.out 2>last.err
check "A again: exit 0" "$?" 0
check "A again: only A replaced" "$(counts)" "A|4 B|2"
check "A again: A's rows are the new ones" \
    "$(q "SELECT string_agg(record_id || ':' || note, ',' ORDER BY record_id) FROM offices WHERE office = 'A'")" \
    "A-10:second,A-11:second,A-12:second,A-13:second"
check "A again: B's rows unchanged" "$(q "SELECT * FROM offices WHERE office = 'B' ORDER BY record_id")" "$b_rows"
check "A again: the summary counts rows deleted and inserted" \
    "$(grep -A1 'replaced 1 partition of' last.err)" \
    "    replaced 1 partition of office in table \"public\".\"offices\": 3 rows deleted, 4 inserted
      'A': 3 deleted, 4 inserted"

# Two partitions in one run, one of them new.
{ rows A 2 third 20; rows C 1200 first | tail -n +2; } >ac.csv
pipeline ac ac.csv
"$HARMONIZE" run ac.yaml >last.out 2>last.err
check "A and C in one run: exit 0" "$?" 0
check "A and C in one run: both replaced, B kept" "$(counts)" "A|2 B|2 C|1200"
check "A and C in one run: the summary" "$(grep -A2 'replaced 2 partitions of' last.err)" \
    "    replaced 2 partitions of office in table \"public\".\"offices\": 4 rows deleted, 1,202 inserted
      'A': 4 deleted, 2 inserted
      'C': 0 deleted, 1,200 inserted"

# --- '' is a partition; NULL (an empty field of a non-text column) is one too ------
printf 'office,record_id,year,note\n,E-1,2020,x\n,E-2,2020,x\nA,A-1,,x\n' >empty1.csv
printf 'office,record_id,year,note\n,E-3,2021,y\n' >empty2.csv
pipeline empty1 empty1.csv empties
pipeline empty2 empty2.csv empties
run empty1.yaml && run empty2.yaml
check "'' partition: replaced like any other" \
    "$(q "SELECT string_agg(quote_literal(office) || '|' || record_id, ' ' ORDER BY office, record_id) FROM empties")" \
    "''|E-3 'A'|A-1"
printf 'office,record_id,year,note\nA,N-1,,x\nA,N-2,,x\nA,Y-1,2020,x\nA,Y-2,2020,x\n' >null1.csv
printf 'office,record_id,year,note\nB,N-3,,y\n' >null2.csv
pipeline null1 null1.csv by_year year
pipeline null2 null2.csv by_year year
run null1.yaml
"$HARMONIZE" run null2.yaml >last.out 2>last.err
check "NULL partition: exit 0" "$?" 0
check "NULL partition: its rows replaced, the others kept" \
    "$(q "SELECT string_agg(coalesce(year::text, 'NULL') || '|' || record_id, ' ' ORDER BY year NULLS FIRST, record_id) FROM by_year")" \
    "NULL|N-3 2020|Y-1 2020|Y-2"
check "NULL partition: the summary names it" "$(grep -A1 'replaced 1 partition of' last.err | tail -1)" \
    "      NULL (empty field): 2 deleted, 1 inserted"

# --- an existing table with other columns -------------------------------------------
before=$(table_dump)
printf 'office,record_id,year,extra\nA,A-1,2020,e\n' >other_columns.csv
pipeline other_columns other_columns.csv offices office "    types: {year: TEXT}"
run other_columns.yaml
check "other columns: exit 1" "$?" 1
check "other columns: names the table and every differing column" \
    "$(grep -c 'table "public"."offices" does not match the columns this sink writes: missing "extra"; of another type "year" (bigint in the table, text from the sink); not written by the sink "note"' last.err)" 1
check "other columns: table untouched" "$(table_dump)" "$before"

# --- failed runs leave the table as it was ---------------------------------------------
printf 'office,record_id,year,note\nB,B-7,2020,x\nB,B-8,twenty,x\n' >bad.csv
pipeline bad bad.csv
run bad.yaml
check "bad value: exit 1" "$?" 1
check "bad value: table untouched" "$(table_dump)" "$before"
rows B 5 failed 50 >b_fail.csv
pipeline b_fail b_fail.csv
HARMONIZE_TEST_FAULT=prepare:offices "$HARMONIZE" run -q b_fail.yaml >last.out 2>last.err
check "failed prepare (after the DELETE and INSERT): exit 1" "$?" 1
check "failed prepare: says so" "$(grep -c "prepare failed (HARMONIZE_TEST_FAULT)" last.err)" 1
check "failed prepare: table untouched" "$(table_dump)" "$before"
check "failed prepare: no advisory lock left" "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")" 0

# --- the advisory lock serialises runs on one table ---------------------------------
# A psql session holds the key the sink documents; a run must wait for it (seen in
# pg_locks) and finish once it is released.
key="hashtext('\"public\".\"offices\"')"
hold_lock() { # in the background: take the table's lock and keep it
    PGAPPNAME=hz_holder "$psql" "$HARMONIZE_PG" -X -q -c "SELECT pg_advisory_lock($key)" \
        -c "SELECT pg_sleep(3600)" >/dev/null 2>&1 &
    holder=$!
    wait_for "the holder has the lock" \
        "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = 'hz_holder'" 1
}
release_lock() {
    q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hz_holder'" >/dev/null
    wait "$holder" 2>/dev/null
}
wait_for() { # label sql expected: poll until the query gives `expected`
    local i got
    for ((i = 0; i < patience * 5; i++)); do
        got=$(q "$2")
        [ "$got" = "$3" ] && return 0
        sleep 0.2
    done
    check "$1 (waited ${patience}s)" "$got" "$3"
    return 1
}
waiting_runs="SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"

rows B 3 locked 60 >b_locked.csv
pipeline b_locked b_locked.csv
hold_lock
"$HARMONIZE" run b_locked.yaml >locked.out 2>locked.err &
run_pid=$!
wait_for "a run waits for the lock another session holds" "$waiting_runs" 1
sleep 1
check "while the lock is held: the run is still going" "$(kill -0 "$run_pid" 2>/dev/null && echo running)" running
check "while the lock is held: it says what it waits for" \
    "$(grep -c "waiting for another run writing table \"public\".\"offices\" to finish (advisory lock $(q "SELECT $key") = hashtext('\"public\".\"offices\"'))" locked.err)" 1
check "while the lock is held: the table is unchanged" "$(table_dump)" "$before"
# A bound on the wait, through the connection string (README): the run fails.
HARMONIZE_PG="$HARMONIZE_PG options='-c lock_timeout=500'" "$HARMONIZE" run -q b_fail.yaml >last.out 2>last.err
check "lock_timeout in the connection string: exit 1" "$?" 1
check "lock_timeout in the connection string: the server's message" \
    "$(grep -c "cannot lock the table: ERROR: canceling statement due to lock timeout" last.err)" 1
release_lock
wait "$run_pid"
check "lock released: the run finishes, exit 0" "$?" 0
check "lock released: B replaced" "$(counts)" "A|2 B|3 C|1200"

# --- two concurrent runs on different partitions both land -----------------------
# The same pipeline in two state folders (so the run lock of the pipeline does not
# keep one of them out).  Both are held at the advisory lock at the same moment,
# with their rows staged, then released together.
cat >office.yaml <<'YAML'
version: 1
state_dir: state-${HZ_OFFICE}
sources:
  feed: {type: csv, path: '${HZ_OFFICE}.csv'}
sinks:
  offices:
    type: postgresql
    inputs: [feed]
    connection: ${HARMONIZE_PG}
    table: offices
    mode: replace_partition
    partition_by: office
YAML
rows D 3000 d >D.csv
rows E 2000 e >E.csv
hold_lock
HZ_OFFICE=D "$HARMONIZE" run -q office.yaml >d.out 2>d.err &
run_d=$!
HZ_OFFICE=E "$HARMONIZE" run -q office.yaml >e.out 2>e.err &
run_e=$!
wait_for "two runs wait for the lock at the same moment" "$waiting_runs" 2
release_lock
wait "$run_d"
status_d=$?
wait "$run_e"
status_e=$?
check "concurrent D and E: both exit 0" "$status_d $status_e" "0 0"
check "concurrent D and E: both partitions land, the others kept" "$(counts)" "A|2 B|3 C|1200 D|3000 E|2000"

# Without the holder: re-running A while B runs loses neither.
rows A 1500 a2 100 >A.csv
rows B 2500 b2 100 >B.csv
HZ_OFFICE=A "$HARMONIZE" run -q office.yaml >a.out 2>a.err &
run_a=$!
HZ_OFFICE=B "$HARMONIZE" run -q office.yaml >b.out 2>b.err &
run_b=$!
wait "$run_a"
status_a=$?
wait "$run_b"
status_b=$?
check "concurrent A and B: both exit 0" "$status_a $status_b" "0 0"
check "concurrent A and B: both replaced, the others kept" "$(counts)" "A|1500 B|2500 C|1200 D|3000 E|2000"

# --- two concurrent runs on one partition: one run's rows, never a mix ---------------
rows F 3000 x >F1.csv
rows F 2000 y >F2.csv
for f in F1 F2; do sed "s/\${HZ_OFFICE}/$f/" office.yaml >$f.yaml; done
# F1 queues for the lock before F2 does, and PostgreSQL grants a lock to its waiters in
# the order they came: F2 runs last, its DELETE sees F1's committed rows, its rows win.
hold_lock
"$HARMONIZE" run F1.yaml >f1.out 2>f1.err &
run_f1=$!
wait_for "the first run on F waits for the lock" "$waiting_runs" 1
"$HARMONIZE" run F2.yaml >f2.out 2>f2.err &
run_f2=$!
wait_for "both runs on F wait for the lock" "$waiting_runs" 2
release_lock
wait "$run_f1"
status_f1=$?
wait "$run_f2"
status_f2=$?
check "concurrent F and F: both exit 0" "$status_f1 $status_f2" "0 0"
check "concurrent F and F: exactly the later run's rows" \
    "$(q "SELECT count(*) || '|' || string_agg(DISTINCT note, ',') FROM offices WHERE office = 'F'")" "2000|y"
check "concurrent F and F: the later run replaced the earlier one's rows" \
    "$(grep -h "'F':" f1.err f2.err)" "      'F': 0 deleted, 3,000 inserted
      'F': 3,000 deleted, 2,000 inserted"
check "concurrent F and F: the others kept" "$(counts)" "A|1500 B|2500 C|1200 D|3000 E|2000 F|2000"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed; last stderr:"
    cat last.err
    exit 1
fi
echo "all replace_partition checks passed"
