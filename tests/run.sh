#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run) and as the README tells you to:
#
#   tests/run.sh            build, then the documented commands (tests/docs/run.sh), make check,
#                           make lint, make check-asan, make check-valgrind
#   tests/run.sh --quick    build, then the documented commands, make check and make lint only
#
# First it installs what is missing of the build and test packages
# (scripts/install-deps.sh --test: cmocka, valgrind, the PostgreSQL server,
# cppcheck, ...), so it works right after setup.sh, which installs only what
# building and running need.
#
# Run from the top of the source tree (configured or not).  Ends with one line
# "N passed, N failed, N skipped" over every test of every suite, and exits non-zero
# if a build or a test failed.  Each suite's full log: test-suite*.log.
set -uo pipefail
umask 022 # plugins and their folders must not be group-writable (core/plugin_file.c)
cd "$(dirname "$0")/.." || exit 2
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
quick=
[ "${1:-}" = --quick ] && quick=1

step() { printf '\n== %s\n' "$*"; }

step "test tools (scripts/install-deps.sh --test)"
scripts/install-deps.sh --test || exit 2

step "build"
if [ ! -x configure ]; then autoreconf -fi || exit 2; fi
if [ ! -f Makefile ]; then ./configure -q || exit 2; fi
make -j"$jobs" >/dev/null || { make 2>&1 | tail -40; echo "0 passed, 1 failed (the build)"; exit 1; }

passed=0 failed=0 skipped=0 broken=()
# One suite: make TARGET, then its test-suite log's counts.
suite() { # label target log [jobs]
    local label=$1 target=$2 log=$3 suite_jobs=${4:-$jobs}
    step "$label (make $target)"
    local start=$SECONDS
    make -j"$suite_jobs" "$target" >"tests/run-$target.out" 2>&1
    local st=$?
    grep -E '^(FAIL|ERROR|XPASS):' "tests/run-$target.out" | head -40
    local p=0 f=0 s=0
    if [ -f "$log" ]; then
        p=$(sed -n 's/^# PASS: *//p' "tests/run-$target.out" | tail -1)
        f=$(sed -n 's/^# FAIL: *//p' "tests/run-$target.out" | tail -1)
        local e x
        e=$(sed -n 's/^# ERROR: *//p' "tests/run-$target.out" | tail -1)
        x=$(sed -n 's/^# XPASS: *//p' "tests/run-$target.out" | tail -1)
        s=$(sed -n 's/^# SKIP: *//p' "tests/run-$target.out" | tail -1)
        p=${p:-0} f=$((${f:-0} + ${e:-0} + ${x:-0})) s=${s:-0}
    fi
    if [ $st -ne 0 ] && [ "$f" -eq 0 ]; then
        # A build failure (no test ran to fail): show its end.
        tail -40 "tests/run-$target.out"
        f=1
    fi
    echo "$label: $p passed, $f failed, $s skipped ($((SECONDS - start)) s)"
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
    [ "$f" -eq 0 ] || broken+=("$label")
}

# The README's and docs' commands, in a copy of the tree as ./setup.sh leaves it: run
# first, while the tree holds nothing a test left behind.
step "documented commands (tests/docs/run.sh)"
start=$SECONDS
tests/docs/run.sh >tests/run-docs.out 2>&1
st=$?
p=$(grep -c '^ok ' tests/run-docs.out || true)
s=$(grep -c '^ok .* # SKIP' tests/run-docs.out || true)
f=$(grep -c '^not ok ' tests/run-docs.out || true)
p=$((p - s))
if [ $st -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
grep -A12 '^not ok ' tests/run-docs.out | head -60
[ "$f" -eq 0 ] || tail -5 tests/run-docs.out
echo "documented commands: $p passed, $f failed, $s skipped ($((SECONDS - start)) s)"
passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
[ "$f" -eq 0 ] || broken+=("documented commands")

suite "tests" check test-suite.log
step "style and static analysis (make lint)"
if make -s lint >tests/run-lint.out 2>&1; then
    passed=$((passed + 1))
    echo "lint: clean"
else
    head -40 tests/run-lint.out
    failed=$((failed + 1)) broken+=("lint")
fi
if [ -z "$quick" ]; then
    # The sanitizer pass with twice as many jobs as cores: it skips the timing and memory
    # checks, and its tests wait much of the time (servers starting, locks, stopped runs).
    # Not valgrind's: a run under valgrind is slow enough that two more at once make a
    # lock holder or a stopped run miss its time.
    HZ_JOBS=$((jobs * 2)) suite "tests under ASan+UBSan" check-asan tests/_build/asan/build/test-suite-asan.log \
        $((jobs * 2))
    suite "tests under valgrind" check-valgrind test-suite-valgrind.log
fi

echo
[ ${#broken[@]} -eq 0 ] || echo "failing: ${broken[*]} (see tests/run-*.out and the test-suite logs)"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
