#!/usr/bin/env bash
# Runs the country-name corpus (corpus.tsv next to this script) through
# `harmonize country` in bulk mode and grades every answer:
#   - a WRONG answer is a country other than the expected one, or any
#     country where a refusal was expected: none is allowed;
#   - a MISS is a refusal where a country was expected: misses must stay
#     under 1% of the resolvable rows;
#   - a refusal must give the expected reason (unknown_country,
#     ambiguous_country, not_a_country);
#   - every resolved row must name a country and one of the nine IOM
#     regions, and the region of each country listed in regions.tsv
#     (taken from the Key Highlights report) must be that one;
#   - the output must have exactly one line per input, in input order,
#     each echoing its input byte for byte once its escapes are undone
#     (\\ \t \r \n: a tab, CR or backslash never reaches the output raw);
#   - with --kosovo serbia every Kosovo spelling must give SRB.
# Prints a table per category, then the wrong answers, the misses and
# the other failures, each with its corpus line.
#
# Run from the build folder (make check does); HARMONIZE may point to the
# binary elsewhere.  Exit 0 pass, 1 fail, 77 skip (the binary has no
# `country` command), 99 a broken corpus or a binary that did not answer.
set -u
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
corpus=${COUNTRY_CORPUS:-$here/corpus.tsv}
regions=${COUNTRY_REGIONS:-$here/regions.tsv}
HARMONIZE=${HARMONIZE:-$(pwd)/harmonize}
iso_json=/usr/share/iso-codes/json/iso_3166-1.json

work=$(mktemp -d "${TMPDIR:-/tmp}/hz-country.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT

hard_error() {
    echo "ERROR: $*" >&2
    exit 99
}

# --- read and check the corpus -------------------------------------------
# Inputs go to work/inputs (decoded, one per line) and work/raw (as
# written in the corpus, for messages); the rest to work/meta as
# LINE<TAB>EXPECTED<TAB>CATEGORY.
[ -r "$corpus" ] || hard_error "cannot read the corpus $corpus"
tab=$'\t'
escapes_ok='^([^\]|\\x[0-9A-Fa-f]{2}|\\t|\\\\)*$'
line_endings='\\x(00|0[aAdD])'
reasons=' unknown_country ambiguous_country not_a_country '
known_codes=' XKX '
if [ -r "$iso_json" ]; then
    known_codes+=$(grep -o '"alpha_3": "[A-Z]*"' "$iso_json" | cut -d'"' -f4 | tr '\n' ' ')
fi
corpus_errors=0
corpus_error() { # FILE:LINE message
    echo "$1: $2" >&2
    corpus_errors=$((corpus_errors + 1))
}
exec 3>"$work/inputs" 4>"$work/raw" 5>"$work/meta"
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    case $line in '' | '#'*) continue ;; esac
    [ "$line" = "input${tab}expected${tab}category${tab}note" ] && continue
    rest=$line
    fields=()
    while :; do
        case $rest in
            *"$tab"*) fields+=("${rest%%"$tab"*}"); rest=${rest#*"$tab"} ;;
            *) fields+=("$rest"); break ;;
        esac
    done
    if [ ${#fields[@]} -lt 3 ] || [ ${#fields[@]} -gt 4 ]; then
        corpus_error "$corpus:$lineno" "expected 3 or 4 tab-separated columns, found ${#fields[@]}"
        continue
    fi
    input=${fields[0]} expected=${fields[1]} category=${fields[2]}
    if ! [[ $input =~ $escapes_ok ]]; then
        corpus_error "$corpus:$lineno" "only \\xNN, \\t and \\\\ may follow a backslash: $input"
        continue
    fi
    if [[ $input =~ $line_endings ]]; then
        corpus_error "$corpus:$lineno" "an input cannot hold a NUL, CR or LF byte: $input"
        continue
    fi
    if [[ $expected =~ ^[A-Z]{3}$ ]]; then
        case $known_codes in
            *" $expected "*) ;;
            *) corpus_error "$corpus:$lineno" "'$expected' is not an ISO 3166-1 alpha-3 code (nor XKX)" ;;
        esac
    else
        case $reasons in
            *" $expected "*) ;;
            *) corpus_error "$corpus:$lineno" "expected must be an alpha-3 code or a refusal reason, not '$expected'" ;;
        esac
    fi
    [[ $category =~ ^[a-z0-9_]+$ ]] || corpus_error "$corpus:$lineno" "bad category '$category'"
    printf '%b\n' "$input" >&3
    printf '%s\n' "$input" >&4
    printf '%s\t%s\t%s\n' $lineno "$expected" "$category" >&5
done <"$corpus"
exec 3>&- 4>&- 5>&-
dups=$(cut -f1 "$work/meta" | paste - "$work/inputs" | awk '{
    line = $0; sub(/\t.*/, "", line); input = substr($0, length(line) + 2)
    if (input in first) printf "%s: input already listed at line %s\n", line, first[input]
    else first[input] = line }')
if [ -n "$dups" ]; then
    while IFS= read -r d; do corpus_error "$corpus:${d%%:*}" "${d#*: }"; done <<<"$dups"
fi
iom_regions="|Asia and the Pacific|Central and North America and the Caribbean|\
East and Horn of Africa|European Economic Area|Middle East and North Africa|South America|\
South-Eastern Europe, Eastern Europe and Central Asia|Southern Africa|West and Central Africa|"
if [ -r "$regions" ]; then
    rlineno=0
    while IFS="$tab" read -r code region; do
        rlineno=$((rlineno + 1))
        case $code in '' | '#'*) continue ;; esac
        case $known_codes in
            *" $code "*) ;;
            *) corpus_error "$regions:$rlineno" "'$code' is not an ISO 3166-1 alpha-3 code (nor XKX)" ;;
        esac
        case $iom_regions in
            *"|$region|"*) ;;
            *) corpus_error "$regions:$rlineno" "'$region' is not one of the nine IOM regions" ;;
        esac
    done <"$regions"
fi
[ $corpus_errors -eq 0 ] || hard_error "$corpus_errors error(s) in the corpus"
cases=$(wc -l <"$work/meta")
echo "corpus: $cases cases from $corpus"

# --- run the matcher -----------------------------------------------------
[ -x "$HARMONIZE" ] || hard_error "no harmonize binary at $HARMONIZE (set HARMONIZE)"
"$HARMONIZE" country Niger >/dev/null 2>"$work/probe.err"
probe=$?
if [ $probe -ne 0 ] && grep -q "unknown command 'country'" "$work/probe.err"; then
    echo "SKIP: $HARMONIZE has no 'country' command yet"
    exit 77
fi
"$HARMONIZE" country <"$work/inputs" >"$work/out" 2>"$work/err"
status=$?
if [ $status -ne 0 ]; then
    cat "$work/err" >&2
    hard_error "harmonize country exited with status $status on the corpus"
fi
# The Kosovo policy: every spelling the corpus expects as XKX, under
# --kosovo serbia.
cut -f2 "$work/meta" | paste - "$work/inputs" | grep "^XKX$tab" | cut -f2- >"$work/kosovo.in"
"$HARMONIZE" country --kosovo serbia <"$work/kosovo.in" >"$work/kosovo.out" 2>"$work/kosovo.err"
kosovo_status=$?

# --- grade ---------------------------------------------------------------
[ -r "$regions" ] || regions=/dev/null
awk -F'\t' -v meta="$work/meta" -v inputs="$work/inputs" -v raw="$work/raw" \
    -v regions="$regions" -v kosovo_in="$work/kosovo.in" -v kosovo_out="$work/kosovo.out" \
    -v kosovo_status=$kosovo_status -v corpus="$(basename "$corpus")" '
# Splits a bulk output line from the right: the input itself may hold tabs.
function parse(line, r,    f, n, i) {
    n = split(line, f, "\t")
    if (n < 5) return 0
    r["rule"] = f[n]; r["region"] = f[n - 1]; r["name"] = f[n - 2]; r["iso3"] = f[n - 3]
    r["input"] = f[1]
    for (i = 2; i <= n - 4; i++) r["input"] = r["input"] "\t" f[i]
    return 1
}
# Undoes the escapes of the echoed input: \\ \t \r \n.
function unescape(s,    out, i, c) {
    out = ""
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "\\" && i < length(s)) {
            c = substr(s, ++i, 1)
            c = c == "t" ? "\t" : c == "r" ? "\r" : c == "n" ? "\n" : c
        }
        out = out c
    }
    return out
}
function note(list, text) { lists[list] = lists[list] "  " text "\n"; counts[list]++ }
BEGIN {
    split("Asia and the Pacific|Central and North America and the Caribbean|" \
          "East and Horn of Africa|European Economic Area|Middle East and North Africa|" \
          "South America|South-Eastern Europe, Eastern Europe and Central Asia|" \
          "Southern Africa|West and Central Africa", r9, "|")
    for (i in r9) iom_region[r9[i]] = 1
    while ((getline l < regions) > 0) {
        if (l ~ /^#/ || l == "") continue
        split(l, f, "\t"); region_of[f[1]] = f[2]
    }
    n = 0
    while ((getline l < meta) > 0) {
        n++; split(l, f, "\t"); line[n] = f[1]; expected[n] = f[2]; category[n] = f[3]
        getline in_[n] < inputs; getline raw_[n] < raw
        if (!(f[3] in seen)) { seen[f[3]] = 1; order[++ncat] = f[3] }
    }
}
{
    i = NR
    if (i > n) { extra++; next }
    where = corpus ":" line[i] ": " raw_[i]
    if (!parse($0, r)) { note("malformed", where "  -> malformed line: " $0); bad[category[i]]++; next }
    if (desync) next
    # The echoed input is escaped (\\ \t \r \n): tabs separate the
    # output columns.
    if (r["input"] ~ /\t/ || unescape(r["input"]) != in_[i]) {
        # One missing or extra line shifts every later answer: grading
        # them would only repeat this failure.
        note("order", where "  -> line " NR " of the output echoes another input: " r["input"] " (later answers not graded)")
        desync = 1; next
    }
    got = r["iso3"]; want = expected[i]; c = category[i]
    if (got != "") {
        if (got !~ /^[A-Z][A-Z][A-Z]$/ || r["name"] == "" || !(r["region"] in iom_region)) {
            note("malformed", where "  -> " got " \"" r["name"] "\" region \"" r["region"] "\" (needs an alpha-3, a name and one of the nine IOM regions)")
            bad[c]++; next
        }
        # Said once per country: every spelling of it shares the table row.
        if (got in region_of && region_of[got] != r["region"] && !(got in region_told)) {
            note("region", where "  -> " got " in \"" r["region"] "\", the report says \"" region_of[got] "\"")
            region_told[got] = 1
        }
    }
    if (want ~ /^[A-Z][A-Z][A-Z]$/) {
        resolvable++
        if (got == want) { ok_resolved[c]++; resolved++ }
        else if (got != "") { note("wrong", where "  -> " got " (" r["name"] ", rule " r["rule"] "), expected " want); wrong[c]++ }
        else { note("miss", where "  -> refused (" r["rule"] "), expected " want); miss[c]++ }
    } else {
        if (got != "") { note("wrong", where "  -> " got " (" r["name"] ", rule " r["rule"] "), expected refusal " want); wrong[c]++ }
        else if (r["rule"] == want) ok_refused[c]++
        else { note("reason", where "  -> refused as " r["rule"] ", expected " want); bad[c]++ }
    }
}
END {
    if (NR < n && !desync) note("order", "the output has " NR " lines for " n " inputs")
    if (extra) note("order", "the output has " extra " more lines than there are inputs")
    if (kosovo_status != 0) note("kosovo", "harmonize country --kosovo serbia exited with status " kosovo_status)
    else {
        k = 0
        while ((getline l < kosovo_in) > 0) {
            k++
            if ((getline o < kosovo_out) <= 0) { note("kosovo", "no answer for \"" l "\" under --kosovo serbia"); continue }
            if (!parse(o, r)) note("kosovo", "\"" l "\" under --kosovo serbia -> malformed line: " o)
            else if (r["iso3"] != "SRB")
                note("kosovo", "\"" l "\" under --kosovo serbia -> " (r["iso3"] == "" ? "refused" : r["iso3"]) " (rule " r["rule"] "), expected SRB")
        }
        if ((getline o < kosovo_out) > 0) note("kosovo", "--kosovo serbia printed more lines than it was given")
    }

    printf "%-20s %5s %9s %8s %6s %6s %6s\n", "category", "rows", "resolved", "refused", "miss", "WRONG", "other"
    for (j = 1; j <= ncat; j++) {
        c = order[j]; rows = 0
        for (i = 1; i <= n; i++) if (category[i] == c) rows++
        printf "%-20s %5d %9d %8d %6d %6d %6d\n", c, rows, ok_resolved[c], ok_refused[c], miss[c], wrong[c], bad[c]
        t_res += ok_resolved[c]; t_ref += ok_refused[c]; t_miss += miss[c]; t_wrong += wrong[c]; t_bad += bad[c]
    }
    printf "%-20s %5d %9d %8d %6d %6d %6d\n", "total", n, t_res, t_ref, t_miss, t_wrong, t_bad
    printf "\nresolved %d of %d resolvable (%.2f%%, at least 99%% needed); %d wrong (none allowed)\n",
        resolved, resolvable, resolvable ? 100 * resolved / resolvable : 100, t_wrong
    split("wrong|miss|reason|region|malformed|order|kosovo", kinds, "|")
    title["wrong"] = "WRONG answers"; title["miss"] = "misses (refused, a country was expected)"
    title["reason"] = "refusals with another reason"; title["region"] = "countries in another region than the report"
    title["malformed"] = "malformed answers"; title["order"] = "output not one line per input in order"
    title["kosovo"] = "Kosovo under --kosovo serbia"
    for (j = 1; j <= 7; j++)
        if (counts[kinds[j]]) printf "\n%s (%d):\n%s", title[kinds[j]], counts[kinds[j]], lists[kinds[j]]
    fail = t_wrong > 0 || 100 * resolved < 99 * resolvable
    for (j = 3; j <= 7; j++) if (counts[kinds[j]]) fail = 1
    print (fail ? "\nFAIL" : "\nPASS")
    exit fail
}' "$work/out"
