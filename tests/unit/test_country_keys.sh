#!/usr/bin/env bash
# The keys of scripts/gen-countries.py (Python) and of lib/country (C) must
# agree: the generator finds collisions with the one, the matcher looks up
# with the other.  Every text of the table, and spellings that exercise each
# rule, go through both.  Skips (77) without python3.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "${srcdir:-$here/../..}" && pwd)
dump=${COUNTRY_KEYS:-./tests/unit/country_keys}
command -v python3 >/dev/null || { echo "python3 not found: skipped"; exit 77; }
[ -x "$dump" ] || { echo "$dump is not built"; exit 99; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hz-country-keys.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

{
    for f in countries aliases refusals; do
        grep -v '^#' "$top/data/countries/$f.tsv" | cut -f1
    done
    grep -v '^#' "$top/data/countries/countries.tsv" | cut -f2-6 | tr '\t' '\n'
    printf '%s\n' 'Korea, Republic of' 'Niger (the)' 'The Gambia' 'Gambia, The' 'S. Sudan' 'S.Sudan' \
        'E.U.' 'Eq.Guinea' 'Cayman Is.' 'Serbia/Kosovo' 'Trinidad & Tobago' 'Côte d’Ivoire' \
        ' 004 ' 'Tu'$'\xcc\x88''rkiye' 'ÅLAND' 'Færøerne' 'İstanbul' 'Straße' 'ﬁji' 'Ｆｒａｎｃｅ' \
        'Kosovo (UNSCR 1244/99)' 'St. Kitts' 'Congo, Dem. Rep.' 'A, B, C' '(x) y (z)' '--' ''
} >"$tmp/in"

# The generator's own functions, without running it.
python3 - "$top/scripts/gen-countries.py" "$tmp/in" >"$tmp/python" <<'PY' || exit 99
import sys
src = open(sys.argv[1], encoding="utf-8").read().replace('if __name__ == "__main__":', "if False:")
scope = {"__name__": "gen_countries"}
exec(compile(src, sys.argv[1], "exec"), scope)
keys, items = scope["keys"], scope["items"]
for line in open(sys.argv[2], encoding="utf-8").read().split("\n")[:-1]:
    k = keys(line)
    if k and k[0].startswith("#"):
        print(k[0])
    else:
        direct = "".join(t for kind, t in items(line) if kind == "t")
        print(direct + "\t" + (k[1] if len(k) > 1 else ""))
PY
"$dump" <"$tmp/in" >"$tmp/c" || exit 99
if ! diff <(paste "$tmp/in" "$tmp/python") <(paste "$tmp/in" "$tmp/c") >"$tmp/diff"; then
    echo "keys differ between scripts/gen-countries.py (<) and lib/country (>):"
    head -40 "$tmp/diff"
    exit 1
fi
echo "$(wc -l <"$tmp/in") texts: the Python and C keys agree"
