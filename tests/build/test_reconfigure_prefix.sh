#!/usr/bin/env bash
# `./configure --prefix=OTHER && make && make install` after a first build gives a
# harmonize that looks for its plugins under OTHER.  The install folders reach the
# code through core/install_dirs.h, which make rewrites when their values change
# (core/local.am); with -D flags on the compiler's command line, as before, make
# rebuilt nothing and the binary kept naming the first prefix.
#
# In a copy of this build folder (so the build under test is left alone), already
# built with its prefix A:
#   1. ./configure --prefix=B (with the build's other configure arguments), then make:
#      the two objects that use the folders (core/main.c, core/plugin_path.c) are
#      rebuilt, no plugin object is, and ./harmonize --help names B's plugin folder;
#   2. a second make rebuilds nothing (the header is replaced only when it changes);
#   3. make install: B/bin/harmonize --help names B's plugin folder and finds the
#      plugins installed there with no variable set.
# Takes about a minute (one configure run).
set -u
# The build system is what is tested here, not memory: the sanitizer and valgrind passes
# (make check-asan, make check-valgrind) would only run the same configure again, slower.
if grep -q valgrind "${HARMONIZE:-}" 2>/dev/null || ldd "${HARMONIZE:-/nonexistent}" 2>/dev/null | grep -q libasan; then
    echo "SKIP: $0: a build-system test, run by the plain make check only"
    exit 77
fi
me=test_reconfigure_prefix
builddir=$(cd "${top_builddir:-.}" && pwd)
tmp=
fail() {
    echo "FAIL: $me: $*"
    [ -n "$tmp" ] && echo "  (files kept in $tmp)"
    exit 1
}
[ -f "$builddir/config.status" ] && [ -x "$builddir/harmonize" ] ||
    fail "run from a configured and built harmonize build folder (make check does)"
tmp=$(mktemp -d "${HZ_TEST_TMPDIR:-${TMPDIR:-/tmp}}/reconfigure-prefix.XXXXXX") || fail "cannot make a temporary folder"
copy=$tmp/build
prefix=$tmp/prefix-b
plugindir=$prefix/lib/harmonize/plugins

# A copy with every timestamp kept to the nanosecond (POSIX tar format), so make sees
# the copy as up to date exactly as it sees the original.
mkdir "$copy" || fail "cannot make $copy"
(cd "$builddir" && tar --format=posix --exclude=./.git --exclude=./tests/_build --exclude=./tests/tmp \
    --exclude=./pipelines/out -cf - .) | tar -C "$copy" -xf - || fail "cannot copy $builddir"

# The make running this test must not pass its flags (-k, -n, its jobserver) on.
unset MAKEFLAGS MFLAGS MAKELEVEL
mk() { make -C "$copy" "$@" >>"$tmp/make.log" 2>&1 || fail "make $*: $(tail -n 20 "$tmp/make.log")"; }

grep -q "^#define HZ_PLUGINDIR \"$plugindir\"" "$copy/core/install_dirs.h" &&
    fail "the build under test already has the prefix $prefix"

# --- 1. reconfigure with prefix B, make -------------------------------
eval "set -- $("$copy/config.status" --config)"
srcdir=$(sed -n 's/^abs_top_srcdir = //p' "$builddir/Makefile")
[ "$srcdir" = "$builddir" ] && configure=./configure || configure=$srcdir/configure
(cd "$copy" && "$configure" -q "$@" --prefix="$prefix") >"$tmp/configure.log" 2>&1 ||
    fail "$configure --prefix=$prefix: $(tail -n 20 "$tmp/configure.log")"
[ ! -s "$tmp/configure.log" ] || fail "configure printed: $(cat "$tmp/configure.log")"
touch "$tmp/before-make"
sleep 1 # objects rebuilt now are newer than the stamp on any file system
mk
rebuilt=$(cd "$copy" && find . -path ./tests -prune -o \( -name '*.o' -o -name '*.lo' \) -newer "$tmp/before-make" -print | sort | tr '\n' ' ')
[ "$rebuilt" = "./core/harmonize-main.o ./core/harmonize-plugin_path.o " ] ||
    fail "make after the new prefix rebuilt '$rebuilt', expected ./core/harmonize-main.o ./core/harmonize-plugin_path.o"
"$copy/harmonize" --help >"$tmp/help.out" 2>&1 || fail "harmonize --help: $(cat "$tmp/help.out")"
grep -qF "$plugindir." "$tmp/help.out" ||
    fail "the rebuilt harmonize --help does not name $plugindir: $(grep -A1 'installed plugin folder' "$tmp/help.out")"

# --- 2. nothing changed, nothing rebuilt ------------------------------
touch "$tmp/second-make"
sleep 1
mk
again=$(cd "$copy" && find . \( -name '*.o' -o -name '*.lo' -o -name install_dirs.h \) -newer "$tmp/second-make" -print | tr '\n' ' ')
[ -z "$again" ] || fail "a second make with nothing changed rebuilt: $again"

# --- 3. install under B, the installed binary looks there --------------
mk install
bin=$prefix/bin/harmonize
[ -x "$bin" ] || fail "make install put no $bin"
[ -f "$plugindir/csv.so" ] || fail "make install put no $plugindir/csv.so"
env -u HARMONIZE_PLUGIN_PATH "$bin" --help >"$tmp/help-installed.out" 2>&1 || fail "$bin --help: $(cat "$tmp/help-installed.out")"
grep -qF "$plugindir." "$tmp/help-installed.out" ||
    fail "the installed harmonize --help does not name $plugindir: $(grep -A1 'installed plugin folder' "$tmp/help-installed.out")"
(cd "$tmp" && env -u HARMONIZE_PLUGIN_PATH "$bin" plugins csv) >"$tmp/plugins.out" 2>&1 ||
    fail "the installed harmonize does not find its csv plugin: $(cat "$tmp/plugins.out")"
grep -qF "$plugindir/csv.so" "$tmp/plugins.out" ||
    fail "harmonize plugins csv does not show $plugindir/csv.so: $(cat "$tmp/plugins.out")"

rm -rf "$tmp"
echo "PASS: $me"
