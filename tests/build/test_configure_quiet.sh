#!/usr/bin/env bash
# ./configure says nothing on standard error although the sources have a core/
# folder, which autoconf's clean-ups (`rm -f core conftest...`, meant for a core
# dump) used to meet 25 times: "rm: cannot remove 'core': Is a directory".
# m4/hz_spare_core_folder.m4 rewrites those clean-ups; this proves it:
#
#   1. the project's generated configure has no clean-up left that removes
#      `core` without first checking it is not a folder;
#   2. a small configure built from the same macro (compile, link and run
#      checks, automake's cc -c -o check, the exit trap), run in a folder with
#      a core/ folder, prints nothing on standard error, keeps the folder, and
#      still removes a core dump FILE left where the folder is not;
#   3. the same small configure WITHOUT the macro prints the message: the
#      check above would see the fault if the patch stopped applying.
#
# Needs autoconf and automake (build dependencies); exit 77 (skip) without them.
set -u
# The build system is what is tested here, not memory: the sanitizer and valgrind passes
# (make check-asan, make check-valgrind) would only run the same configure again, slower.
if grep -q valgrind "${HARMONIZE:-}" 2>/dev/null || ldd "${HARMONIZE:-/nonexistent}" 2>/dev/null | grep -q libasan; then
    echo "SKIP: $0: a build-system test, run by the plain make check only"
    exit 77
fi
me=test_configure_quiet
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
srcdir=$(cd "$srcdir" && pwd)
tmp=
fail() {
    echo "FAIL: $me: $*"
    [ -n "$tmp" ] && echo "  (files kept in $tmp)"
    exit 1
}
command -v autoconf >/dev/null 2>&1 && command -v aclocal >/dev/null 2>&1 ||
    { echo "SKIP: $me: autoconf and automake are needed"; exit 77; }

# --- 1. the project's configure ---------------------------------------
[ -f "$srcdir/configure" ] || fail "no $srcdir/configure: run autoreconf -fi"
bare=$(grep -n '\brm -f\( -r\)\? core\b' "$srcdir/configure" | grep -v 'test -d core || rm -f core;')
[ -z "$bare" ] || fail "configure still removes core without sparing the folder:
$bare"
patched=$(grep -c 'test -d core || rm -f core;' "$srcdir/configure")
[ "$patched" -ge 5 ] || fail "configure has $patched patched clean-ups, expected the exit trap's and the checks' (5 or more)"

# --- 2. and 3. a small configure, with and without the macro ----------
tmp=$(mktemp -d "${HZ_TEST_TMPDIR:-${TMPDIR:-/tmp}}/configure-quiet.XXXXXX") || fail "cannot make a temporary folder"
make_project() { # make_project DIR WITH_MACRO(yes|no)
    mkdir -p "$1/m4" "$1/core" && echo 'int main(void) { return 0; }' >"$1/core/main.c" &&
        cp "$srcdir/m4/hz_spare_core_folder.m4" "$1/m4/" || return 1
    {
        echo 'AC_PREREQ([2.69])'
        [ "$2" = yes ] && echo 'HZ_SPARE_CORE_FOLDER'
        cat <<'EOF'
AC_INIT([quiet], [1])
AC_CONFIG_SRCDIR([core/main.c])
AC_CONFIG_MACRO_DIRS([m4])
AC_PROG_CC
AM_PROG_CC_C_O
dnl A core dump of a crashed check, where there is no core/ folder: still removed.
AS_IF([test -d core], [], [echo dump >core])
AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])], [], [AC_MSG_ERROR([cannot compile])])
AS_IF([test -d core || test ! -e core], [], [AC_MSG_ERROR([the core dump was left behind])])
AC_LINK_IFELSE([AC_LANG_PROGRAM([], [])], [], [AC_MSG_ERROR([cannot link])])
AC_RUN_IFELSE([AC_LANG_PROGRAM([], [])], [], [AC_MSG_ERROR([cannot run])], [:])
AC_OUTPUT
EOF
    } >"$1/configure.ac" &&
        (cd "$1" && aclocal -I m4 && autoconf) >"$1/autoconf.log" 2>&1
}
make_project "$tmp/with" yes || fail "autoconf of the small project failed: $(cat "$tmp/with/autoconf.log")"
make_project "$tmp/without" no || fail "autoconf of the small project (no macro) failed: $(cat "$tmp/without/autoconf.log")"

# The dump case: no core/ folder in the folder configure runs in (a build
# folder of its own, the sources found through --srcdir; before the in-tree
# run below, after which configure refuses another build folder).
mkdir "$tmp/with-build" || fail "cannot make $tmp/with-build"
(cd "$tmp/with-build" && ../with/configure -q --srcdir=../with) >"$tmp/dump.out" 2>&1 ||
    fail "configure did not remove a core dump file: $(cat "$tmp/dump.out")"
[ ! -e "$tmp/with-build/core" ] || fail "configure's clean-up left the core dump file"

(cd "$tmp/with" && ./configure -q) >"$tmp/with.out" 2>"$tmp/with.err" ||
    fail "configure of the small project failed: $(cat "$tmp/with.out" "$tmp/with.err")"
[ ! -s "$tmp/with.err" ] || fail "configure printed on standard error: $(cat "$tmp/with.err")"
[ -d "$tmp/with/core" ] && [ -f "$tmp/with/core/main.c" ] || fail "configure removed the core/ folder"
[ ! -e "$tmp/with/confdefs.h" ] || fail "configure's exit trap left confdefs.h behind"

(cd "$tmp/without" && ./configure -q) >/dev/null 2>"$tmp/without.err"
grep -q "cannot remove 'core'" "$tmp/without.err" ||
    fail "without the macro configure should print the rm error (is this check blind?): $(cat "$tmp/without.err")"

rm -rf "$tmp"
echo "PASS: $me"
