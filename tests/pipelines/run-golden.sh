#!/usr/bin/env bash
# Golden pipeline tests: every case is files, never code.
#
#   tests/pipelines/ok/<case>/          a pipeline that runs
#     pipeline.yaml                     run as `harmonize run pipeline.yaml` from a copy of the folder
#     args                              optional: extra arguments, one per line (e.g. --set feed=x.csv)
#     expected/exit                     optional: the exit status (default 0)
#     expected/stdout                   optional: stdout, exactly
#     expected/stderr                   optional: stderr, exactly, after normalization (below)
#     expected/stderr-contains          optional: lines that must each appear in stderr
#     expected/<path>                   every other file: compared byte for byte with <path> after
#                                       the run; <path>.dump is compared with `sqlite3 <path> .dump`
#                                       when <path> is a file and <path>.dump is not
#   Every file the run leaves in out/ must be expected: a stray temporary file fails the case.
#
#   <dir>/err/<case>.yaml               a pipeline that must be refused, where <dir> is
#                                       tests/pipelines or tests/plugins/<plugin>
#     <case>.expected                   stderr, exactly after normalization, of `harmonize validate <case>.yaml` and of
#                                       `harmonize run <case>.yaml`, run from a copy of the err folder
#     <case>.run.expected               optional: stderr of `run` when it differs from validate's
#     <case>.exit                       optional: the exit status (default 2); "V R" when validate
#                                       and run differ
#     <case>.args                       optional: extra arguments, one per line
#   `run` of an err case must leave the folder exactly as it was (nothing written).
#
# Normalization of stderr: the time in "harmonize: ran|FAILED '...' in 0.01 s" becomes "in #.## s",
# a run id (20261205T115741Z-6521) becomes RUN_ID, and the absolute path of the case's copy becomes "." (then "./x" is written "x").
#
# Output is TAP, one line per case.  Usage (from the build folder; make check does this):
#   run-golden.sh [ok | err | CASE...]     CASE: ok/<name>, err/<name>, plugins/csv/err/<name>,
#                                          or a path to a case folder or .yaml
# Environment: srcdir (the source tree's top, default: from this script's place), HARMONIZE (the
# binary, default ./harmonize), HARMONIZE_PLUGIN_PATH (default ./plugins/.libs), HARMONIZE_WRAPPER
# (a command prefix, e.g. valgrind), HZ_TEST_TMPDIR (default ./tests/tmp), HZ_TEST_TIMEOUT
# (seconds per run, default 120), HZ_KEEP=1 keeps the copies of passing cases too,
# HZ_GOLDEN_UPDATE=1 writes what validate (and run, where it has its own file) printed into the
# err cases' expected files, for a message changed on purpose (check the result with git diff).
set -u
export LC_ALL=C

builddir=$(pwd)
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${srcdir:-$here/../..}" && pwd)
tests=$top_srcdir/tests
HARMONIZE=${HARMONIZE:-$builddir/harmonize}
case $HARMONIZE in /*) ;; *) HARMONIZE=$builddir/$HARMONIZE ;; esac
export HARMONIZE_PLUGIN_PATH=${HARMONIZE_PLUGIN_PATH:-$builddir/plugins/.libs}
read -r -a wrapper <<<"${HARMONIZE_WRAPPER:-}"
timeout_s=${HZ_TEST_TIMEOUT:-120}
tmproot=${HZ_TEST_TMPDIR:-$builddir/tests/tmp}

if [ ! -x "$HARMONIZE" ]; then
    echo "1..0 # SKIP $HARMONIZE is not built"
    exit 0
fi
mkdir -p "$tmproot" || exit 99
tmp=$(mktemp -d "$tmproot/golden.XXXXXX") || exit 99

# --- which cases ----------------------------------------------------------
ok_cases=() err_cases=()
add_all_ok() {
    local d
    for d in "$tests"/pipelines/ok/*/; do
        [ -f "$d/pipeline.yaml" ] && ok_cases+=("${d%/}")
    done
}
add_all_err() {
    local f
    for f in "$tests"/pipelines/err/*.yaml "$tests"/plugins/*/err/*.yaml; do
        [ -f "$f" ] && err_cases+=("$f")
    done
}
if [ $# -eq 0 ]; then
    add_all_ok
    add_all_err
fi
for arg in "$@"; do
    case $arg in
    ok) add_all_ok ;;
    err) add_all_err ;;
    *)
        p=$arg
        [ -e "$p" ] || [ -e "$p.yaml" ] || p=$tests/pipelines/$arg
        [ -e "$p" ] || [ -e "$p.yaml" ] || p=$tests/$arg
        [ -e "$p" ] || p=$p.yaml
        if [ -d "$p" ] && [ -f "$p/pipeline.yaml" ]; then
            ok_cases+=("$(cd "$p" && pwd)")
        elif [ -f "$p" ] && [ "${p%.yaml}" != "$p" ]; then
            err_cases+=("$(cd "$(dirname "$p")" && pwd)/$(basename "$p")")
        else
            echo "Bail out! no golden case '$arg'"
            exit 99
        fi
        ;;
    esac
done

total=$((${#ok_cases[@]} + ${#err_cases[@]}))
echo "1..$total"
n=0 failed=0

# --- helpers -------------------------------------------------------------
diag() { sed -e 's/^/# /' -e 's/[[:space:]]*$//' | head -n 80; }

# Run harmonize in the current folder: $1 stdout file, $2 stderr file, then its arguments.
# Sets $status.
run_hz() {
    local out=$1 err=$2
    shift 2
    timeout -k 5 "$timeout_s" "${wrapper[@]}" "$HARMONIZE" "$@" </dev/null >"$out" 2>"$err"
    status=$?
    if [ "$status" -eq 124 ]; then
        echo "harmonize did not finish within $timeout_s s (HZ_TEST_TIMEOUT)" >>"$err"
    fi
}

# stderr as compared: the run time and the copy's absolute path taken out.
normalize() { # file work-dir
    sed -e "s|$2/||g" -e "s|$2|.|g" \
        -e "s/^\(harmonize: \(ran\|FAILED\) .* in \)[0-9][0-9.]* s$/\1#.## s/" \
        -e "s/[0-9]\{8\}T[0-9]\{6\}Z-[0-9][0-9]*/RUN_ID/g" "$1"
}

read_args() { # file -> args array (one argument per line; blank lines and #-comments skipped)
    args=()
    [ -f "$1" ] || return 0
    local line
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in '' | '#'*) continue ;; esac
        args+=("$line")
    done <"$1"
}

# Copy a folder (the source tree may be read-only: make distcheck).
copy_tree() { # from to
    mkdir -p "$2" && cp -R "$1"/. "$2"/ && chmod -R u+w "$2"
}

# Compare one expected file with what the run left: prints the problem, returns 1.
compare_file() { # expected actual label
    local exp=$1 act=$2 rel=$3
    if [ ! -e "$act" ] && [ "${act%.dump}" != "$act" ] && [ -f "${act%.dump}" ]; then
        if ! command -v sqlite3 >/dev/null 2>&1; then
            echo "SKIP: sqlite3 is needed to dump ${rel%.dump}"
            return 2
        fi
        sqlite3 "${act%.dump}" .dump >"$tmp/dump" 2>&1
        act=$tmp/dump
    fi
    if [ ! -e "$act" ]; then
        echo "missing output: $rel"
        return 1
    fi
    if ! cmp -s "$exp" "$act"; then
        echo "differs: $rel (--- expected, +++ actual)"
        diff -u "$exp" "$act" | tail -n +3
        return 1
    fi
    return 0
}

report() { # ok|not-ok label [directive]; diagnostics on stdin for not ok
    n=$((n + 1))
    if [ "$1" = ok ]; then
        echo "ok $n - $2${3:+ # $3}"
    else
        failed=$((failed + 1))
        echo "not ok $n - $2"
        diag
    fi
}

# --- a case that runs ---------------------------------------------------------
run_ok_case() {
    local case_dir=$1 name
    name=ok/$(basename "$case_dir")
    local work=$tmp/$name
    local problems=$tmp/${name//\//_}.problems
    : >"$problems"
    mkdir -p "$work" || return
    # Everything but expected/ (and stray outputs of a run in the source tree).
    local item
    for item in "$case_dir"/* "$case_dir"/.[!.]*; do
        [ -e "$item" ] || continue
        case $(basename "$item") in expected) continue ;; esac
        cp -R "$item" "$work"/
    done
    chmod -R u+w "$work"
    read_args "$case_dir/args"
    local exp=$case_dir/expected
    local so=$tmp/$(basename "$case_dir").stdout se=$tmp/$(basename "$case_dir").stderr
    (cd "$work" && run_hz "$so" "$se" run pipeline.yaml "${args[@]+"${args[@]}"}" && exit "$status")
    local st=$? want=0
    [ -f "$exp/exit" ] && want=$(tr -d '[:space:]' <"$exp/exit")
    if [ "$st" != "$want" ]; then
        {
            echo "exit status $st, expected $want; stderr:"
            head -n 40 "$se"
        } >>"$problems"
    fi
    if [ -f "$exp/stdout" ] && ! cmp -s "$exp/stdout" "$so"; then
        {
            echo "stdout differs (--- expected, +++ actual)"
            diff -u "$exp/stdout" "$so" | tail -n +3
        } >>"$problems"
    fi
    if [ -f "$exp/stderr" ]; then
        normalize "$se" "$work" >"$se.norm"
        normalize "$exp/stderr" "$work" >"$se.want"
        if ! cmp -s "$se.want" "$se.norm"; then
            {
                echo "stderr differs (--- expected, +++ actual)"
                diff -u "$se.want" "$se.norm" | tail -n +3
            } >>"$problems"
        fi
    fi
    if [ -f "$exp/stderr-contains" ]; then
        normalize "$se" "$work" >"$se.norm"
        local line
        while IFS= read -r line || [ -n "$line" ]; do
            [ -z "$line" ] && continue
            if ! grep -qF -- "$line" "$se.norm"; then
                {
                    echo "stderr lacks: $line"
                    echo "stderr was:"
                    head -n 40 "$se.norm"
                } >>"$problems"
            fi
        done <"$exp/stderr-contains"
    fi
    local skip=
    if [ -d "$exp" ]; then
        local rel rc
        while IFS= read -r rel; do
            case $rel in exit | stdout | stderr | stderr-contains) continue ;; esac
            compare_file "$exp/$rel" "$work/$rel" "$rel" >>"$problems.file"
            rc=$?
            if [ $rc -eq 2 ]; then
                skip=$(cat "$problems.file")
                : >"$problems.file"
            elif [ $rc -ne 0 ]; then
                cat "$problems.file" >>"$problems"
            fi
            : >"$problems.file"
        done < <(cd "$exp" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort)
    fi
    # Nothing in out/ that is not expected (a temporary file left behind, a journal).
    if [ -d "$work/out" ]; then
        while IFS= read -r rel; do
            # The manifest holds times and hashes: it is checked for what it says, not byte
            # for byte (tests/publish/test_manifest.tap checks its content).
            if [ "${rel##*/}" = manifest.json ] && [ ! -e "$exp/$rel" ]; then
                grep -q '"status": "published"' "$work/$rel" || echo "$rel does not say the run published"
                continue
            fi
            [ -e "$exp/$rel" ] || [ -e "$exp/$rel.dump" ] || echo "unexpected file left by the run: $rel"
        done < <(cd "$work" && find out ! -type d | sort) >>"$problems"
    fi
    if [ -s "$problems" ]; then
        echo "(the run's folder is kept: $work)" >>"$problems"
        report not-ok "$name" <"$problems"
    else
        report ok "$name" "${skip:+SKIP $skip}"
        [ -n "${HZ_KEEP:-}" ] || rm -rf "$work" "$so" "$se" "$se".*
    fi
    rm -f "$problems" "$problems.file"
}

# --- a case that must be refused --------------------------------------------------
# The err folder is copied once; every case runs from the copy, as `harmonize validate <case>.yaml`.
declare -A err_copy=()
run_err_case() {
    local yaml=$1 dir base label
    dir=$(dirname "$yaml")
    base=$(basename "$yaml" .yaml)
    label=${dir#"$tests"/}
    label=${label#pipelines/}/$base
    if [ -z "${err_copy[$dir]:-}" ]; then
        err_copy[$dir]=$tmp/err-copy-${#err_copy[@]}
        copy_tree "$dir" "${err_copy[$dir]}"
    fi
    local work=${err_copy[$dir]}
    local problems=$tmp/${base}.problems
    : >"$problems"
    if [ ! -f "$dir/$base.expected" ]; then
        echo "no $base.expected next to $base.yaml" >"$problems"
        report not-ok "$label" <"$problems"
        rm -f "$problems"
        return
    fi
    read_args "$dir/$base.args"
    local want_v=2 want_r=2
    if [ -f "$dir/$base.exit" ]; then
        read -r want_v want_r <"$dir/$base.exit"
        want_r=${want_r:-$want_v}
    fi
    local cmd want expected
    # Under valgrind only `run`, which makes every check validate makes before it refuses:
    # a second process under valgrind per case would double this suite's time for no new
    # code path (validate's own output is compared in the plain and sanitizer passes).
    local cmds="validate run"
    grep -q valgrind "$HARMONIZE" 2>/dev/null && cmds=run
    for cmd in $cmds; do
        want=$want_v expected=$dir/$base.expected
        if [ $cmd = run ]; then
            want=$want_r
            [ -f "$dir/$base.run.expected" ] && expected=$dir/$base.run.expected
            (cd "$work" && find . | sort) >"$tmp/$base.before"
        fi
        (cd "$work" && run_hz "$tmp/$base.$cmd.out" "$tmp/$base.$cmd.err" $cmd "$base.yaml" "${args[@]+"${args[@]}"}" &&
            exit "$status")
        local st=$?
        if [ "$st" != "$want" ]; then
            {
                echo "$cmd: exit status $st, expected $want; stderr:"
                head -n 40 "$tmp/$base.$cmd.err"
            } >>"$problems"
        fi
        # a feed's resolved path holds the copy's folder: normalized
        normalize "$tmp/$base.$cmd.err" "$work" >"$tmp/$base.$cmd.err.norm"
        # HZ_GOLDEN_UPDATE=1: a message was reworded on purpose; review with git diff.
        if [ -n "${HZ_GOLDEN_UPDATE:-}" ] && ! cmp -s "$expected" "$tmp/$base.$cmd.err.norm" &&
            { [ $cmd = validate ] || [ "$expected" = "$dir/$base.run.expected" ]; }; then
            cp "$tmp/$base.$cmd.err.norm" "$expected"
        fi
        if ! cmp -s "$expected" "$tmp/$base.$cmd.err.norm"; then
            {
                echo "$cmd: stderr differs from $(basename "$expected") (--- expected, +++ actual)"
                diff -u "$expected" "$tmp/$base.$cmd.err.norm" | tail -n +3
            } >>"$problems"
        fi
        if [ -s "$tmp/$base.$cmd.out" ] && [ "$st" != 0 ]; then
            {
                echo "$cmd: unexpected stdout:"
                head -n 10 "$tmp/$base.$cmd.out"
            } >>"$problems"
        fi
        if [ $cmd = run ]; then
            (cd "$work" && find . | sort) >"$tmp/$base.after"
            if ! cmp -s "$tmp/$base.before" "$tmp/$base.after"; then
                {
                    echo "run: a refused pipeline changed its folder (+ new, - gone):"
                    diff "$tmp/$base.before" "$tmp/$base.after" | grep '^[<>]' | sed 's/^</-/;s/^>/+/'
                } >>"$problems"
                # Leave the copy clean for the next case.
                rm -rf "$work" && copy_tree "$dir" "$work"
            fi
        fi
    done
    if [ -s "$problems" ]; then
        report not-ok "$label" <"$problems"
    else
        report ok "$label"
    fi
    rm -f "$problems" "$tmp/$base".*
}

for c in "${ok_cases[@]+"${ok_cases[@]}"}"; do run_ok_case "$c"; done
for c in "${err_cases[@]+"${err_cases[@]}"}"; do run_err_case "$c"; done

if [ "$failed" -eq 0 ] && [ -z "${HZ_KEEP:-}" ]; then
    rm -rf "$tmp"
else
    echo "# $failed of $total failed; copies of the failed cases are in $tmp"
fi
exit 0
