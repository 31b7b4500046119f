# HZ_SPARE_CORE_FOLDER
# --------------------
# Autoconf and automake clean up after each check with `rm -f core conftest...`,
# for the core dump a crashing test program may leave.  Our sources live in a
# folder named core/, so each of those commands printed "rm: cannot remove
# 'core': Is a directory" (25 times per ./configure), and in configure's exit
# trap the failing rm also skipped the removal of confdefs.h that follows it
# with `&&`.
#
# This rewrites those clean-ups, in the macros that emit them, into
# `test -d core || rm -f core; rm -f ...`: a core dump is still removed, the
# folder is left alone and nothing is printed.  The macros are patched, not
# configure's output, so this holds for every check autoconf generates.  It must
# be expanded before AC_INIT, which emits the exit trap.
# tests/check-configure-quiet.sh proves the generated configure is silent in a
# tree with a core/ folder (and would catch an autoconf that words it otherwise).
AC_DEFUN([HZ_SPARE_CORE_FOLDER],
[_HZ_SPARE_CORE_IN([_AC_INIT_PREPARE])dnl the exit trap
_HZ_SPARE_CORE_IN([_AC_COMPILE_IFELSE])dnl
_HZ_SPARE_CORE_IN([_AC_LINK_IFELSE])dnl
_HZ_SPARE_CORE_IN([_AC_RUN_IFELSE])dnl
_HZ_SPARE_CORE_IN([_AM_PROG_CC_C_O])dnl automake's check of cc -c -o
])

# _HZ_SPARE_CORE_IN(MACRO)
# ------------------------
# Redefine MACRO with each `rm -f core ' of its body made to spare a folder.
m4_define([_HZ_SPARE_CORE_IN],
[m4_ifdef([$1],
  [m4_define([$1],
    m4_bpatsubst(m4_dquote(m4_defn([$1])),
      [rm -f core ], [test -d core || rm -f core; rm -f ]))])])
