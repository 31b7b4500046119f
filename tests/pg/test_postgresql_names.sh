#!/usr/bin/env bash
# Names and PostgreSQL's 63-byte limit, against a real server (pg_server.sh
# starts one).  The server keeps only the first 63 bytes of a name and says
# so only in a NOTICE: two index names sharing those bytes were one.
#
# Checks: two _iso3 columns whose index names share their first 70 bytes
# get two indexes (each on its column, named with the first 54 bytes of the
# whole name, '_' and 8 hex digits), in replace (twice: the new table and
# its private index names), append and replace_partition (twice); append on
# a table whose index an earlier version created under the cut name keeps
# it and adds no second one; two replace sinks of one run on two long
# tables of one schema, with _iso3 columns, both land (they waited for each
# other forever when their private names were equal); a column over 63
# bytes, two columns the same in their first 63 bytes and a column that is
# another's first 63 bytes are refused (exit 2, both columns named) and
# create nothing.  The exact messages and positions are golden cases
# (tests/plugins/postgresql/err/); the fitting itself is tested by
# plugins/postgresql/pg_names_test.
set -u
. "$(dirname "$0")/pg_server.sh"

# How long a run may take before it counts as hung (valgrind is slow).
patience=${HZ_TEST_TIMEOUT:-120}

table=departures_by_destination_country               # 33 bytes
shared=traveller_country_of_usual_residence            # 36 bytes
first=${shared}_first_iso3 second=${shared}_second_iso3 # their indexes share 33 + 1 + 36 = 70 bytes
[ "${#table}_${#shared}" = 33_36 ] || { echo "ERROR: the test's names changed length"; exit 99; }

printf 'office,record_id,%s,%s\nATH,1,DEU,FRA\nATH,2,NER,GRC\n' "$first" "$second" >v1.csv
printf 'office,record_id,%s,%s\nNIA,3,ITA,ESP\n' "$first" "$second" >v2.csv

pipeline() { # name input table mode [partition_by]
    cat >"$1.yaml" <<YAML
version: 1
sources:
  feed: {type: csv, path: $2}
sinks:
  out:
    type: postgresql
    inputs: [feed]
    connection: \${HARMONIZE_PG}
    table: $3
    mode: $4
YAML
    [ -n "${5:-}" ] && echo "    partition_by: $5" >>"$1.yaml"
}

# column|index of every single-column index of table $1, by column.
indexes() {
    q "SELECT a.attname || '|' || x.relname FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
       WHERE i.indrelid = '$1'::regclass ORDER BY a.attname, x.relname"
}

# The index name the sink must give column $2 of table $1, as a glob: the
# whole name when it fits, else its first 54 bytes, '_', 8 hex digits.
hex8='[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'
expected_glob() {
    local whole="$1_$2_idx"
    if [ ${#whole} -le 63 ]; then printf '%s' "$whole"; else printf '%s_%s' "${whole:0:54}" "$hex8"; fi
}

# Every index of table $1 is on one of the columns $2... named as it must,
# one per column, and the names differ.
check_indexes() { # label table column...
    local label=$1 t=$2 got line col name names=""
    shift 2
    got=$(indexes "$t")
    check "$label: one index per column" "$(printf '%s\n' "$got" | cut -d'|' -f1 | tr '\n' ' ')" \
        "$(printf '%s\n' "$@" | sort | tr '\n' ' ')"
    while IFS='|' read -r col name; do
        # shellcheck disable=SC2053 # the right side is a glob on purpose
        if [[ $name == $(expected_glob "$t" "$col") ]] && [ ${#name} -le 63 ]; then
            check "$label: index of $col named as fitted (whole, or first 54 bytes_hash)" ok ok
        else
            check "$label: index of $col named as fitted (whole, or first 54 bytes_hash)" "$name" "$(expected_glob "$t" "$col")"
        fi
        names="$names$name"$'\n'
    done <<<"$got"
    check "$label: index names all different" "$(printf '%s' "$names" | sort -u | wc -l)" "$#"
}

no_leftovers() { # label
    check "$1: no private table or index left" \
        "$(q "SELECT count(*) FROM pg_class WHERE relname LIKE '\\_hz\\_new\\_%' OR relname LIKE '\\_hz\\_idx\\_%'")" 0
}

# --- replace: two indexes whose names share 70 bytes -------------------------
pipeline replace1 v1.csv "$table" replace
run replace1.yaml
check "replace: exit 0" "$?" 0
check "replace: nothing on stderr" "$(cat last.err)" ""
check_indexes "replace" "$table" "$first" "$second"
check "replace: no index under the cut name" \
    "$(q "SELECT count(*) FROM pg_class WHERE relname = left('${table}_${first}_idx', 63)")" 0
names_before=$(indexes "$table")
no_leftovers "replace"

pipeline replace2 v2.csv "$table" replace
run replace2.yaml
check "replace again: exit 0" "$?" 0
check "replace again: nothing on stderr" "$(cat last.err)" ""
check "replace again: the new rows" "$(q "SELECT record_id FROM $table")" 3
check "replace again: the same index names" "$(indexes "$table")" "$names_before"
no_leftovers "replace again"

# --- append: the same names found, no index added --------------------------------
pipeline append1 v1.csv "$table" append
run append1.yaml
check "append: exit 0" "$?" 0
check "append: rows added" "$(q "SELECT string_agg(record_id, ',' ORDER BY record_id) FROM $table")" "1,2,3"
check "append: the same two indexes" "$(indexes "$table")" "$names_before"

# --- append on a table indexed by an earlier version -------------------------
# It asked for the whole name and the server cut it: the first column's index
# is there under its first 63 bytes, the second column has none.
legacy=legacy_table_made_by_an_earlier_version
q "CREATE TABLE $legacy (office text, record_id text, $first text, $second text)" >/dev/null
q "CREATE INDEX \"${legacy}_${first}_idx\" ON $legacy ($first)" >/dev/null
old_name=$(q "SELECT relname FROM pg_class WHERE relname LIKE 'legacy\\_%' AND relkind = 'i'")
check "legacy: the server cut the name to 63 bytes" "${#old_name}" 63
pipeline legacy v1.csv "$legacy" append
run legacy.yaml
check "legacy append: exit 0" "$?" 0
got=$(indexes "$legacy")
check "legacy append: the old index kept for the first column" "$(grep -c -x "$first|$old_name" <<<"$got")" 1
check "legacy append: one index per column, no second one" "$(cut -d'|' -f1 <<<"$got" | tr '\n' ' ')" \
    "$first $second "

# --- replace_partition: the partition column's index and the two others -------
pipeline part1 v1.csv "${table}_p" replace_partition office
run part1.yaml
check "replace_partition: exit 0" "$?" 0
check_indexes "replace_partition" "${table}_p" "$first" office "$second"
pipeline part2 v2.csv "${table}_p" replace_partition office
run part2.yaml
check "replace_partition, another office: exit 0" "$?" 0
check "replace_partition, another office: both offices' rows" \
    "$(q "SELECT string_agg(office || record_id, ',' ORDER BY record_id) FROM ${table}_p")" "ATH1,ATH2,NIA3"
check "replace_partition, another office: the same three indexes" "$(indexes "${table}_p" | wc -l)" 3

# --- two replace sinks, two long tables of one schema, one run ---------------------
# 63-byte names sharing their first 56 bytes: the new tables' private names
# (_hz_new_<pid>_<table>) and the indexes' (_hz_idx_<pid>_<j>_<table>) are
# over 63 bytes and would be cut to one name each.
long=$(printf 'x%.0s' $(seq 56))
cat >two.yaml <<YAML
version: 1
sources:
  feed: {type: csv, path: v1.csv}
sinks:
  a:
    type: postgresql
    inputs: [feed]
    connection: \${HARMONIZE_PG}
    table: ${long}_aaaaaa
  b:
    type: postgresql
    inputs: [feed]
    connection: \${HARMONIZE_PG}
    table: ${long}_bbbbbb
YAML
for attempt in 1 2; do
    timeout "$patience" "$HARMONIZE" run -q two.yaml >last.out 2>last.err
    check "two long tables, run $attempt: exit 0 (not hung)" "$?" 0
    check "two long tables, run $attempt: both tables" \
        "$(q "SELECT (SELECT count(*) FROM ${long}_aaaaaa) || ',' || (SELECT count(*) FROM ${long}_bbbbbb)")" 2,2
    check_indexes "two long tables, run $attempt, a" "${long}_aaaaaa" "$first" "$second"
    check_indexes "two long tables, run $attempt, b" "${long}_bbbbbb" "$first" "$second"
    no_leftovers "two long tables, run $attempt"
done

# --- names the pipeline chooses: refused, nothing created ------------------------
c70=$(printf 'c%.0s' $(seq 70))
refused() { # label header expected-message-grep
    printf '%s\n%s\n' "$2" "$(sed 's/[^,]*/1/g' <<<"$2")" >refused.csv
    pipeline refused refused.csv refused replace
    "$HARMONIZE" validate refused.yaml >last.out 2>last.err
    check "$1: validate exits 2" "$?" 2
    check "$1: validate names the columns" "$(grep -c -F -e "$3" last.err)" 1
    run refused.yaml
    check "$1: run exits 2" "$?" 2
    check "$1: run names the columns" "$(grep -c -F -e "$3" last.err)" 1
    check "$1: nothing created" "$(q "SELECT count(*) FROM pg_class WHERE relname LIKE '%refused%'")" 0
}
refused "a column over 63 bytes" "id,${c70}_x" \
    "refused.yaml:6:11: error: postgresql sink 'out': column '${c70}_x' has 72 bytes, but PostgreSQL keeps only the first 63 bytes of a name"
refused "two columns the same in 63 bytes" "id,${c70}_x,${c70}_y" \
    "error: postgresql sink 'out': columns '${c70}_x' and '${c70}_y' would be one column '${c70:0:63}' in PostgreSQL, which keeps only the first 63 bytes of a name"
refused "a column that is another's first 63 bytes" "${c70:0:63},id,${c70}" \
    "error: postgresql sink 'out': columns '${c70:0:63}' and '${c70}' would be one column '${c70:0:63}' in PostgreSQL"
# Two bytes of one character across byte 63: the server keeps 62 bytes (as
# it does here), and so does the check.
check "a character across the cut: the server keeps 62 bytes" \
    "$(q "SELECT octet_length('$(printf 'c%.0s' $(seq 62))é_x'::name::text)")" 62
refused "a character across the cut" "$(printf 'c%.0s' $(seq 62))é_x,$(printf 'c%.0s' $(seq 62))é_y" \
    "would be one column '$(printf 'c%.0s' $(seq 62))' in PostgreSQL"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed; last stderr:"
    cat last.err
    exit 1
fi
echo "all postgresql name checks passed"
