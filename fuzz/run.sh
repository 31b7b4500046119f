#!/usr/bin/env bash
# Run the libFuzzer targets that `make fuzz` built, one after the other.
#
#   fuzz/run.sh [-b BUILDDIR] [-w WORKDIR] [-s SECONDS] [TARGET...] [-- LIBFUZZER-OPTION...]
#
# BUILDDIR is the clang build (default fuzz/_build/build); WORKDIR (default fuzz/_build) gets
# per target a working corpus (corpus/TARGET: what libFuzzer adds to the seeds of
# fuzz/corpus/TARGET and fuzz/regress/TARGET, which it only reads), findings
# (artifacts/TARGET/crash-*, leak-*, timeout-*, oom-*) and the log (logs/TARGET.log).
# TARGETs: pipeline csv_source xml_source options rows xls_source (default: all), each for SECONDS (60).
# Prints one line per target: time, executions, executions per second, result.
# Exits 1 if a target found something.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
build=$src/fuzz/_build/build
work=$src/fuzz/_build
seconds=60
usage() {
    sed -n '4p' "$0" | sed 's/^# *//' >&2
    exit 2
}
while getopts b:w:s:h opt; do
    case $opt in
    b) build=$OPTARG ;;
    w) work=$OPTARG ;;
    s) seconds=$OPTARG ;;
    *) usage ;;
    esac
done
shift $((OPTIND - 1))
targets=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do targets+=("$1"); shift; done
[ $# -gt 0 ] && shift
extra=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pipeline csv_source xml_source options rows xls_source)

# Longest input per target: a pipeline or an option mapping is short; CSV and XML inputs get
# room for several records (fuzz_csv_source can also put them after a 64 KiB block).
max_len() {
    case $1 in
    pipeline) echo 4096 ;;
    options) echo 2048 ;;
    *) echo 8192 ;;
    esac
}
dict_of() {
    case $1 in
    options) echo "$src/fuzz/dict/pipeline.dict" ;;
    *) echo "$src/fuzz/dict/$1.dict" ;;
    esac
}

export HARMONIZE_PLUGIN_PATH=$build/plugins/.libs
export HARMONIZE_NO_DLCLOSE=1 # stacks in plugin code stay readable
export ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# leaks inside libraries harmonize does not own, each with its reason (FreeXL's on a corrupt
# workbook): the same list as make check-asan's
export LSAN_OPTIONS=suppressions=$src/tests/lsan.supp

found=0
printf '%-11s %8s %12s %9s  %s\n' target seconds executions exec/s result
for t in "${targets[@]}"; do
    bin=$build/fuzz/fuzz_$t
    if [ ! -x "$bin" ]; then
        echo "run.sh: no $bin (make fuzz builds it)" >&2
        exit 2
    fi
    mkdir -p "$work/corpus/$t" "$work/artifacts/$t" "$work/logs"
    seeds=("$src/fuzz/corpus/$t")
    [ -d "$src/fuzz/regress/$t" ] && seeds+=("$src/fuzz/regress/$t")
    dict=$(dict_of "$t")
    options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$t")"
        -close_fd_mask=3 -print_final_stats=1 -artifact_prefix="$work/artifacts/$t/")
    [ -f "$dict" ] && options+=(-dict="$dict")
    log=$work/logs/$t.log
    start=$(date +%s)
    "$bin" "${options[@]}" ${extra[@]+"${extra[@]}"} "$work/corpus/$t" "${seeds[@]}" </dev/null >"$log" 2>&1
    status=$?
    elapsed=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    if [ "$status" -eq 0 ]; then
        result=ok
    else
        found=1
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        result="FOUND (exit $status): ${artifact:-see $log}"
    fi
    printf '%-11s %8s %12s %9s  %s\n' "$t" "$elapsed" "${execs:-?}" "${rate:-?}" "$result"
done
exit $found
