#!/usr/bin/env bash
# bench/run.sh [ROWS] [RUNS]: time a CSV -> CSV copy of a synthetic case file with the
# libcsv floor, harmonize (plain and with three no-op transforms), Miller, DuckDB and
# pandas, in the same run, interleaved; print medians, ratios to the floor and peak RSS.
#
#   ROWS  rows of the generated case file (default 10000000, about 1.5 GB wide)
#   RUNS  timed runs per tool (default 5)
#
# Environment (all optional):
#   SHAPE                  wide (default: 16 columns, about 150 bytes a row), narrow (9 short
#                          columns, about 88 bytes a row), or both ("wide narrow", the same
#                          as "both"): each shape is a file of ROWS rows timed on its own,
#                          against the same floor program; with several shapes a last table
#                          gives every shape's ratios to its floor
#   HARMONIZE              the harmonize binary (default: ./harmonize, else ./core/harmonize)
#   HARMONIZE_PLUGIN_PATH  its plugin folders (default: every plugins/**/.libs holding a .so)
#   HARMONIZE_FSYNC        true|false, the sink's fsync option (default false: no other tool syncs)
#   TOOLS                  tools to run, in this order, separated by spaces or commas
#                          (default: all of them, see below)
#   WORK                   scratch folder (default bench/.work; needs about 3x the input size)
#   SEED                   generator seed (default 20211231)
#   SETUP=0                skip installing missing tools
#   DUCKDB_NODE_API_VERSION  npm version of @duckdb/node-api (default pinned below)
set -euo pipefail

ROWS=${1:-10000000}
RUNS=${2:-5}
case $ROWS$RUNS in *[!0-9]*) echo "usage: bench/run.sh [ROWS] [RUNS]" >&2; exit 2 ;; esac
[ "$RUNS" -ge 1 ] || { echo "run.sh: RUNS must be at least 1" >&2; exit 2; }

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$BENCH/.." && pwd)
WORK=${WORK:-$BENCH/.work}
SEED=${SEED:-20211231}
TOOLS=${TOOLS:-floor harmonize harmonize-3t harmonize-country mlr duckdb-1t duckdb pandas}
TOOLS=${TOOLS//,/ }
SHAPE=${SHAPE:-wide}
SHAPE=${SHAPE//,/ }
[ "$SHAPE" = both ] && SHAPE="wide narrow"
for shape in $SHAPE; do
    case $shape in wide | narrow) ;; *) echo "run.sh: SHAPE must be wide, narrow or both, not '$shape'" >&2; exit 2 ;; esac
done
HARMONIZE_FSYNC=${HARMONIZE_FSYNC:-false}
DUCKDB_NODE_API_VERSION=${DUCKDB_NODE_API_VERSION:-1.5.6-r.1}
NODE_TOOLS=$BENCH/.tools
PY=/usr/bin/python3 # Debian's python (python3-pandas); a pyenv python3 on PATH has no pandas
TIME=/usr/bin/time  # GNU time: %e wall seconds, %M peak RSS in KB

say() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------- set-up
apt_install() { # PACKAGE...: install what is missing, if we may
    [ "$#" -gt 0 ] || return 0
    local sudo=
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
            say "run.sh: missing packages: $* (no root, no sudo: install them yourself)"
            return 0
        fi
    fi
    say "run.sh: installing $*"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2 ||
        { $sudo apt-get update >&2 && $sudo env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y --no-install-recommends "$@" >&2; } ||
        say "run.sh: could not install $*"
}

wants() { case " $TOOLS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

if [ "${SETUP:-1}" != 0 ]; then
    pkgs=()
    [ -x "$TIME" ] || pkgs+=(time)
    command -v cc >/dev/null 2>&1 || pkgs+=(gcc libc6-dev)
    [ -f /usr/include/csv.h ] || pkgs+=(libcsv-dev)
    if wants mlr; then command -v mlr >/dev/null 2>&1 || pkgs+=(miller); fi
    if wants duckdb || wants duckdb-1t; then
        command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
        command -v npm >/dev/null 2>&1 || pkgs+=(npm)
    fi
    if wants pandas; then "$PY" -c 'import pandas' 2>/dev/null || pkgs+=(python3-pandas); fi
    apt_install "${pkgs[@]}"

    if { wants duckdb || wants duckdb-1t; } && command -v npm >/dev/null 2>&1 &&
        ! grep -qs "\"version\": \"$DUCKDB_NODE_API_VERSION\"" \
            "$NODE_TOOLS/node_modules/@duckdb/node-api/package.json"; then
        # @duckdb/node-api ships the DuckDB library inside its platform package
        # (@duckdb/node-bindings-linux-x64): nothing is downloaded at install time.
        say "run.sh: npm install @duckdb/node-api@$DUCKDB_NODE_API_VERSION into bench/.tools"
        mkdir -p "$NODE_TOOLS"
        [ -f "$NODE_TOOLS/package.json" ] || echo '{"private": true}' >"$NODE_TOOLS/package.json"
        npm install --prefix "$NODE_TOOLS" --no-audit --no-fund \
            "@duckdb/node-api@$DUCKDB_NODE_API_VERSION" >&2 || say "run.sh: npm install failed"
    fi
fi

# ---------------------------------------------------------------- build
mkdir -p "$WORK/bin"
WORK=$(cd "$WORK" && pwd)
CFLAGS_BENCH=(-std=c11 -O2 -Wall -Wextra -Werror)
cc "${CFLAGS_BENCH[@]}" -o "$WORK/bin/gen_cases" "$BENCH/gen_cases.c"
cc "${CFLAGS_BENCH[@]}" -o "$WORK/bin/floor" "$BENCH/floor.c" -lcsv

# ---------------------------------------------------------------- the tools
if [ -z "${HARMONIZE:-}" ]; then
    HARMONIZE=$TOP/harmonize
    [ -x "$HARMONIZE" ] || HARMONIZE=$TOP/core/harmonize
fi
if [ -z "${HARMONIZE_PLUGIN_PATH:-}" ] && [ -d "$TOP/plugins" ]; then
    HARMONIZE_PLUGIN_PATH=$(find "$TOP/plugins" -name '*.so' -path '*/.libs/*' -printf '%h\n' | sort -u | paste -sd:)
fi
export HARMONIZE_PLUGIN_PATH

missing() { # TOOL: why it cannot run on this shape, or nothing
    case $1 in
    floor) ;;
    harmonize | harmonize-3t | harmonize-country)
        [ -x "$HARMONIZE" ] || { echo "not built"; return; }
        [ -n "$HARMONIZE_PLUGIN_PATH" ] || { echo "no plugins built"; return; }
        # the country step rewrites the *_iso3 and *_region columns the narrow file lacks
        if [ "$1" = harmonize-country ] && [ "$CUR_SHAPE" != wide ]; then echo "wide shape only"; fi ;;
    mlr) command -v mlr >/dev/null 2>&1 || echo "not installed" ;;
    duckdb | duckdb-1t)
        command -v node >/dev/null 2>&1 || { echo "no node"; return; }
        [ -f "$NODE_TOOLS/node_modules/@duckdb/node-api/package.json" ] || echo "not installed" ;;
    pandas) "$PY" -c 'import pandas' 2>/dev/null || echo "not installed" ;;
    *) echo "unknown tool" ;;
    esac
}

set_cmd() { # TOOL OUTPUT: CMD=(the copy), STDOUT=where its standard output goes
    local tool=$1 out=$2 copy3=$BENCH/copy3.yaml
    [ "$CUR_SHAPE" = wide ] || copy3=$BENCH/copy3-$CUR_SHAPE.yaml
    STDOUT=$WORK/log.$tool
    case $tool in
    floor) CMD=("$WORK/bin/floor" "$IN" "$out") ;;
    harmonize) CMD=("$HARMONIZE" run "$BENCH/copy.yaml" --quiet
        --set "input=$IN" --set "output=$out" --set "fsync=$HARMONIZE_FSYNC") ;;
    harmonize-3t) CMD=("$HARMONIZE" run "$copy3" --quiet
        --set "input=$IN" --set "output=$out" --set "fsync=$HARMONIZE_FSYNC") ;;
    harmonize-country) CMD=("$HARMONIZE" run "$BENCH/copy_country.yaml" --quiet
        --set "input=$IN" --set "output=$out" --set "fsync=$HARMONIZE_FSYNC") ;;
    mlr) CMD=(mlr --csv cat "$IN") STDOUT=$out ;;
    duckdb-1t) CMD=(node "$BENCH/duckdb_copy.mjs" "$IN" "$out" 1) ;;
    duckdb) CMD=(node "$BENCH/duckdb_copy.mjs" "$IN" "$out" default) ;;
    pandas) CMD=("$PY" "$BENCH/pandas_copy.py" "$IN" "$out") ;;
    esac
}

stats() { # TOOL: "median min max median_rss_kb median_cpu_s ok_runs" over successful runs
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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b > 0) printf "%.2f", a / b; else print "-" }'; }

# ---------------------------------------------------------------- one shape
# bench_shape SHAPE: generate (or reuse) the shape's input, run every tool on it RUNS
# times, interleaved, print and save its table; SHAPE_LINE[SHAPE] keeps its ratios.
declare -A SHAPE_LINE
bench_shape() {
    CUR_SHAPE=$1
    local prefix=cases suffix=$ROWS genargs=() bytes_per_row=160
    if [ "$CUR_SHAPE" = narrow ]; then
        prefix=narrow suffix=narrow-$ROWS genargs=(--shape narrow) bytes_per_row=95
    fi
    IN=$WORK/$prefix-$ROWS.csv
    local stamp need avail IN_BYTES
    stamp="$(cksum <"$BENCH/gen_cases.c") shape=$CUR_SHAPE seed=$SEED rows=$ROWS"
    if [ -f "$IN" ] && [ "$(cat "$IN.stamp" 2>/dev/null)" = "$stamp" ]; then
        say "run.sh: reusing $IN"
    else
        rm -f "$WORK"/"$prefix"-*.csv "$WORK"/"$prefix"-*.csv.stamp "$WORK"/out.*
        need=$((ROWS * bytes_per_row * 3 / 1024))
        avail=$(df -Pk "$WORK" | awk 'NR == 2 { print $4 }')
        if [ "$avail" -lt "$need" ]; then
            say "run.sh: $WORK has $((avail / 1024)) MB free, about $((need / 1024)) MB needed"
            exit 1
        fi
        say "run.sh: generating $ROWS $CUR_SHAPE rows into $IN"
        "$WORK/bin/gen_cases" "${genargs[@]}" "$ROWS" "$IN.tmp" "$SEED"
        mv "$IN.tmp" "$IN"
        printf '%s\n' "$stamp" >"$IN.stamp"
    fi
    IN_BYTES=$(stat -c %s "$IN")

    local RUN=() t why
    SKIP=() VERDICT=()
    for t in $TOOLS; do
        why=$(missing "$t")
        if [ -n "$why" ]; then SKIP[$t]=$why; else RUN+=("$t"); fi
    done
    case " ${RUN[*]} " in *" floor "*) ;; *) say "run.sh: the floor must be among TOOLS"; exit 2 ;; esac

    RESULTS=$WORK/results-$suffix.tsv
    printf 'round\ttool\twall_s\tpeak_rss_kb\tuser_s\tsys_s\tstatus\n' >"$RESULTS"
    rm -f "$WORK"/log.*

    say "run.sh: $CUR_SHAPE shape, $ROWS rows, $IN_BYTES bytes, $RUNS runs each of: ${RUN[*]}"
    say "run.sh: harmonize = $HARMONIZE, HARMONIZE_PLUGIN_PATH = ${HARMONIZE_PLUGIN_PATH:-}"
    cat "$IN" >/dev/null # warm the page cache: every tool reads the input from memory

    # Interleaved (floor, harmonize, ..., floor, harmonize, ...) so that drift of a shared
    # machine hits every tool alike. Untimed between runs: delete the output and sync, so
    # no tool pays for the write-back of the one before.
    local round out tf status wall rss usr sys
    for ((round = 1; round <= RUNS; round++)); do
        for t in "${RUN[@]}"; do
            out=$WORK/out.$t.csv
            rm -f "$out"
            sync
            tf=$WORK/time.$t
            status=ok
            set_cmd "$t" "$out"
            if ! $TIME -f '%e %M %U %S' -o "$tf" "${CMD[@]}" >>"$STDOUT" 2>>"$WORK/log.$t" </dev/null; then
                status=failed
            fi
            read -r wall rss usr sys <"$tf" || true
            if [ "$status" != ok ]; then
                say "run.sh: $t failed (round $round), see $WORK/log.$t:"
                tail -n 5 "$WORK/log.$t" >&2
            fi
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$t" "$wall" "$rss" "$usr" "$sys" "$status" >>"$RESULTS"
            say "$(printf 'round %d/%d  %-13s %8s s  %8.1f MB  %s' "$round" "$RUNS" "$t" "$wall" \
                "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$status")"
            if [ "$round" = 1 ] && [ "$t" != floor ]; then
                if [ "$status" != ok ]; then
                    VERDICT[$t]="failed"
                elif cmp -s "$out" "$WORK/out.floor.csv"; then
                    VERDICT[$t]="identical"
                else
                    VERDICT[$t]="differs"
                fi
            fi
            if [ "$round" = 1 ] && [ "$t" = floor ]; then
                if cmp -s "$out" "$IN"; then VERDICT[floor]="= input"; else VERDICT[floor]="differs from input"; fi
            else
                rm -f "$out"
            fi
        done
        rm -f "$WORK/out.floor.csv"
    done
    rm -f "$WORK"/out.* "$WORK"/time.*

    {
    local floor_med floor_cpu med min max rss cpu n ratio cpuratio rssmb note
    floor_med=$(stats floor | cut -d' ' -f1)
    floor_cpu=$(stats floor | cut -d' ' -f5)
    echo
    echo "CSV copy of $ROWS rows, $CUR_SHAPE shape ($(awk -v b="$IN_BYTES" -v r="$ROWS" 'BEGIN { printf "%.0f MB, %.1f bytes a row", b / 1e6, (r > 0 ? b / r : 0) }')), $RUNS runs each, medians; $(nproc) CPUs"
    printf '%-17s %9s %8s %8s %9s %10s %8s %9s  %s\n' tool "median s" "min s" "max s" "x floor" "RSS MB" "cpu s" "cpu x fl" "output"
    for t in $TOOLS; do
        if [ -n "${SKIP[$t]:-}" ]; then
            printf '%-17s %9s %8s %8s %9s %10s %8s %9s  %s\n' "$t" - - - - - - - "${SKIP[$t]}"
            continue
        fi
        read -r med min max rss cpu n <<<"$(stats "$t")"
        if [ "$n" = 0 ]; then
            printf '%-17s %9s %8s %8s %9s %10s %8s %9s  %s\n' "$t" - - - - - - - "failed"
            continue
        fi
        ratio=$(ratio "$med" "$floor_med")
        cpuratio=$(ratio "$cpu" "$floor_cpu")
        rssmb=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')
        note=${VERDICT[$t]:-}
        [ "$t" = floor ] || note="${note:+$note to floor}"
        [ "$n" = "$RUNS" ] || note="$note ($n of $RUNS runs ok)"
        printf '%-17s %9s %8s %8s %9s %10s %8s %9s  %s\n' "$t" "$med" "$min" "$max" "$ratio" "$rssmb" "$cpu" "$cpuratio" "$note"
    done

    local h h3 hc c c3 cc
    h=$(stats harmonize | cut -d' ' -f1)
    h3=$(stats harmonize-3t | cut -d' ' -f1)
    if [ "$h" != - ] && [ "$h3" != - ] && [ -n "$h" ] && [ -n "$h3" ]; then
        echo
        c=$(stats harmonize | cut -d' ' -f5)
        c3=$(stats harmonize-3t | cut -d' ' -f5)
        awk -v a="$h3" -v b="$h" -v c3="$c3" -v c="$c" 'BEGIN {
            printf "3 transforms / plain harmonize: %.2f (median wall), %.2f (median cpu)\n", a / b, (c > 0 ? c3 / c : 0) }'
    fi
    hc=$(stats harmonize-country | cut -d' ' -f1)
    if [ "$h" != - ] && [ "$hc" != - ] && [ -n "$h" ] && [ -n "$hc" ]; then
        c=$(stats harmonize | cut -d' ' -f5)
        cc=$(stats harmonize-country | cut -d' ' -f5)
        awk -v a="$hc" -v b="$h" -v cc="$cc" -v c="$c" 'BEGIN {
            printf "country step on 2 columns / plain harmonize: %.2f (median wall), %.2f (median cpu)\n", a / b, (c > 0 ? cc / c : 0) }'
    fi
    if [ -n "${VERDICT[harmonize]:-}" ]; then
        echo "harmonize output byte-identical to the floor's: $([ "${VERDICT[harmonize]}" = identical ] && echo yes || echo NO)"
    fi
    echo "raw timings: $RESULTS"
    } | tee "$WORK/summary-$suffix.txt"

    # this shape's line of the last table: every harmonize variant's ratios to the floor
    local line="" v
    for t in harmonize harmonize-3t harmonize-country; do
        if [ -n "${SKIP[$t]:-}" ] || ! wants "$t"; then continue; fi
        v=$(stats "$t")
        line="$line $t $(ratio "$(echo "$v" | cut -d' ' -f1)" "$(stats floor | cut -d' ' -f1)")"
        line="$line $(ratio "$(echo "$v" | cut -d' ' -f5)" "$(stats floor | cut -d' ' -f5)") ${VERDICT[$t]:-failed}"
    done
    SHAPE_LINE[$CUR_SHAPE]="$(awk -v b="$IN_BYTES" -v r="$ROWS" 'BEGIN { printf "%.1f", (r > 0 ? b / r : 0) }')$line"
}

declare -A SKIP VERDICT
for shape in $SHAPE; do bench_shape "$shape"; done

# ---------------------------------------------------------------- every shape
read -ra shapes <<<"$SHAPE"
if [ "${#shapes[@]}" -gt 1 ]; then
    {
    echo
    echo "Ratios to the floor by shape ($ROWS rows each, $RUNS runs each, medians of the runs above)"
    printf '%-7s %9s  %-18s %8s %8s  %s\n' shape "bytes/row" tool "x floor" "cpu x fl" "output"
    for shape in "${shapes[@]}"; do
        read -ra fields <<<"${SHAPE_LINE[$shape]}"
        set -- "${fields[@]}"
        bpr=$1
        shift
        while [ "$#" -ge 4 ]; do
            printf '%-7s %9s  %-18s %8s %8s  %s\n' "$shape" "$bpr" "$1" "$2" "$3" "$4 to floor"
            shift 4
        done
    done
    } | tee "$WORK/summary-shapes-$ROWS.txt"
fi
