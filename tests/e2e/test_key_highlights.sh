#!/usr/bin/env bash
# End to end: pipelines/key-highlights.yaml on the bundled sample feeds must
# publish the figures of IOM's Return and Reintegration Key Highlights 2021.
#
# The figures below are typed in from the report (chapters 1 and 2; see
# docs/key-highlights-figures.md for where each one is and how the places
# where the report contradicts itself were settled), not taken from the
# sample generator. Every one is read back from the pipeline's outputs: the
# SQLite database, and the CSV files, which must hold the same tables.
# Then: every bad row planted in the feeds is in the rejects (file and
# table) with its feed, line and reason, and nothing else is; every planted
# duplicate is reported once, and nothing else is; no name or phone number
# of the feeds appears in any output file; a second run writes the same
# bytes.
#
# Run from the build folder (make check does); HARMONIZE, HARMONIZE_PLUGIN_PATH
# and srcdir may point elsewhere. Exit 77 (skip) only without the sqlite3 CLI.
set -u
. "$(dirname "$0")/e2e_common.sh"
e2e_start e2e

# --- run it twice ---------------------------------------------------------
# Under make check-valgrind, $HARMONIZE is a script running harmonize under valgrind: the
# first run is checked for memory errors, the second only shows that the same input gives
# the same bytes, which valgrind adds nothing to, so it runs harmonize itself (a valgrind
# run of this pipeline takes minutes).
# --wait: other tests (tests/e2e/test_services.sh, tests/report) run the same pipeline,
# whose run lock refuses a second run at once; make check -j runs them side by side.
for run in run1 run2; do
    binary=$HARMONIZE
    [ $run = run2 ] && [ -n "$plain" ] && binary=$plain
    if ! "$binary" run -q --wait 900 "$pipeline" --set "out=$work/$run" >"$work/$run.out" 2>"$work/$run.err"; then
        echo "FAIL harmonize run $pipeline exited with $?:"
        head -n 40 "$work/$run.err"
        exit 1
    fi
done
out=$work/run1
db=$out/key-highlights.sqlite
q() { sqlite3 -batch -noheader -separator '|' "$db" "$1"; }

# The CSV outputs, loaded into a scratch database for comparison (.import
# --csv reads RFC 4180, quoted fields and all).
csvdb=$work/csv.sqlite
for t in returns flows top_hosts top_origins totals rejects duplicates; do
    sqlite3 -batch "$csvdb" ".import --csv $out/$t.csv $t" || fail "cannot import $t.csv"
done
qc() { sqlite3 -batch -noheader -separator '|' "$csvdb" "$1"; }

# --- chapter 1: totals ------------------------------------------------------
check "returnees (returns table)" "$(q "SELECT count(*) FROM returns")" 49795
check "returnees (totals table)" "$(q "SELECT count FROM totals WHERE dimension='all'")" 49795
check "returnees (returns.csv)" "$(qc "SELECT count(*) FROM returns")" 49795
check "returns by type" "$(q "SELECT value, count FROM totals WHERE dimension='return_type' ORDER BY value")" \
    "AVRR|43428
VHR|6367"
check "VHR from Libya and Yemen only" \
    "$(q "SELECT host_country, count(*) FROM returns WHERE return_type='VHR' GROUP BY 1 ORDER BY 1")" \
    "Libya|4332
Yemen|2035"
check "no AVRR from Libya or Yemen" \
    "$(q "SELECT count(*) FROM returns WHERE return_type='AVRR' AND host_iso3 IN ('LBY','YEM')")" 0
check "host countries, countries of origin, both" \
    "$(q "SELECT value, count FROM totals WHERE dimension='countries' AND value<>'host_or_origin_only'
          ORDER BY value")" \
    "host|125
host_and_origin|120
origin|150"
check "host and origin counts agree with the returns table" \
    "$(q "SELECT (SELECT count(DISTINCT host_iso3) FROM returns), (SELECT count(DISTINCT origin_iso3) FROM returns),
                 (SELECT count(*) FROM (SELECT host_iso3 FROM returns INTERSECT SELECT origin_iso3 FROM returns))")" \
    "125|150|120"
check "migrants in vulnerable situations" \
    "$(q "SELECT sum(count) FROM totals WHERE dimension='vulnerability' AND value<>'none'")" 4446
for dim in return_type sex age_group vulnerability host_region origin_region; do
    check "totals by $dim add up to 49,795" "$(q "SELECT sum(count) FROM totals WHERE dimension='$dim'")" 49795
done

# --- top 10 host countries and countries of origin ------------------------
top_hosts="1|Niger (the)|10573
2|Germany|6785
3|Libya|4332
4|Greece|2736
5|Morocco|2372
6|Yemen|2035
7|Algeria|1972
8|Türkiye|1748
9|Belgium|1665
10|Netherlands (the)|1485"
top_origins="1|Guinea|5165
2|Mali|4453
3|Ethiopia|3934
4|Nigeria|3322
5|Pakistan|2197
6|Iraq|1886
7|Sierra Leone|1793
8|Côte d'Ivoire|1759
9|Georgia|1758
10|Bangladesh|1328"
check "top 10 host countries (table)" "$(q "SELECT rank, host_country, count FROM top_hosts ORDER BY rank")" \
    "$top_hosts"
check "top 10 countries of origin (table)" \
    "$(q "SELECT rank, origin_country, count FROM top_origins ORDER BY rank")" "$top_origins"
# The CSV files, read with awk: no field of these two holds a comma or quote.
check "top 10 host countries (top_hosts.csv)" \
    "$(awk -F, 'NR == 1 && $1 != "rank" { print "bad header: " $0 } NR > 1 { print $1 "|" $2 "|" $4 }' \
        "$out/top_hosts.csv")" "$top_hosts"
check "top 10 countries of origin (top_origins.csv)" \
    "$(awk -F, 'NR == 1 && $1 != "rank" { print "bad header: " $0 } NR > 1 { print $1 "|" $2 "|" $4 }' \
        "$out/top_origins.csv")" "$top_origins"
# The workbook, read back with Python's zipfile and xml.etree: one sheet per published
# table, in the order of the sink's inputs, each with the same cells as its CSV file:
# ranks, counts and shares as numbers, names, codes and regions as text.
check "key-highlights.xlsx holds top_hosts, top_origins, flows, totals, top_offices and service_totals, one sheet each, cell by cell" \
    "$(python3 "$top_srcdir/tests/plugins/workbook/check_xlsx.py" "$out/key-highlights.xlsx" \
        "Top hosts=$out/top_hosts.csv:nssnn" "Top origins=$out/top_origins.csv:nssnn" \
        "Region flows=$out/flows.csv:ssnn" "Totals=$out/totals.csv:ssnn" \
        "Top offices=$out/top_offices.csv:nssnn" "Service totals=$out/service_totals.csv:ssnn" 2>&1)" ok

# --- chapter 2: the host region x region of origin matrix ------------------
AP="Asia and the Pacific"
CNAC="Central and North America and the Caribbean"
EHA="East and Horn of Africa"
EEA="European Economic Area"
MENA="Middle East and North Africa"
SA="South America"
SEE="South-Eastern Europe, Eastern Europe and Central Asia"
SAF="Southern Africa"
WCA="West and Central Africa"
# "Returns from <host region>" tables, every printed cell. Where the
# "returns to" tables print another number the value that adds up to the
# printed totals is used (docs/key-highlights-figures.md): MENA->AP 1,269,
# SEE->MENA 426, WCA->EHA 313.
flows="$AP|$AP|543
$AP|$CNAC|59
$AP|$WCA|42
$AP|$EHA|36
$AP|$MENA|35
$AP|$SAF|16
$AP|$SA|10
$AP|$EEA|10
$AP|$SEE|2
$CNAC|$CNAC|688
$CNAC|$SA|34
$CNAC|$AP|14
$CNAC|$EHA|4
$CNAC|$MENA|2
$EHA|$EHA|1678
$EHA|$WCA|339
$EHA|$AP|43
$EHA|$SAF|25
$EHA|$EEA|11
$EHA|$CNAC|4
$EEA|$SEE|7496
$EEA|$AP|3796
$EEA|$MENA|2244
$EEA|$SA|1135
$EEA|$CNAC|816
$EEA|$WCA|815
$EEA|$EEA|356
$EEA|$EHA|249
$EEA|$SAF|86
$MENA|$WCA|8035
$MENA|$EHA|2676
$MENA|$AP|1269
$MENA|$MENA|311
$MENA|$SAF|254
$MENA|$SEE|29
$MENA|$SA|6
$MENA|$CNAC|6
$MENA|$EEA|2
$SA|$CNAC|10
$SA|$EEA|5
$SA|$SA|1
$SA|$EHA|1
$SEE|$AP|1912
$SEE|$MENA|426
$SEE|$SEE|291
$SEE|$WCA|70
$SEE|$SAF|24
$SEE|$CNAC|17
$SEE|$EHA|10
$SEE|$EEA|4
$SEE|$SA|3
$SAF|$EHA|328
$SAF|$SAF|281
$SAF|$WCA|7
$SAF|$CNAC|1
$SAF|$AP|1
$WCA|$WCA|12835
$WCA|$EHA|313
$WCA|$AP|36
$WCA|$SAF|30
$WCA|$CNAC|11
$WCA|$MENA|1
$WCA|$EEA|1"
while IFS='|' read -r h o n; do
    check "flow $h -> $o" "$(q "SELECT count FROM flows WHERE host_region='$h' AND origin_region='$o'")" "$n"
done <<<"$flows"
check "the flow table has the 63 published cells and no other" "$(q "SELECT count(*) FROM flows")" 63
check "flows.csv holds the flow table" \
    "$(qc "SELECT host_region, origin_region, count FROM flows ORDER BY 1, 2")" \
    "$(q "SELECT host_region, origin_region, count FROM flows ORDER BY 1, 2")"
# Row totals ("Total" under each "returns from" table).
host_totals="$AP|753
$CNAC|742
$EHA|2100
$EEA|16993
$MENA|12588
$SA|17
$SEE|2757
$SAF|618
$WCA|13227"
check "returns from each host region" \
    "$(q "SELECT value, count FROM totals WHERE dimension='host_region' ORDER BY value")" "$host_totals"
check "flow rows add up to the host region totals" \
    "$(q "SELECT host_region, sum(count) FROM flows GROUP BY 1 ORDER BY 1")" "$host_totals"
# Column totals ("Total" under each "returns to" table). Two of them cannot
# hold with a matrix whose rows add up to 49,795: 7,641 to Asia and the
# Pacific and 3,039 to the Middle East and North Africa add up only with the
# "returns to" cells, whose sum is 49,842. They are 7,614 and 3,019 here.
check "returns to each region of origin" \
    "$(q "SELECT value, count FROM totals WHERE dimension='origin_region' ORDER BY value")" \
    "$AP|7614
$CNAC|1612
$EHA|5295
$EEA|389
$MENA|3019
$SA|1189
$SEE|7818
$SAF|716
$WCA|22143"
# Shares of the caseload, printed as whole percentages in chapter 1 that add
# up to 100: rounded by largest remainder (plain rounding would print 44% for
# West and Central Africa, 22,143 of 49,795).
shares() { # dimension -> value|percent lines
    q "SELECT value, count FROM totals WHERE dimension='$1' ORDER BY value" | awk -F'|' '
        { v[NR] = $1; c[NR] = $2; t += $2 }
        END {
            for (i = 1; i <= NR; i++) { f[i] = int(c[i] * 100 / t); r[i] = c[i] * 100 - f[i] * t; s += f[i] }
            for (; s < 100; s++) {
                b = 0
                for (i = 1; i <= NR; i++) if (!u[i] && (b == 0 || r[i] > r[b])) b = i
                u[b] = 1; f[b]++
            }
            for (i = 1; i <= NR; i++) print v[i] "|" f[i]
        }'
}
check "host region shares (%)" "$(shares host_region)" \
    "$AP|2
$CNAC|1
$EHA|4
$EEA|34
$MENA|25
$SA|0
$SEE|6
$SAF|1
$WCA|27"
check "region of origin shares (%)" "$(shares origin_region)" \
    "$AP|15
$CNAC|3
$EHA|11
$EEA|1
$MENA|6
$SA|2
$SEE|16
$SAF|1
$WCA|45"

# --- chapter 2: children and vulnerability, by region -----------------------
pct() { # label where expected: whole-percent share of children among the rows matching `where`
    check "$1" "$(q "SELECT CAST(round(100.0 * sum(age_group='child') / count(*)) AS INTEGER) FROM returns
                     WHERE $2")" "$3"
}
pct "children among returns from Asia and the Pacific (%)" "host_region='$AP'" 17
pct "children among returns from $SEE (%)" "host_region='$SEE'" 21
pct "children among returns to East and Horn of Africa (%)" "origin_region='$EHA'" 21
vuln() { # label where: whole-percent shares of the vulnerability types among the vulnerable
    q "SELECT vulnerability, CAST(round(100.0 * count(*) / (SELECT count(*) FROM returns WHERE $2
              AND vulnerability<>'none')) AS INTEGER)
       FROM returns WHERE $2 AND vulnerability<>'none' GROUP BY 1 ORDER BY 1"
}
check "vulnerability types among returns from $SEE (%)" "$(vuln x "host_region='$SEE'")" \
    "health_related_needs|17
unaccompanied_or_separated_child|35
victim_of_trafficking|48"
check "vulnerability types among returns to East and Horn of Africa (%)" "$(vuln x "origin_region='$EHA'")" \
    "health_related_needs|14
unaccompanied_or_separated_child|13
victim_of_trafficking|73"
check "vulnerability types among returns to $SEE (%)" "$(vuln x "origin_region='$SEE'")" \
    "health_related_needs|91
unaccompanied_or_separated_child|2
victim_of_trafficking|7"
check "migrants in vulnerable situations returned to $SEE" \
    "$(q "SELECT count(*) FROM returns WHERE origin_region='$SEE' AND vulnerability<>'none'")" 866
check "unaccompanied or separated children are children" \
    "$(q "SELECT count(*) FROM returns WHERE vulnerability='unaccompanied_or_separated_child'
          AND age_group<>'child'")" 0

# --- the CSV files hold the database's tables --------------------------------
for t in returns totals top_hosts top_origins flows; do check_csv_table "$db" "$csvdb" "$t"; done
check "the harmonized schema" "$(q "SELECT group_concat(name, ',') FROM pragma_table_info('returns')")" \
    "record_id,return_type,source,departure_date,year,host_country,host_iso3,host_region,origin_country,origin_iso3,origin_region,sex,age,age_group,vulnerability"

# --- rejects: every planted bad row, with feed, line and reason; nothing else
# (The service feeds of chapter 3 write to the same rejects: their planted rows are listed
# apart, in expected-service-rejects.tsv; tests/e2e/test_services.sh checks them in detail.)
expected_rejects=$(awk -F'\t' '!/^#/ && $1 != "feed" { print $1 "|" $2 "|" $3 }' "$samples/expected-rejects.tsv" \
    "$samples/expected-service-rejects.tsv" | sort)
[ "$(printf '%s\n' "$expected_rejects" | wc -l)" -ge 30 ] || fail "expected-rejects.tsv lists too few bad rows"
strip_dir="replace(feed, rtrim(feed, replace(feed, '/', '')), '')" # the file name of a feed path
check "rejects.csv: exactly the planted bad rows (feed|line|reason)" \
    "$(qc "SELECT $strip_dir, line, reason FROM rejects" | sort)" "$expected_rejects"
check "rejects table: exactly the planted bad rows (feed|line|reason)" \
    "$(q "SELECT $strip_dir, line, reason FROM rejects" | sort)" "$expected_rejects"
check "every reject has a detail" "$(q "SELECT count(*) FROM rejects WHERE detail = ''")" 0

# --- duplicates: each planted one reported once, nothing else ---------------
expected_dups=$(awk -F'\t' '!/^#/ && $1 != "record_id" { print $1 "|" $2 "|" $3 "|" $4 "|" $5 "|" $6 }' \
    "$samples/expected-duplicates.tsv" | sort)
[ "$(printf '%s\n' "$expected_dups" | wc -l)" -ge 100 ] || fail "expected-duplicates.tsv lists too few duplicates"
check "duplicates.csv: each planted duplicate once (key|kept feed|line|dropped feed|line|agrees)" \
    "$(qc "SELECT record_id, replace(kept_feed, rtrim(kept_feed, replace(kept_feed, '/', '')), ''), kept_line,
                  replace(dropped_feed, rtrim(dropped_feed, replace(dropped_feed, '/', '')), ''), dropped_line,
                  agrees FROM duplicates" | sort)" "$expected_dups"
check "a case exported by a VHR office and the global AVRR export counts as VHR" \
    "$(q "SELECT count(*) FROM returns WHERE return_type <> 'VHR' AND (record_id LIKE 'LY%' OR record_id LIKE 'YE%')")" 0

# --- no personal data in any output -------------------------------------------
# Names and phone numbers as the feeds hold them: the global export's
# columns (read with sqlite3's RFC 4180 reader: notes span lines), the XML
# <name> elements and the KEY=VALUE export's NAME and PHONE lines.
pii=$work/pii.txt
rawdb=$work/raw.sqlite
# (its one row with a field too many is reported on stderr and read anyway)
sqlite3 -batch "$rawdb" ".import --csv $samples/avrr_global.csv raw" 2>/dev/null || fail "cannot read avrr_global.csv"
{
    sqlite3 -batch -noheader "$rawdb" "SELECT full_name FROM raw WHERE full_name <> '' UNION
                                       SELECT phone FROM raw WHERE phone <> ''"
    sed -n 's/.*<name>\([^<]*\)<\/name>.*/\1/p' "$samples/vhr_libya.xml"
    sed -n 's/^\(NAME\|PHONE\)=//p' "$samples/avrr_greece.txt"
} | sort -u >"$pii"
npii=$(wc -l <"$pii")
[ "$npii" -ge 1000 ] || fail "only $npii names and phone numbers found in the feeds: the extraction is broken"
# Every member of a workbook, uncompressed (grep would find nothing in the zip).
unpacked() {
    case $1 in
    *.xlsx) python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for name in z.namelist(): sys.stdout.buffer.write(z.read(name))' "$1" ;;
    *) cat "$1" ;;
    esac
}
for f in "$out"/*; do
    # The database's text is UTF-8 as stored, so grep finds it in the file.
    hits=$(unpacked "$f" | grep -a -o -F -f "$pii" | sort -u | head -n 5)
    check "no name or phone number of the feeds in $(basename "$f")" "$hits" ""
done
check "every output file was searched" "$(ls "$out" | sort | tr '\n' ' ')" \
    "duplicates.csv flows.csv key-highlights.html key-highlights.sqlite key-highlights.xlsx manifest.json rejects.csv returns.csv service_totals.csv services.csv top_hosts.csv top_offices.csv top_origins.csv totals.csv "

# --- the same input gives the same bytes (the manifest aside: it has times) ---
for f in "$out"/*; do
    [ "$(basename "$f")" = manifest.json ] && continue
    if cmp -s "$f" "$work/run2/$(basename "$f")"; then pass; else fail "second run: $(basename "$f") differs"; fi
done

if [ "$failures" -ne 0 ]; then
    echo "$failures of $checks checks failed (outputs kept in $work)"
    trap - EXIT
    exit 1
fi
echo "PASS: $checks checks"
exit 0
