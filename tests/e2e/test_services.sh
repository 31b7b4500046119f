#!/usr/bin/env bash
# End to end: the reintegration services of pipelines/key-highlights.yaml (chapter 3 of
# IOM's Return and Reintegration Key Highlights 2021) on the bundled sample feeds.
#
# The figures below are typed in from the report (chapter 3, "Reintegration overview" and
# "Reintegration assistance in host countries"; docs/services-figures.md says where each
# one is, and why 121 offices and not the foreword's 122), not taken from the sample
# generator. Each is read back from the outputs: the SQLite database and the CSV files.
# Then: every bad row and every service of an unknown case planted in the service feeds
# is in the rejects with its feed, line and reason (and the case named), nothing else of
# those feeds is, and no row is lost between the feeds and the outputs.
#
# Run from the build folder (make check does); HARMONIZE, HARMONIZE_PLUGIN_PATH and
# srcdir may point elsewhere. Exit 77 (skip) only without the sqlite3 CLI.
set -u
. "$(dirname "$0")/e2e_common.sh"
e2e_start services

# --wait: tests/e2e/test_key_highlights.sh runs the same pipeline, whose run lock refuses
# a second run at once; make check -j runs them side by side.
# Under make check-valgrind ($HARMONIZE a script running harmonize under valgrind) the
# figures are checked on harmonize's own run: test_key_highlights.sh runs this same pipeline,
# services and all, under valgrind, and a second valgrind run of it would take minutes.
if ! "${plain:-$HARMONIZE}" run -q --wait 900 "$pipeline" --set "out=$work/out" >"$work/run.out" 2>"$work/run.err"; then
    echo "FAIL harmonize run $pipeline exited with $?:"
    head -n 40 "$work/run.err"
    exit 1
fi
out=$work/out
db=$out/key-highlights.sqlite
q() { sqlite3 -batch -noheader -separator '|' "$db" "$1"; }
csvdb=$work/csv.sqlite
for t in services top_offices service_totals rejects; do
    sqlite3 -batch "$csvdb" ".import --csv $out/$t.csv $t" || fail "cannot import $t.csv"
done
qc() { sqlite3 -batch -noheader -separator '|' "$csvdb" "$1"; }
# A published table line: count|share of (dimension, value) in service_totals.
st() { q "SELECT count || '|' || share FROM service_totals WHERE dimension = '$1' AND value = '$2'"; }

# --- 113,331 reintegration services in 2021 ------------------------------------
check "services (services table)" "$(q "SELECT count(*) FROM services")" 113331
check "services (services.csv)" "$(qc "SELECT count(*) FROM services")" 113331
check "services (service_totals)" "$(st all all)" "113331|100.0"

# --- 121 country offices provided reintegration assistance ---------------------
check "offices (service_totals)" "$(q "SELECT count FROM service_totals WHERE dimension='offices' AND value='all'")" 121
check "offices (distinct in services)" "$(q "SELECT count(DISTINCT office_iso3) FROM services")" 121
check "offices (distinct in services.csv)" "$(qc "SELECT count(DISTINCT office_iso3) FROM services")" 121

# --- 28,689 pre-departure services, by 48 offices in host countries -----------
check "pre-departure services (service_totals)" "$(st stage pre_departure | cut -d'|' -f1)" 28689
check "pre-departure services (services table)" "$(q "SELECT count(*) FROM services WHERE stage='pre_departure'")" 28689
check "pre-departure offices (service_totals)" \
    "$(q "SELECT count FROM service_totals WHERE dimension='offices' AND value='pre_departure'")" 48
check "pre-departure offices (distinct in services)" \
    "$(q "SELECT count(DISTINCT office_iso3) FROM services WHERE stage='pre_departure'")" 48
check "each pre-departure service by the office of the returnee's host country" \
    "$(q "SELECT count(*) FROM services WHERE stage='pre_departure' AND office_iso3 <> returnee_host_iso3")" 0
check "each post-arrival service by the office of the returnee's country of origin" \
    "$(q "SELECT count(*) FROM services WHERE stage='post_arrival' AND office_iso3 <> returnee_origin_iso3")" 0

# --- 98.6% of pre-departure services at the individual level -------------------
check "individual share of pre-departure (service_totals)" \
    "$(q "SELECT share FROM service_totals WHERE dimension='pre_departure_level' AND value='individual'")" 98.6
check "individual share of pre-departure (services.csv)" \
    "$(qc "SELECT round(100.0 * sum(level = 'individual') / count(*), 1) FROM services WHERE stage='pre_departure'")" 98.6

# --- 61% of post-arrival services by offices in West and Central Africa --------
wca=$(q "SELECT share FROM service_totals WHERE dimension='post_arrival_office_region' AND value='West and Central Africa'")
check "West and Central Africa share of post-arrival (service_totals, rounded)" \
    "$(printf '%.0f' "$wca")" 61
check "West and Central Africa share of post-arrival (services.csv)" \
    "$(qc "SELECT round(100.0 * sum(office_region = 'West and Central Africa') / count(*))
           FROM services WHERE stage='post_arrival'")" 61.0
check "pre-departure services mostly by offices in the European Economic Area" \
    "$(q "SELECT share > 50 FROM service_totals WHERE dimension='pre_departure_office_region'
          AND value='European Economic Area'")" 1

# --- top three offices: Germany 15%, Nigeria 12%, Guinea 8% ---------------------
top3="1|Germany|15
2|Nigeria|12
3|Guinea|8"
check "top three offices with their share (top_offices table)" \
    "$(q "SELECT rank, office_country, CAST(round(share) AS INTEGER) FROM top_offices WHERE rank <= 3 ORDER BY rank")" "$top3"
check "top three offices with their share (top_offices.csv)" \
    "$(qc "SELECT rank, office_country, CAST(round(share) AS INTEGER) FROM top_offices WHERE CAST(rank AS INTEGER) <= 3
           ORDER BY CAST(rank AS INTEGER)")" "$top3"
check "top three offices, counted from the services" \
    "$(q "SELECT office_country, CAST(round(100.0 * count(*) / (SELECT count(*) FROM services)) AS INTEGER)
          FROM services GROUP BY office_country ORDER BY count(*) DESC LIMIT 3")" "Germany|15
Nigeria|12
Guinea|8"
check "the fourth office is below Guinea" \
    "$(q "SELECT (SELECT count FROM top_offices WHERE rank = 4) < (SELECT count FROM top_offices WHERE rank = 3)")" 1

# --- the tables: stages add up, CSV and SQLite agree ------------------------------
check "the two stages add up to all services" \
    "$(q "SELECT sum(count) FROM service_totals WHERE dimension='stage'")" 113331
for dim in dimension level delivery office_region; do
    check "service_totals: $dim adds up to all services" \
        "$(q "SELECT sum(count) FROM service_totals WHERE dimension='$dim'")" 113331
done
for t in services top_offices service_totals; do check_csv_table "$db" "$csvdb" "$t"; done
check "the services schema" "$(q "SELECT group_concat(name, ',') FROM pragma_table_info('services')")" \
    "service_id,case_id,office_country,office_iso3,office_region,stage,dimension,level,delivery,returnee_host_iso3,returnee_origin_iso3"
check "codes harmonized: stages, dimensions, levels, deliveries" \
    "$(q "SELECT group_concat(v, ' ') FROM (SELECT DISTINCT stage AS v FROM services UNION SELECT DISTINCT dimension
          FROM services UNION SELECT DISTINCT level FROM services UNION SELECT DISTINCT delivery FROM services ORDER BY 1)")" \
    "collective community direct economic individual post_arrival pre_departure psychosocial referral social"
check "every service linked to a returnee of the returns table" \
    "$(q "SELECT count(*) FROM services WHERE case_id NOT IN (SELECT record_id FROM returns)")" 0

# --- rejects: every planted row of the service feeds, nothing else -------------
expected=$(awk -F'\t' '!/^#/ && $1 != "feed" { print $1 "|" $2 "|" $3 }' "$samples/expected-service-rejects.tsv" | sort)
[ "$(printf '%s\n' "$expected" | wc -l)" -ge 15 ] || fail "expected-service-rejects.tsv lists too few rows"
strip_dir="replace(feed, rtrim(feed, replace(feed, '/', '')), '')"
check "rejects.csv: exactly the planted rows of the service feeds (feed|line|reason)" \
    "$(qc "SELECT $strip_dir, line, reason FROM rejects WHERE feed LIKE '%services_%'" | sort)" "$expected"
check "rejects table: exactly the planted rows of the service feeds (feed|line|reason)" \
    "$(q "SELECT $strip_dir, line, reason FROM rejects WHERE feed LIKE '%services_%'" | sort)" "$expected"
# The services of unknown cases: rejected by the join, the case named in the detail.
expected_cases=$(awk -F'\t' '!/^#/ && $3 == "unknown_case" {
        print $1 "|" $2 "|" ($4 == "" ? "case_id is empty" : "case_id '\''" $4 "'\'' is not in '\''harmonized'\''") }' \
    "$samples/expected-service-rejects.tsv" | sort)
check "each service of an unknown case is rejected by the join, naming the case" \
    "$(q "SELECT $strip_dir, line, detail FROM rejects WHERE reason = 'unknown_case' AND component = 'services'" | sort)" \
    "$expected_cases"
check "unknown cases: at least 3 unknown ids and 2 empty ones planted" \
    "$([ "$(printf '%s\n' "$expected_cases" | grep -c "is not in")" -ge 3 ] &&
       [ "$(printf '%s\n' "$expected_cases" | grep -c "is empty")" -ge 2 ] && echo yes)" yes
check "every reject of the service feeds has a detail" \
    "$(q "SELECT count(*) FROM rejects WHERE feed LIKE '%services_%' AND detail = ''")" 0

# --- nothing lost: every record of the feeds is a service or a reject --------------
records=$(($(gzip -dc "$samples/services_global.csv.gz" | wc -l) - 1 + $(grep -c '<service ' "$samples/services_guinee.xml")))
check "every record of the service feeds is a service or a reject" \
    "$(q "SELECT (SELECT count(*) FROM services) + (SELECT count(*) FROM rejects WHERE feed LIKE '%services_%')")" \
    "$records"

if [ "$failures" -ne 0 ]; then
    echo "$failures of $checks checks failed (outputs kept in $work)"
    trap - EXIT
    exit 1
fi
echo "PASS: $checks checks"
exit 0
