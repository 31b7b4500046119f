#!/usr/bin/env bash
# bench/key-highlights.sh [SCALE] [RUNS] [SMALL]: the whole key-highlights pipeline
# (pipelines/key-highlights.yaml) on the sample feeds scaled up, against DuckDB doing the
# same work in SQL (bench/kh_duckdb_read.sql, bench/kh_duckdb.sql) with 1 thread and with
# its default threads, in the same run, interleaved; medians, ratios, peak RSS; then
# harmonize's peak RSS at a smaller scale, for the bytes per merge key.
#
#   SCALE  scale factor of scripts/gen-samples.py (default 21: 1.05 million returns records,
#          2.38 million service records)
#   RUNS   timed runs per tool (default 5)
#   SMALL  the smaller scale for the memory comparison (default SCALE/4, at least 1)
#
# Untimed set-up (DuckDB is spared it; see bench/README.md): the XML and KEY=VALUE feeds
# become CSV (bench/kh_feeds2csv.py); every host and origin spelling of the feeds, and
# every office spelling of the service feeds, is looked up once with `harmonize country`
# into a table DuckDB joins on.
#
# Environment (all optional): HARMONIZE, HARMONIZE_PLUGIN_PATH, WORK (default bench/.work),
# TOOLS (default "harmonize duckdb-1t duckdb"), SETUP=0 (do not npm install),
# DUCKDB_NODE_API_VERSION.
set -euo pipefail

SCALE=${1:-21}
RUNS=${2:-5}
SMALL=${3:-$((SCALE / 4 > 0 ? SCALE / 4 : 1))}
case $SCALE$RUNS$SMALL in *[!0-9]*) echo "usage: bench/key-highlights.sh [SCALE] [RUNS] [SMALL]" >&2; exit 2 ;; esac

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$BENCH/.." && pwd)
WORK=${WORK:-$BENCH/.work}
TOOLS=${TOOLS:-harmonize duckdb-1t duckdb}
DUCKDB_NODE_API_VERSION=${DUCKDB_NODE_API_VERSION:-1.5.6-r.1}
NODE_TOOLS=$BENCH/.tools
TIME=/usr/bin/time
PY=/usr/bin/python3

say() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------- set-up
if [ "${SETUP:-1}" != 0 ] && ! grep -qs "\"version\": \"$DUCKDB_NODE_API_VERSION\"" \
    "$NODE_TOOLS/node_modules/@duckdb/node-api/package.json"; then
    say "key-highlights.sh: npm install @duckdb/node-api@$DUCKDB_NODE_API_VERSION into bench/.tools"
    mkdir -p "$NODE_TOOLS"
    [ -f "$NODE_TOOLS/package.json" ] || echo '{"private": true}' >"$NODE_TOOLS/package.json"
    npm install --prefix "$NODE_TOOLS" --no-audit --no-fund "@duckdb/node-api@$DUCKDB_NODE_API_VERSION" >&2
fi
if [ -z "${HARMONIZE:-}" ]; then
    HARMONIZE=$TOP/harmonize
    [ -x "$HARMONIZE" ] || HARMONIZE=$TOP/core/harmonize
fi
[ -x "$HARMONIZE" ] || { say "key-highlights.sh: build harmonize first"; exit 1; }
if [ -z "${HARMONIZE_PLUGIN_PATH:-}" ]; then
    HARMONIZE_PLUGIN_PATH=$(find "$TOP/plugins" -name '*.so' -path '*/.libs/*' -printf '%h\n' | sort -u | paste -sd:)
fi
export HARMONIZE_PLUGIN_PATH
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

samples() { # SCALE: generate the feeds once per generator version and scale; print the folder
    local dir=$WORK/kh-$1 stamp
    stamp="$(cksum <"$TOP/scripts/gen-samples.py") scale=$1"
    if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
        say "key-highlights.sh: generating the samples at scale $1 into $dir"
        rm -rf "$dir" && mkdir -p "$dir"
        "$PY" "$TOP/scripts/gen-samples.py" --out "$dir" --scale "$1" >&2
        printf '%s\n' "$stamp" >"$dir/.stamp"
    fi
    printf '%s\n' "$dir"
}

prepare() { # SAMPLES PREP: the untimed renditions for DuckDB
    local samples=$1 prep=$2 office
    mkdir -p "$prep"
    "$PY" "$BENCH/kh_feeds2csv.py" "$samples" "$prep"
    node "$BENCH/kh_duckdb.mjs" spellings "$samples" "$prep" >"$prep/spellings.tsv"
    {
        printf 'office\tspelling\tiso3\tname\tregion\trule\n'
        for office in $(cut -f1 "$prep/spellings.tsv" | sort -u); do
            # Each office resolves its names as its `country` step does (Germany with its aliases).
            local args=(country --kosovo separate --names iom)
            [ "$office" != germany ] || args+=(--aliases "$TOP/pipelines/aliases/germany.tsv")
            awk -F'\t' -v o="$office" '$1 == o { print $2 }' "$prep/spellings.tsv" >"$prep/in.txt"
            "$HARMONIZE" "${args[@]}" <"$prep/in.txt" | cut -f2- >"$prep/out.txt"
            [ "$(wc -l <"$prep/in.txt")" = "$(wc -l <"$prep/out.txt")" ] ||
                { say "key-highlights.sh: harmonize country gave a different line count"; exit 1; }
            paste "$prep/in.txt" "$prep/out.txt" | awk -v o="$office" '{ print o "\t" $0 }'
        done
    } >"$prep/countries.csv"
    rm -f "$prep/in.txt" "$prep/out.txt"
}

set_cmd() { # TOOL SAMPLES PREP OUT
    case $1 in
    harmonize) CMD=("$HARMONIZE" run "$TOP/pipelines/key-highlights.yaml" --set "samples=$2" --set "out=$4"
        --set "max_rejects=100000000") ;;
    duckdb-1t) CMD=(node "$BENCH/kh_duckdb.mjs" run "$2" "$3" "$4" 1) ;;
    duckdb) CMD=(node "$BENCH/kh_duckdb.mjs" run "$2" "$3" "$4" default) ;;
    *) say "key-highlights.sh: unknown tool $1"; exit 2 ;;
    esac
}

SAMPLES=$(samples "$SCALE")
PREP=$WORK/kh-prep-$SCALE
say "key-highlights.sh: untimed set-up for DuckDB (XML and KEY=VALUE to CSV, country lookup table)"
prepare "$SAMPLES" "$PREP"
FEED_ROWS=$(cat "$PREP/vhr_libya.csv" "$PREP/avrr_greece.csv" | grep -vc '^record_id,')
for f in vhr_yemen.csv avrr_germany.csv avrr_niger.csv avrr_global.csv; do
    # records, not lines: the global feed's notes run over several lines
    n=$("$PY" -c 'import csv, sys
print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="latin-1", newline=""), delimiter=sys.argv[2])) - 1)' \
        "$SAMPLES/$f" "$([ "$f" = avrr_germany.csv ] && echo ';' || echo ',')")
    FEED_ROWS=$((FEED_ROWS + n))
done
# The service feeds: one record a line in both (the gzip CSV, and one <service> a line in the XML).
SERVICE_ROWS=$(($(gzip -dc "$SAMPLES/services_global.csv.gz" | wc -l) - 1 + $(grep -c '<service ' "$SAMPLES/services_guinee.xml")))
# Bytes on disk of every feed the pipeline reads (the gzip one compressed).
INPUT_BYTES=$(cat "$SAMPLES"/*.csv "$SAMPLES"/*.csv.gz "$SAMPLES"/*.xml "$SAMPLES"/*.txt | wc -c)
cat "$SAMPLES"/* "$PREP"/* >/dev/null # warm the page cache

# ---------------------------------------------------------------- the timed runs
RESULTS=$WORK/kh-results-$SCALE.tsv
printf 'round\ttool\twall_s\tpeak_rss_kb\tuser_s\tsys_s\tstatus\n' >"$RESULTS"
say "key-highlights.sh: scale $SCALE, $FEED_ROWS return records, $SERVICE_ROWS service records, $INPUT_BYTES bytes; $RUNS runs each of: $TOOLS"
for ((round = 1; round <= RUNS; round++)); do
    for t in $TOOLS; do
        out=$WORK/kh-out.$t
        rm -rf "$out" && mkdir -p "$out"
        sync
        set_cmd "$t" "$SAMPLES" "$PREP" "$out"
        status=ok
        $TIME -f '%e %M %U %S' -o "$WORK/kh-time" "${CMD[@]}" >"$WORK/kh-log.$t" 2>&1 </dev/null || status=failed
        read -r wall rss usr sys <"$WORK/kh-time"
        [ "$status" = ok ] || { say "key-highlights.sh: $t failed:"; tail -n 5 "$WORK/kh-log.$t" >&2; }
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$t" "$wall" "$rss" "$usr" "$sys" "$status" >>"$RESULTS"
        say "$(printf 'round %d/%d  %-10s %8s s  %8.1f MB  %s' "$round" "$RUNS" "$t" "$wall" \
            "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$status")"
    done
done

# ---------------------------------------------------------------- same results?
# Counts of every table, harmonize against each DuckDB run's output (the last round's).
# Known difference: DuckDB's CSV reader accepts a quote inside an unquoted field, which
# harmonize rejects as malformed_row; the generator plants such rows (expected-rejects.tsv),
# so DuckDB must count exactly that many more returns, all AVRR.
counts() { # DIR TABLE: "key,count" lines, sorted (the share columns left out)
    "$PY" - "$1/$2.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
for r in rows:
    key = [v for k, v in r.items() if k not in ("count", "share", "rank")]
    print(",".join(key + [r["count"]]))
EOF
}
lenient=$(grep -c 'a quote inside an unquoted field' "$SAMPLES/expected-rejects.tsv" || true)
CHECK=$WORK/kh-check-$SCALE.txt
: >"$CHECK"
h=$WORK/kh-out.harmonize
for t in $TOOLS; do
    [ "$t" != harmonize ] || continue
    d=$WORK/kh-out.$t
    for table in totals flows top_hosts top_origins; do
        if diff <(counts "$h" "$table" | sort) <(counts "$d" "$table" | sort) >"$WORK/kh-diff" 2>&1; then
            echo "$t $table: identical counts" >>"$CHECK"
        else
            echo "$t $table: $(grep -c '^>' "$WORK/kh-diff") rows differ (full diff: $WORK/kh-diff.$t.$table)" >>"$CHECK"
            mv "$WORK/kh-diff" "$WORK/kh-diff.$t.$table"
        fi
    done
    # Every returnee the same, but for the planted lenient rows?
    comm -3 <(cut -d, -f1 "$h/returns.csv" | sort) <(cut -d, -f1 "$d/returns.csv" | sort) |
        tr -d '\t' | sort >"$WORK/kh-ids"
    grep 'a quote inside an unquoted field' "$SAMPLES/expected-rejects.tsv" | cut -f4 | sort >"$WORK/kh-lenient"
    if cmp -s "$WORK/kh-ids" "$WORK/kh-lenient"; then
        echo "$t record_ids: the same returnees but the $lenient lenient rows" >>"$CHECK"
    else
        echo "$t record_ids: DIFFER beyond the lenient rows ($(wc -l <"$WORK/kh-ids") ids in one only)" >>"$CHECK"
    fi
    hall=$(grep '^all,all,' "$h/totals.csv" | cut -d, -f3)
    dall=$(grep '^all,all,' "$d/totals.csv" | cut -d, -f3)
    echo "$t returns: harmonize $hall, $t $dall; difference $((dall - hall)), rows with a quote inside an unquoted field planted: $lenient" >>"$CHECK"
    # The services (chapter 3): the same rows, top offices and totals (shares too), the
    # planted rejects; and each database holds as many rows as its CSV file.
    "$PY" "$BENCH/kh_check_services.py" "$h" "$d" "$SAMPLES" "$t" >>"$CHECK" || true
    tables=(services top_offices service_totals)
    hdb=$(for table in "${tables[@]}"; do
        printf '%s\t%s\n' "$table" "$("$PY" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM " + sys.argv[2]).fetchone()[0])' \
            "$h/key-highlights.sqlite" "$table")"
    done)
    ddb=$(node "$BENCH/kh_duckdb.mjs" counts "$d" "${tables[@]}" 2>&1) || true
    if [ "$hdb" = "$ddb" ]; then
        echo "$t databases: the same row counts in ${tables[*]} ($(echo "$hdb" | cut -f2 | paste -sd' '))" >>"$CHECK"
    else
        echo "$t databases: DIFFERENT row counts: harmonize $(echo "$hdb" | paste -sd' '), $t $(echo "$ddb" | paste -sd' ')" >>"$CHECK"
    fi
done

# ---------------------------------------------------------------- memory against scale
# harmonize once more at the small scale: peak RSS there and at SCALE, over the merge keys
# (rows the merge kept) at each, gives the bytes per key.
merge_keys() { # LOG: rows out of the merge component 'returns'
    awk '$1 == "returns" && $2 == "transform" && $3 == "merge" { print $5 }' "$1"
}
SMALL_SAMPLES=$(samples "$SMALL")
out=$WORK/kh-out.small
rm -rf "$out" && mkdir -p "$out"
set_cmd harmonize "$SMALL_SAMPLES" - "$out"
$TIME -f '%e %M %U %S' -o "$WORK/kh-time" "${CMD[@]}" >"$WORK/kh-log.small" 2>&1 </dev/null
read -r _ small_rss _ _ <"$WORK/kh-time"
small_keys=$(merge_keys "$WORK/kh-log.small")
big_keys=$(merge_keys "$WORK/kh-log.harmonize")

# ---------------------------------------------------------------- the table
stats() { # TOOL: "median min max median_rss_kb median_cpu_s ok_runs"
    awk -F'\t' -v t="$1" '
        function median(a, n,   i, j, x) {
            for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        NR > 1 && $2 == t && $7 == "ok" { n++; w[n] = $3; r[n] = $4; c[n] = $5 + $6 }
        END {
            if (!n) { print "- - - - - 0"; exit }
            min = max = w[1]; for (i = 2; i <= n; i++) { if (w[i] < min) min = w[i]; if (w[i] > max) max = w[i] }
            printf "%.2f %.2f %.2f %.0f %.2f %d\n", median(w, n), min, max, median(r, n), median(c, n), n
        }' "$RESULTS"
}
{
echo
echo "key-highlights pipeline, scale $SCALE: $FEED_ROWS return records and $SERVICE_ROWS service records ($(awk -v b="$INPUT_BYTES" 'BEGIN { printf "%.0f MB", b / 1e6 }') on disk), $RUNS runs each, medians; $(nproc) CPUs"
best=
for t in duckdb-1t duckdb; do
    m=$(stats "$t" | cut -d' ' -f1)
    [ "$m" != - ] || continue
    if [ -z "$best" ] || awk -v a="$m" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$m; fi
done
printf '%-10s %9s %8s %8s %9s %10s %8s\n' tool "median s" "min s" "max s" "x best db" "RSS MB" "cpu s"
for t in $TOOLS; do
    read -r med min max rss cpu n <<<"$(stats "$t")"
    ratio=$(awk -v a="$med" -v b="${best:-0}" 'BEGIN { if (b > 0 && a != "-") printf "%.2f", a / b; else print "-" }')
    printf '%-10s %9s %8s %8s %9s %10s %8s%s\n' "$t" "$med" "$min" "$max" "$ratio" \
        "$(awk -v k="$rss" 'BEGIN { if (k == "-") print "-"; else printf "%.1f", k / 1024 }')" "$cpu" \
        "$([ "$n" = "$RUNS" ] || echo "  ($n of $RUNS runs ok)")"
done
echo
big_rss=$(stats harmonize | cut -d' ' -f4)
echo "harmonize peak RSS: scale $SMALL: $(awk -v k="$small_rss" 'BEGIN { printf "%.1f MB", k / 1024 }') ($small_keys merge keys);" \
    "scale $SCALE: $(awk -v k="$big_rss" 'BEGIN { printf "%.1f MB", k / 1024 }') ($big_keys merge keys)"
awk -v a="$small_rss" -v b="$big_rss" -v ka="$small_keys" -v kb="$big_keys" 'BEGIN {
    if (kb > ka) printf "growth: %.0f bytes per merge key ((RSS difference) / (key difference))\n", (b - a) * 1024 / (kb - ka) }'
echo
cat "$CHECK"
echo "raw timings: $RESULTS"
} | tee "$WORK/kh-summary-$SCALE.txt"
