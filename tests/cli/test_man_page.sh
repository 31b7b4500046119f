#!/usr/bin/env bash
# The man page (docs/harmonize.1) covers what `harmonize --help` and each
# `harmonize COMMAND --help` print: every command has its entry under COMMANDS
# and its line in the SYNOPSIS, every option a command's --help lists is
# documented, and the page renders without a single groff warning.
set -u
HARMONIZE=${HARMONIZE:-./harmonize}
srcdir=${srcdir:-.}
man=$srcdir/docs/harmonize.1
[ -x "$HARMONIZE" ] || { echo "$HARMONIZE is not built"; exit 99; }
command -v groff >/dev/null || { echo "groff is missing (scripts/install-deps.sh --test)"; exit 99; }
failures=0
fail() {
    echo "FAIL $*"
    failures=$((failures + 1))
}

# The man page as text, one line per line, hyphens plain.
# Lines as long as a paragraph and no hyphenation: one synopsis line per command.
errs=$(mktemp "${HZ_TEST_TMPDIR:-${TMPDIR:-/tmp}}/hz-man.XXXXXX") || exit 99
text=$(groff -man -Tutf8 -P-cbou -rLL=2000n -rHY=0 -ww "$man" 2>"$errs" | sed 's/‐/-/g; s/  */ /g')
warnings=$(cat "$errs")
rm -f "$errs"
[ -z "$warnings" ] || fail "groff warns: $warnings"
synopsis=$(echo "$text" | sed -n '/^SYNOPSIS/,/^DESCRIPTION/p')
commands_section=$(echo "$text" | sed -n '/^COMMANDS/,/^OPTIONS/p')

# The commands harmonize --help lists: the first word of each line under "commands:".
commands=$("$HARMONIZE" --help | sed -n '/^commands:/,/^$/p' | grep -oE '^  [a-z]+' | tr -d ' ')
[ -n "$commands" ] || fail "harmonize --help lists no command"
for cmd in $commands; do
    line=$(echo "$synopsis" | grep -E "^ harmonize $cmd( |$)")
    [ -n "$line" ] || fail "SYNOPSIS has no 'harmonize $cmd' line"
    echo "$commands_section" | grep -qE "^ $cmd( |$)" || fail "COMMANDS has no entry for $cmd"
    for opt in $("$HARMONIZE" "$cmd" --help 2>&1 | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
        [ "$opt" = --help ] && continue
        echo "$text" | grep -qF -- "$opt" || fail "$cmd --help lists $opt, which the man page does not document"
        echo "$line" | grep -qF -- "$opt" || fail "the SYNOPSIS line of $cmd lacks $opt"
    done
done
[ "$failures" -eq 0 ] && echo "the man page documents every command and option --help lists"
exit $((failures > 0))
