#!/usr/bin/env bash
# bench/country_names.sh [N]: bulk throughput of `harmonize country` on N distinct
# spellings (default 1000000), so that every line is a cache miss: the names, codes,
# aliases and refusals of data/countries in random case, spacing, article and comma
# forms and mojibake, plus 10% random letters (unknown).  Prints names per second.
#   HARMONIZE  the binary (default ./harmonize)
set -euo pipefail
N=${1:-1000000}
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HARMONIZE=${HARMONIZE:-./harmonize}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hz-country-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

python3 - "$TOP/data/countries" "$N" >"$WORK/names.txt" <<'PY'
import random, sys
random.seed(20211231)
data, want = sys.argv[1], int(sys.argv[2])
names = []
for f in ("countries", "aliases", "refusals"):
    for line in open("%s/%s.tsv" % (data, f), encoding="utf-8"):
        cols = line.rstrip("\n").split("\t")
        if line.startswith("#") or cols[0] in ("alpha2", "alias", "input"):
            continue
        names += [c for c in cols[:6] if c] if f == "countries" else [cols[0]]

def mojibake(s):
    try:
        return s.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return s

forms = [lambda s: s, str.upper, str.lower, lambda s: "  " + s + " ", lambda s: s + " (the)",
         lambda s: "The " + s, lambda s: s.replace("-", " "), mojibake, lambda s: s + ", The"]
out = set()
while len(out) < want:
    if random.random() < 0.1:
        s = "".join(random.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(random.randint(4, 20)))
    else:
        s = random.choice(forms)(random.choice(names))
        s = "".join(c.swapcase() if random.random() < 0.3 else c for c in s)
    out.add(s.replace("\t", " "))
lines = sorted(out)
random.shuffle(lines)
sys.stdout.write("\n".join(lines) + "\n")
PY
start=$(date +%s.%N)
"$HARMONIZE" country <"$WORK/names.txt" >"$WORK/out.tsv"
end=$(date +%s.%N)
lines=$(wc -l <"$WORK/out.tsv")
awk -v n="$lines" -v s="$start" -v e="$end" \
    'BEGIN { t = e - s; printf "%d distinct names in %.2f s: %.0f names/s\n", n, t, n / t }'
cut -f5 "$WORK/out.tsv" | sort | uniq -c | sort -rn
