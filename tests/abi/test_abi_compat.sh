#!/usr/bin/env bash
# ABI compatibility: the same plugin built against an older copy of the header
# (tests/abi/older: structs that end before members appended later), against the header
# of ABI 1.2 (tests/abi/v1_2: sinks before they could tell their inputs apart) and against
# a newer one (tests/abi/newer: ABI 1.5, members this core does not know) loads and runs
# in this core as the rules of <harmonize/plugin.h> promise.  Each class is followed in
# memory by poison pointers, so a core that read past a struct_size would crash.
# The 1.4 host entries feed_count and feed_info: a sink sees the feeds with the manifest's
# SHA-256, sizes and rows.
# TAP output, one line per check.
set -u
export LC_ALL=C
HARMONIZE=${HARMONIZE:-$PWD/harmonize}
libs=$PWD/tests/abi/.libs
tmproot=${HZ_TEST_TMPDIR:-$PWD/tests/tmp}
mkdir -p "$tmproot"
tmp=$(mktemp -d "$tmproot/abi.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset HARMONIZE_PLUGIN_PATH
cp "$libs/compat_older.so" "$libs/compat_v12.so" "$libs/compat_newer.so" "$tmp/"
mkdir "$tmp/apart" && cp "$libs/apart.so" "$tmp/apart/"
cd "$tmp" || exit 2

n=0 failed=0
check() { # label command...
    local label=$1
    shift
    n=$((n + 1))
    if "$@" >check.out 2>&1; then
        echo "ok $n - $label"
    else
        failed=$((failed + 1))
        echo "not ok $n - $label"
        sed 's/^/# /' check.out | head -20
    fi
}
# Expected text from a here-document, compared with a file.
same() { # file (expected on stdin)
    diff -u - "$1"
}

echo "1..23"

# The build's own plugins (found beside the binary) are listed after these: only the
# header and this folder's lines are compared.
"$HARMONIZE" plugins --plugin-path . 2>list.err | grep -E '^name |\./' >list.out
check "both load, each with the minor it was built for" same list.out <<'OUT'
name         kinds                  version   abi   path
compat_newer source,transform,sink  1.0.0     1.5   ./compat_newer.so
compat_older source,transform,sink  1.0.0     1.0   ./compat_older.so
compat_v12   source,transform,sink  1.0.0     1.2   ./compat_v12.so
OUT

"$HARMONIZE" plugins compat_older --plugin-path . >older.out 2>&1
"$HARMONIZE" plugins compat_newer --plugin-path . >newer.out 2>&1
check "the older option table is read with its own, smaller entry size" \
    grep -qE '^  label +string +x +no *$' older.out
check "the newer option table is read with its own, larger entry size" \
    grep -qE '^  rows +int +3 +no +how many$' newer.out
check "named outputs of both tables are listed" \
    bash -c 'grep -qE "^  odds *$" older.out && grep -qE "^  odds +the odd numbers$" newer.out'

cat >p.yaml <<'YAML'
version: 1
plugin_path: [.]
sources:
  old_numbers: {type: compat_older, rows: 5, label: old}
  new_numbers: {type: compat_newer, rows: 4, label: new}
transforms:
  old_stamped: {type: compat_older, inputs: [new_numbers]}
  new_stamped: {type: compat_newer, inputs: [old_numbers]}
sinks:
  a: {type: compat_older, inputs: [new_stamped], path: out/a.txt}
  b: {type: compat_newer, inputs: [old_stamped], path: out/b.txt}
  c: {type: compat_newer, inputs: [old_numbers.odds], path: out/c.txt}
  d: {type: compat_older, inputs: [new_numbers.odds], path: out/d.txt}
YAML
mkdir -p out
"$HARMONIZE" run p.yaml >run.out 2>run.err
check "a run mixing both exits 0" test $? -eq 0
check "older source -> newer transform -> older sink" same out/a.txt <<'OUT'
1,old,compat_newer
2,old,compat_newer
3,old,compat_newer
4,old,compat_newer
5,old,compat_newer
OUT
check "newer source -> older transform -> newer sink" same out/b.txt <<'OUT'
1,new,compat_older
2,new,compat_older
3,new,compat_older
4,new,compat_older
OUT
check "named outputs of both, through both sinks" \
    bash -c 'printf "1\n3\n5\n" | diff - out/c.txt && printf "1\n3\n" | diff - out/d.txt'
check "the newer plugin sees that this core lacks its 1.5 host entry and falls back" \
    grep -qF "harmonize: new_numbers: this core has no run_id(): using the 1.0 path" run.err

# Failures: the older sink has no abort() (its class ends before it) and the newer
# one has members the core must not call.  The previous outputs stay as they were.
cp -r out before
sed -e 's|path: out/c.txt}|path: out/c.txt, fail: write}|' p.yaml >fail_write.yaml
"$HARMONIZE" run fail_write.yaml >fw.out 2>fw.err
st=$?
# Only the newer sinks can clean up: the older ones' temporaries stay (no abort()).
check "a failing write: exit 1, nothing published, the older sink's missing abort() never called" \
    bash -c "[ $st -eq 1 ] && diff -r -x '*.tmp' before out && grep -qF 'failing on purpose while writing' fw.err \
             && [ ! -e out/b.txt.tmp ] && [ ! -e out/c.txt.tmp ] && [ -e out/a.txt.tmp ]"
rm -f out/*.tmp
sed -e 's|path: out/d.txt}|path: out/d.txt, fail: prepare}|' p.yaml >fail_prepare.yaml
"$HARMONIZE" run fail_prepare.yaml >fp.out 2>fp.err
st=$?
check "a failing prepare in the older sink: exit 1, no output changed" \
    bash -c "[ $st -eq 1 ] && diff -r -x '*.tmp' before out && grep -qF 'failing on purpose while preparing' fp.err \
             && [ ! -e out/b.txt.tmp ] && [ ! -e out/c.txt.tmp ]"
rm -f out/*.tmp
"$HARMONIZE" validate p.yaml >v.out 2>&1
check "validate of the mixed pipeline" grep -qx "p.yaml: ok" v.out

# ABI 1.3 lets a sink see each of its inputs apart (hz_sink_class.write_input); a sink
# built against 1.2 has no such member, so with two inputs it still gets their union
# through write(), in the order the inputs are listed, and two inputs with different
# columns are still refused for it.
cat >union.yaml <<'YAML'
version: 1
plugin_path: [.]
sources:
  first: {type: compat_v12, rows: 3, label: first}
  second: {type: compat_older, rows: 2, label: second}
sinks:
  both: {type: compat_v12, inputs: [first, second], path: out/both.txt}
YAML
"$HARMONIZE" run union.yaml >union.out 2>&1
check "a 1.2 sink with two inputs runs" test $? -eq 0
check "... and its one write() stream is the union of both inputs" same out/both.txt <<'OUT'
1,first
2,first
3,first
1,second
2,second
OUT
sed -e 's|inputs: \[first, second\]|inputs: [first, second.odds]|' union.yaml >mismatch.yaml
"$HARMONIZE" validate mismatch.yaml >mismatch.out 2>&1
check "a 1.2 sink whose two inputs differ in columns is refused, as before 1.3 (exit 2)" \
    bash -c "[ $? -eq 2 ] && grep -qF \"inputs of 'both' must have the same columns\" mismatch.out"

# ABI 1.4: a sink lists the run's feeds (hz->feed_count, hz->feed_info) with the SHA-256 and
# size the run's manifest records for them, from prepare() on; before any row is read (in
# create()) and past the last feed, feed_info answers -1.
mkdir -p feeds
printf 'n,label\n1,a\n2,b\n3,c\n' >feeds/three.csv
printf 'n,label\n4,d\n' >feeds/one.csv
cat >feeds.yaml <<'YAML'
version: 1
plugin_path: [.]
manifest: out/manifest.json   # the test sink claims no file: name where the manifest goes
sources:
  three: {type: csv, path: feeds/three.csv}
  one: {type: csv, path: feeds/one.csv}
sinks:
  listed: {type: compat_newer, inputs: [three, one], path: out/listed.txt, feeds: out/feeds.txt}
YAML
"$HARMONIZE" run feeds.yaml >feeds.out 2>&1
check "a 1.5 sink asking for the run's feeds runs" test $? -eq 0
check "... feed_info: -1 before the rows, each feed's name, source, SHA-256, size and rows, -1 past the end" \
    same out/feeds.txt <<OUT
early -1
feeds/three.csv three $(sha256sum feeds/three.csv | cut -d' ' -f1) $(stat -c %s feeds/three.csv) 3
feeds/one.csv one $(sha256sum feeds/one.csv | cut -d' ' -f1) $(stat -c %s feeds/one.csv) 1
past the end -1
OUT
check "... the very hashes, sizes and rows of the run's manifest" python3 -c '
import json, sys
inputs = json.load(open("out/manifest.json"))["inputs"]
listed = [l.split() for l in open("out/feeds.txt")][1:-1]
sys.exit(0 if [(i["sha256"], str(i["size"]), str(i["records"])) for i in inputs] ==
         [(l[2], l[3], l[4]) for l in listed] else 1)'
# ABI 1.4 lets a transform see each of its inputs apart (hz_transform_class.plan_input):
# two inputs with different columns, each planned with its own schema before plan(), and
# each batch handed over in that input's own columns with its index.  (In its own
# folder: the listing above names only the compat plugins.)
cat >apart.yaml <<'YAML'
version: 1
plugin_path: [., apart]
sources:
  numbers: {type: compat_older, rows: 3, label: l}
transforms:
  both: {type: apart, inputs: [numbers, numbers.odds]}
sinks:
  out: {type: compat_newer, inputs: [both], path: out/apart.txt}
YAML
"$HARMONIZE" run apart.yaml >apart.out 2>&1
check "a 1.4 transform whose two inputs differ in columns runs" test $? -eq 0
# The source's one batch: its named output 'odds' is delivered before its rows.
check "... and sees each input apart: its own columns, its own field count, its index" same out/apart.txt <<'OUT'
1,odd,1,1
1,odd,1,3
0,n|label,2,1
0,n|label,2,2
0,n|label,2,3
OUT
sed -e 's|type: apart,|type: compat_v12,|' apart.yaml >apart_v12.yaml
"$HARMONIZE" validate apart_v12.yaml >apart_v12.out 2>&1
check "a 1.2 transform with the same two inputs is refused, as before 1.4 (exit 2)" \
    bash -c "[ $? -eq 2 ] && grep -qF \"inputs of 'both' must have the same columns\" apart_v12.out"
sed -e 's|inputs: \[numbers, numbers.odds\]|inputs: [numbers]|' apart.yaml >apart_one.yaml
"$HARMONIZE" run apart_one.yaml >apart_one.out 2>&1
check "a 1.4 transform with one input gets plan_input() once, then plan()" \
    bash -c "[ $? -eq 0 ] && printf '0,n|label,2,%s\n' 1 2 3 | diff - out/apart.txt"
"$HARMONIZE" validate apart.yaml >apart_validate.out 2>&1
check "validate plans it the same way" grep -qx "apart.yaml: ok" apart_validate.out

[ "$failed" -eq 0 ]
