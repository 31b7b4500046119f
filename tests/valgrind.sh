#!/usr/bin/env bash
# Run a command under valgrind (make check-valgrind): an invalid read or write, a use of
# uninitialised memory or a definite or indirect leak makes it exit 99, with valgrind's
# report appended to its stderr.  Libtool wrapper scripts are run through libtool.
#   valgrind.sh PROGRAM [ARG...]
set -u
export HARMONIZE_NO_DLCLOSE=1 # leak stacks of plugin code stay readable
here=$(cd "$(dirname "$0")" && pwd)
log=$(mktemp "${TMPDIR:-/tmp}/hz-valgrind.XXXXXX")
launcher=()
# Only a wrapper script goes through libtool: its execute mode re-quotes the arguments and
# would split one holding a line feed.
if [ -n "${LIBTOOL:-}" ] && [ "$(head -c 2 "$1" 2>/dev/null)" = '#!' ]; then
    read -r -a launcher <<<"$LIBTOOL"
    launcher+=(--mode=execute)
fi
"${launcher[@]+"${launcher[@]}"}" valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
    --suppressions="$here/valgrind.supp" --log-file="$log" "$@"
status=$?
if [ -s "$log" ]; then
    echo "==== valgrind report for: $* (exit $status)" >&2
    cat "$log" >&2
fi
rm -f "$log"
exit "$status"
