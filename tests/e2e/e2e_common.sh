# Sourced by the end-to-end tests of the default pipeline (tests/e2e/test_*.sh), after
# `set -u`: where things are, a scratch folder, and the checks' counters.
#
#   e2e_start NAME   sets build, here, top_srcdir, HARMONIZE (absolute),
#                    HARMONIZE_PLUGIN_PATH, pipeline, samples, plain, and work (a scratch
#                    folder named after NAME, removed on exit); exits 77 (skip) without
#                    the sqlite3 command-line tool, which reads the database back.
#   check LABEL ACTUAL EXPECTED, pass, fail LABEL: count into checks and failures;
#   check_csv_table (below).
#
# Run from the build folder (make check does); HARMONIZE, HARMONIZE_PLUGIN_PATH and srcdir
# may point elsewhere.
export LC_ALL=C

e2e_start() {
    build=$(pwd)
    here=$(cd "$(dirname "$0")" && pwd)
    top_srcdir=$(cd "${srcdir:-$here/../..}" && pwd)
    HARMONIZE=${HARMONIZE:-$build/harmonize}
    case $HARMONIZE in /*) ;; *) HARMONIZE=$build/$HARMONIZE ;; esac
    export HARMONIZE_PLUGIN_PATH=${HARMONIZE_PLUGIN_PATH:-$build/plugins/.libs}
    pipeline=$top_srcdir/pipelines/key-highlights.yaml
    samples=$top_srcdir/pipelines/samples
    # Under make check-valgrind, $HARMONIZE is a script running harmonize under valgrind:
    # `plain` is harmonize itself (empty otherwise), for runs valgrind adds nothing to.
    plain=$(sed -n 's/^exec bash "[^"]*" "\([^"]*\)".*/\1/p' "$HARMONIZE" 2>/dev/null)
    if ! command -v sqlite3 >/dev/null 2>&1; then
        echo "SKIP: the sqlite3 command-line tool is not installed (Debian: sqlite3)"
        exit 77
    fi
    local tmproot=${HZ_TEST_TMPDIR:-${TMPDIR:-/tmp}}
    mkdir -p "$tmproot" || exit 99
    work=$(mktemp -d "$tmproot/hz-$1.XXXXXX") || exit 99
    trap 'rm -rf "$work"' EXIT
}

failures=0 checks=0
pass() { checks=$((checks + 1)); }
fail() {
    checks=$((checks + 1))
    failures=$((failures + 1))
    echo "FAIL $*"
}
check() { # label actual expected
    if [ "$2" = "$3" ]; then
        pass
    else
        fail "$1"
        echo "  got:      $(printf '%s' "$2" | head -c 600 | sed ':a;N;$!ba;s/\n/\\n/g')"
        echo "  expected: $(printf '%s' "$3" | head -c 600 | sed ':a;N;$!ba;s/\n/\\n/g')"
    fi
}

# check_csv_table DB CSVDB TABLE: TABLE of the CSV files (loaded into CSVDB) and of the
# pipeline's database DB hold the same rows.  Compared as text: the CSV says 30, 15.0 and
# '' where the table has the integer 30, the real 15.0 and NULL.
check_csv_table() {
    local db=$1 csvdb=$2 t=$3 cols
    cols=$(sqlite3 -batch -noheader "$db" "SELECT group_concat('coalesce(CAST(\"' || name || '\" AS TEXT), '''')', ', ')
              FROM pragma_table_info('$t')")
    check "$t.csv and table $t hold the same rows" \
        "$(sqlite3 -batch -noheader -separator '|' "$csvdb" "ATTACH '$db' AS d;
            SELECT (SELECT count(*) FROM main.$t), (SELECT count(*) FROM d.$t),
                   (SELECT count(*) FROM (SELECT $cols FROM main.$t EXCEPT SELECT $cols FROM d.$t)) +
                   (SELECT count(*) FROM (SELECT $cols FROM d.$t EXCEPT SELECT $cols FROM main.$t))")" \
        "$(sqlite3 -batch -noheader -separator '|' "$db" "SELECT count(*), count(*) FROM $t")|0"
}
