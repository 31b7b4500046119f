#!/usr/bin/env bash
# The documented commands, run as a new user would: copy the built source tree (as
# a fresh checkout is right after the README's set-up command), run ./setup.sh in
# the copy exactly as the README says, then every command of the documents below,
# each document in its own copy of that tree (tests/docs/docs_run.py; its rules
# for blocks are in tests/docs/README.md).  TAP on standard output.
#
#   tests/docs/run.sh [DOC.md...]      default: README.md, every docs/*.md and every
#                                      README.md of plugins/, examples/ and pipelines/
#
# Run from the top of a built tree (tests/run.sh does, right after the build and
# before any test leaves files behind).  The copy leaves out what tests and earlier
# runs leave: outputs, state folders, logs, the sanitizer build.
set -euo pipefail
umask 022
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
if [ ! -x harmonize ]; then
    echo "Bail out! tests/docs/run.sh: build first (./harmonize is missing)"
    exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/hz-docs.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/tree"
tar -C "$top" -c \
    --exclude=./.git --exclude=./tests/_build --exclude=./tests/tmp \
    --exclude='./pipelines/out' --exclude='.harmonize' --exclude='./examples/*/out' \
    --exclude='*.log' --exclude='*.trs' --exclude='./tests/run-*.out' . |
    tar -C "$work/tree" -x

docs=("$@")
if [ ${#docs[@]} -eq 0 ]; then
    docs=(README.md docs/*.md plugins/*/README.md examples/*/README.md pipelines/*/README.md)
fi

# The README's set-up command, in the copy.  The tree is built, so it installs
# nothing, builds nothing, and runs the default pipeline as a new user's first run.
if ! (cd "$work/tree" && ./setup.sh) >"$work/setup.out" 2>&1; then
    echo "not ok 1 - ./setup.sh in a copy of the tree"
    sed 's/^/# /' "$work/setup.out"
    echo "1..1"
    exit 1
fi
echo "# ./setup.sh in a copy of the tree: done"
python3 tests/docs/docs_run.py "$work/tree" "${docs[@]}"
