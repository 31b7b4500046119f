#!/bin/sh
# Proves that a country office can build the plugin template OUT OF TREE,
# with nothing but an installed harmonize:
#
#   1. `make install DESTDIR=<tmp>` of the configured harmonize tree;
#   2. builds examples/plugin-template/fixedwidth.c with
#        cc -shared -fPIC $(pkg-config --cflags harmonize) -Wl,-z,defs -Wall -Wextra -Werror
#      against the INSTALLED header and harmonize.pc (PKG_CONFIG_SYSROOT_DIR
#      maps the installed paths into <tmp>), and with the template's Makefile,
#      also as `make PKG_CONFIG_PATH=DIR` (and without it: a clear error);
#   3. checks that the plugin exports only harmonize_plugin_entry;
#   4. runs the INSTALLED harmonize on the template's pipeline and compares
#      out/returns.csv and out/rejects.csv with expected/; then the edge
#      cases (test/edge.yaml), a missing feed (refused before the run at
#      its path:, exit 2, previous outputs untouched), --dry-run (writes
#      nothing) and configuration errors reported at their line and
#      column (exit 2).
#
# usage: test-out-of-tree.sh [TOP_BUILDDIR [TOP_SRCDIR]]
#   TOP_BUILDDIR  default: $top_builddir, else the current folder (where
#                 `make check` runs tests)
#   TOP_SRCDIR    default: $srcdir (set by `make check`), else two folders
#                 above this script
# Prints PASS or FAIL (exit 0 or 1); SKIP (exit 77) without a C compiler
# or pkg-config.  On failure the temporary folder is kept for inspection.

set -u

me=test-out-of-tree
tmp=
fail() {
    echo "FAIL: $me: $*"
    [ -n "$tmp" ] && echo "  (files kept in $tmp)"
    exit 1
}
skip() {
    echo "SKIP: $me: $*"
    exit 77
}

here=$(cd "$(dirname "$0")" && pwd) || fail "cannot find the script's folder"
top_builddir=${1:-${top_builddir:-.}}
top_srcdir=${2:-${srcdir:-$here/../..}}
top_builddir=$(cd "$top_builddir" 2>/dev/null && pwd) || fail "no build folder '$top_builddir'"
top_srcdir=$(cd "$top_srcdir" 2>/dev/null && pwd) || fail "no source folder '$top_srcdir'"
template=$top_srcdir/examples/plugin-template
[ -f "$template/fixedwidth.c" ] || fail "no $template/fixedwidth.c: is '$top_srcdir' the harmonize source folder?"
[ -f "$top_builddir/Makefile" ] || fail "no Makefile in '$top_builddir': configure harmonize first"

CC=${CC:-cc}
command -v "$CC" >/dev/null 2>&1 || skip "no C compiler '$CC'"
command -v pkg-config >/dev/null 2>&1 || skip "no pkg-config"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/harmonize-oot.XXXXXX") || fail "cannot make a temporary folder"
trap 'rm -rf "$tmp"; exit 1' INT TERM HUP
dest=$tmp/dest
work=$tmp/work

# --- 1. install -------------------------------------------------------
# A fresh make, not the one running `make check`: its flags (-n, -k, a
# jobserver this shell does not hold) must not leak into the install.
(
    unset MAKEFLAGS MFLAGS MAKELEVEL
    ${MAKE:-make} -C "$top_builddir" install DESTDIR="$dest"
) >"$tmp/install.log" 2>&1 || fail "make install DESTDIR=$dest failed: $(tail -n 5 "$tmp/install.log")"

pc=$(find "$dest" -name harmonize.pc -path '*/pkgconfig/*' | head -n 1)
[ -n "$pc" ] || fail "make install installed no harmonize.pc"
# Only the installed .pc, never one of the system's.
PKG_CONFIG_LIBDIR=$(dirname "$pc")
PKG_CONFIG_SYSROOT_DIR=$dest
PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1
export PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_ALLOW_SYSTEM_CFLAGS
unset PKG_CONFIG_PATH
cflags=$(pkg-config --cflags harmonize) || fail "pkg-config --cflags harmonize failed"

# The header must be where the flags say, and be the tree's header:
# otherwise the compiler could silently use another copy (/usr/local/include).
header=
for flag in $cflags; do
    case $flag in
    -I*) [ -f "${flag#-I}/harmonize/plugin.h" ] && header=${flag#-I}/harmonize/plugin.h ;;
    esac
done
if [ -z "$header" ]; then
    installed=$(cd "$dest" && find . -name plugin.h | sed 's/^\.//')
    fail "pkg-config --cflags harmonize gives '$cflags', but no <harmonize/plugin.h> is installed there (installed: ${installed:-nothing}); the header must install as \$(includedir)/harmonize/plugin.h"
fi
cmp -s "$header" "$top_srcdir/include/harmonize/plugin.h" || fail "the installed $header differs from include/harmonize/plugin.h"

plugindir=$(pkg-config --variable=plugindir harmonize) || fail "harmonize.pc has no plugindir variable"
case $plugindir in
"$dest"/*) ;;                  # pkgconf applies the sysroot to variables
*) plugindir=$dest$plugindir ;; # pkg-config does not
esac
[ -f "$plugindir/csv.so" ] || fail "no csv.so in the installed plugindir $plugindir"
bin=$(find "$dest" -type f -name harmonize -path '*/bin/*' | head -n 1)
[ -n "$bin" ] && [ -x "$bin" ] || fail "make install installed no harmonize executable"

# --- 2. build the template against the installed files ----------------
mkdir -p "$work" || fail "cannot make $work"
cp "$template/fixedwidth.c" "$template/pipeline.yaml" "$template/Makefile" "$work/" &&
    cp -R "$template/sample" "$work/" &&
    cp "$template/test/edge.yaml" "$template/test/edge.txt" "$work/" &&
    cp "$template/pipeline.test.yaml" "$work/" && cp -R "$template/test" "$work/" &&
    chmod -R u+w "$work" || fail "cannot copy the template to $work"

# shellcheck disable=SC2086 # $cflags is a list of flags
(cd "$work" && $CC -shared -fPIC $cflags -Wall -Wextra -Werror -Wl,-z,defs -o fixedwidth.so fixedwidth.c) \
    >"$tmp/cc.log" 2>&1 || fail "the template does not build out of tree: $(cat "$tmp/cc.log")"

# Also in strict C11 (no GNU extensions), outside $work: the pipeline's
# plugin_path [.] would find two plugins named fixedwidth and refuse both.
# shellcheck disable=SC2086
$CC -std=c11 -Wpedantic -shared -fPIC $cflags -Wall -Wextra -Werror -Wl,-z,defs -o "$tmp/fixedwidth-c11.so" \
    "$work/fixedwidth.c" >"$tmp/cc11.log" 2>&1 || fail "the template does not build with -std=c11: $(cat "$tmp/cc11.log")"

# The template's own Makefile (plain make, pkg-config from the environment).
mkdir -p "$tmp/make" && cp "$work/fixedwidth.c" "$work/Makefile" "$tmp/make/" &&
    (
        unset MAKEFLAGS MFLAGS MAKELEVEL
        ${MAKE:-make} -C "$tmp/make" CC="$CC" CFLAGS="-O2 -Wall -Wextra -Werror"
    ) >"$tmp/make.log" 2>&1 && [ -f "$tmp/make/fixedwidth.so" ] ||
    fail "the template's Makefile does not build: $(tail -n 5 "$tmp/make.log")"

# As documented (the Makefile's header, README.md, docs/plugin-guide.md) for a
# harmonize that pkg-config does not find by itself: the folder of harmonize.pc
# given on make's command line only, `make PKG_CONFIG_PATH=DIR`.  GNU make 4.3
# does not hand command-line variables to $(shell ...): the Makefile must.
# PKG_CONFIG_LIBDIR is an empty folder, so that variable is the only way to the .pc.
mkdir -p "$tmp/make-path" "$tmp/no-pc" && cp "$work/fixedwidth.c" "$work/Makefile" "$tmp/make-path/" ||
    fail "cannot copy the template to $tmp/make-path"
pcdir=$(dirname "$pc")
template_make() { # template_make LOG MAKE-ARG...: make in $tmp/make-path, harmonize.pc out of pkg-config's sight
    local log=$1
    shift
    (
        unset MAKEFLAGS MFLAGS MAKELEVEL PKG_CONFIG_PATH
        PKG_CONFIG_LIBDIR=$tmp/no-pc
        export PKG_CONFIG_LIBDIR
        ${MAKE:-make} -C "$tmp/make-path" CC="$CC" "$@"
    ) >"$log" 2>&1
}
template_make "$tmp/make-path.log" PKG_CONFIG_PATH="$pcdir" && [ -f "$tmp/make-path/fixedwidth.so" ] ||
    fail "make PKG_CONFIG_PATH=$pcdir does not build the template: $(tail -n 5 "$tmp/make-path.log")"
grep -qF -- "-I$dest" "$tmp/make-path.log" ||
    fail "make PKG_CONFIG_PATH=$pcdir did not compile with harmonize's flags: $(cat "$tmp/make-path.log")"
staged=$tmp/stage$(PKG_CONFIG_LIBDIR=$tmp/no-pc PKG_CONFIG_PATH=$pcdir pkg-config --variable=plugindir harmonize)
template_make "$tmp/make-path-install.log" install PKG_CONFIG_PATH="$pcdir" DESTDIR="$tmp/stage" &&
    [ -f "$staged/fixedwidth.so" ] ||
    fail "make install PKG_CONFIG_PATH=$pcdir DESTDIR=$tmp/stage did not install $staged/fixedwidth.so: $(tail -n 5 "$tmp/make-path-install.log")"
# Without the variable: pkg-config's own reason and the Makefile's hint are shown,
# make fails before the compiler, nothing is built.
template_make "$tmp/make-path.log" clean || fail "make clean: $(cat "$tmp/make-path.log")"
template_make "$tmp/no-pc.log" && fail "make without PKG_CONFIG_PATH succeeded with no harmonize.pc in sight"
grep -q "harmonize.*not found" "$tmp/no-pc.log" ||
    fail "make without PKG_CONFIG_PATH: pkg-config's message is not shown: $(cat "$tmp/no-pc.log")"
grep -qF "fixedwidth: pkg-config finds no harmonize.pc" "$tmp/no-pc.log" && grep -qF "make PKG_CONFIG_PATH=" "$tmp/no-pc.log" ||
    fail "make without PKG_CONFIG_PATH: no hint how to point at harmonize.pc: $(cat "$tmp/no-pc.log")"
! grep -q "plugin.h" "$tmp/no-pc.log" ||
    fail "make without PKG_CONFIG_PATH ran the compiler without harmonize's flags: $(cat "$tmp/no-pc.log")"
[ ! -e "$tmp/make-path/fixedwidth.so" ] || fail "make without PKG_CONFIG_PATH left a fixedwidth.so"

# --- 3. only the entry point is exported ------------------------------
if command -v nm >/dev/null 2>&1; then
    exported=$(nm -D --defined-only "$work/fixedwidth.so" 2>/dev/null |
        awk 'NF >= 3 && $3 != "_init" && $3 != "_fini" { print $3 }' | tr '\n' ' ')
    [ "$exported" = "harmonize_plugin_entry " ] ||
        fail "fixedwidth.so must export only harmonize_plugin_entry, it exports: $exported"
fi

# --- 4. run the installed harmonize -----------------------------------
HARMONIZE_PLUGIN_PATH=$plugindir
export HARMONIZE_PLUGIN_PATH

same() { # same EXPECTED ACTUAL
    cmp -s "$1" "$2" && return 0
    diff -u "$1" "$2" | head -n 30
    fail "$2 differs from $1"
}

"$bin" plugins fixedwidth --plugin-path "$work" >"$tmp/plugins.out" 2>&1 ||
    fail "harmonize plugins fixedwidth: $(cat "$tmp/plugins.out")"
grep -q '^  columns  *map  ' "$tmp/plugins.out" ||
    fail "harmonize plugins fixedwidth does not show the columns option: $(cat "$tmp/plugins.out")"

# Run from another folder: plugin_path and paths resolve against the
# pipeline's folder, not the current one.
cd "$tmp" || fail "cannot enter $tmp"
"$bin" validate work/pipeline.yaml >"$tmp/validate.out" 2>&1 || fail "validate: $(cat "$tmp/validate.out")"
"$bin" run work/pipeline.yaml --dry-run >"$tmp/dry.out" 2>&1 || fail "--dry-run: $(cat "$tmp/dry.out")"
grep -q 'source niamey (fixedwidth): case_id, departure, origin, age, sex' "$tmp/dry.out" ||
    fail "--dry-run shows other columns: $(cat "$tmp/dry.out")"
[ ! -e "$work/out" ] || fail "--dry-run wrote $work/out"

# The template's own tests (harmonize test): the plugin reads the sample and
# the edge cases, the outcome is checked, and nothing is written.
before=$(cd "$work" && find . | LC_ALL=C sort)
"$bin" test --plugin-path work work/pipeline.test.yaml work/test/edge.test.yaml >"$tmp/test.out" 2>&1 ||
    fail "harmonize test exited $?: $(cat "$tmp/test.out")"
printf '%s\n' \
    "work/pipeline.test.yaml: 2 tests of work/pipeline.yaml" \
    "ok the sample export, field by field, padding trimmed" \
    "ok another quarter's export, chosen with set (as with --set returns=FILE)" \
    "work/test/edge.test.yaml: 1 test of work/test/edge.yaml" \
    "ok BOM, CRLF, blank lines and a missing last line break are read; bad lines rejected" \
    "3 passed, 0 failed" >"$tmp/test.expected"
same "$tmp/test.expected" "$tmp/test.out"
[ "$(cd "$work" && find . | LC_ALL=C sort)" = "$before" ] || fail "harmonize test wrote into $work"

"$bin" run work/pipeline.yaml >"$tmp/run.out" 2>&1 || fail "harmonize run exited $?: $(cat "$tmp/run.out")"
same "$template/expected/returns.csv" "$work/out/returns.csv"
same "$template/expected/rejects.csv" "$work/out/rejects.csv"
grep -q '2 header lines and 1 blank line skipped' "$tmp/run.out" ||
    fail "the run summary does not account for the skipped lines: $(cat "$tmp/run.out")"

"$bin" run work/edge.yaml >"$tmp/edge.out" 2>&1 || fail "edge cases: harmonize run exited $?: $(cat "$tmp/edge.out")"
same "$template/expected/edge-returns.csv" "$work/out/edge-returns.csv"
same "$template/expected/edge-rejects.csv" "$work/out/edge-rejects.csv"

# A missing feed is found before the run: exit 2 (as for validate), reported at
# its path:, and the previous outputs stay.
"$bin" run work/pipeline.yaml --set returns=missing.txt >"$tmp/missing.out" 2>&1
status=$?
[ $status -eq 2 ] || fail "a missing feed: exit $status, expected 2: $(cat "$tmp/missing.out")"
grep -q "^work/pipeline.yaml:[0-9]*:[0-9]*: error: source 'niamey' cannot open feed 'missing.txt' (" "$tmp/missing.out" ||
    fail "a missing feed: $(cat "$tmp/missing.out")"
same "$template/expected/returns.csv" "$work/out/returns.csv"

# Configuration errors: all of them, each at its value, exit 2.
cd "$work" || fail "cannot enter $work"
sed -e 's/departure: 9-18/departure: 18-9/' -e 's/origin: 19-40/origin: 5-40/' -e 's/skip_lines: 2 /skip_lines: -1 /' \
    pipeline.yaml >bad.yaml
"$bin" validate bad.yaml >"$tmp/bad.out" 2>&1
status=$?
[ $status -eq 2 ] || fail "configuration errors: exit $status, expected 2: $(cat "$tmp/bad.out")"
at() { # at KEY VALUE: LINE:COL of VALUE written after KEY in bad.yaml
    awk -v k="$1" -v v="$2" 'i = index($0, k v) { print NR ":" i + length(k); exit }' bad.yaml
}
for expect in \
    "bad.yaml:$(at 'departure: ' 18-9): error: fixedwidth source 'niamey': column 'departure': '18-9' is not a byte range" \
    "bad.yaml:$(at 'origin: ' 5-40): error: fixedwidth source 'niamey': column 'origin' (bytes 5-40) overlaps column 'case_id' (bytes 1-8)" \
    "bad.yaml:$(at 'skip_lines: ' -1): error: fixedwidth source 'niamey': 'skip_lines' must be 0 or more, not -1"; do
    grep -qF "$expect" "$tmp/bad.out" || fail "validate bad.yaml: expected '$expect' in: $(cat "$tmp/bad.out")"
done

cd / && rm -rf "$tmp"
echo "PASS: $me"
exit 0
