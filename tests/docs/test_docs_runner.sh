#!/usr/bin/env bash
# The docs runner (tests/docs/docs_run.py) catches what it must: on
# tests/docs/selftest/doc.md, a document with a wrong console output, a failing
# block, an output that never came, a command block hidden as text and files
# it names that do not exist, it
# reports exactly those as failures, runs the rest (one shell session: a `cd`
# and an `export` carry over), applies the file edits, honours `exit` and
# `skip`, and exits 1.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=${HZ_TEST_TMPDIR:-$(mktemp -d)}/docs-runner
rm -rf "$tmp" && mkdir -p "$tmp/tree"
cp "$here/selftest/doc.md" "$tmp/tree/"
python3 "$here/docs_run.py" "$tmp/tree" doc.md >"$tmp/out" 2>&1
st=$?
grep -E '^(not )?ok ' "$tmp/out" | sed -E 's/^((not )?ok [0-9]+) - .*/\1/' >"$tmp/got"
cat >"$tmp/want" <<'W'
ok 1
ok 2
not ok 3
ok 4
not ok 5
not ok 6
ok 7
ok 8
ok 9
not ok 10
ok 11
not ok 12
W
if [ $st -ne 1 ] || ! cmp -s "$tmp/want" "$tmp/got" || ! grep -q '^#   | hello$' "$tmp/out" ||
    ! grep -q '^ok 11 - .* # SKIP needs the network$' "$tmp/out" ||
    ! grep -q '^# doc.md:[0-9]*: tests/docs/nowhere.md$' "$tmp/out" || ! grep -q '^# doc.md:[0-9]*: ../missing.md$' "$tmp/out"; then
    echo "docs runner: exit $st (want 1); output:"
    cat "$tmp/out"
    diff "$tmp/want" "$tmp/got"
    exit 1
fi
echo "docs runner: every wrong block reported, the others passed"
