#!/usr/bin/env bash
# The example plugin in the comment of <harmonize/plugin.h> ("Minimal source plugin") is
# cut out of the header as written, compiled with the command the header gives (plus
# -Wall -Wextra -Werror -Wl,-z,defs), and run: it must count 1..to into a CSV file and
# export nothing but its entry point.
set -eu
export LC_ALL=C
HARMONIZE=${HARMONIZE:-$PWD/harmonize}
srcdir=${srcdir:-.}
tmproot=${HZ_TEST_TMPDIR:-$PWD/tests/tmp}
mkdir -p "$tmproot"
tmp=$(mktemp -d "$tmproot/header.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
header=$srcdir/include/harmonize/plugin.h
awk '/^ \*   #include <harmonize\/plugin.h>/ {f = 1} f {print} /HZ_PLUGIN\(counter_plugin\)/ {f = 0}' "$header" |
    sed -e 's/^ \*   //' -e 's/^ \*$//' >"$tmp/counter.c"
[ "$(wc -l <"$tmp/counter.c")" -gt 30 ] || { echo "the example was not found in $header"; exit 1; }
${CC:-cc} -std=c11 -shared -fPIC -fvisibility=hidden -Wall -Wextra -Werror -Wl,-z,defs \
    -I "$srcdir/include" -o "$tmp/counter.so" "$tmp/counter.c"
exported=$(nm -D --defined-only "$tmp/counter.so" | awk '$2 == "T" {print $3}')
[ "$exported" = harmonize_plugin_entry ] || { echo "exports: $exported"; exit 1; }
cat >"$tmp/p.yaml" <<'YAML'
version: 1
plugin_path: [.]
sources:
  n: {type: counter, to: 4}
sinks:
  out: {type: csv, inputs: [n], path: out/n.csv}
YAML
"$HARMONIZE" run -q "$tmp/p.yaml"
printf 'n\n1\n2\n3\n4\n' | diff - "$tmp/out/n.csv"
"$HARMONIZE" plugins counter --plugin-path "$tmp" | grep -qE '^  to +int +10 +no +count from 1 to this number$'
echo "the header's example builds and runs"
