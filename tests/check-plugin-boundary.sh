#!/usr/bin/env bash
# The plugin boundary: a plugin is compiled against include/ (the plugin ABI)
# and lib/ (libraries such as lib/country, through their public header) only,
# never against the core or another plugin.  Fails, naming file and line,
# when a C file under plugins/
#   - includes a header of the core ("../../core/util.h", "core/util.h", or a
#     name only core/ has, which would need -I core);
#   - includes a file of another plugin's folder ("../sqlite/sql_types.h");
#   - includes a private header of a library: when lib/X/hz_X.h exists it is
#     the one header of lib/X that users may include;
# or when a plugins/*/local.am
#   - names core/ or another plugin's folder (SOURCES, flags, anything);
#   - builds a program or library without its own CPPFLAGS set from
#     $(plugin_cppflags) (AM_CPPFLAGS has -I core, and per-target CPPFLAGS
#     replace it).
# What several plugins share lives in a library under lib/ (lib/support for
# the bundled plugins' helpers), never in one plugin's folder.
#
# Usage: tests/check-plugin-boundary.sh [TOP_SRCDIR]   (make check, make lint)
# Silent and exit 0 when the boundary holds; exit 1 otherwise.
set -u
top=${1:-$(dirname "$0")/..}
top=$(cd "$top" && pwd) || exit 99

failed=0
fail() {
    echo "$1: $2" >&2
    failed=1
}
is_plugin() { [ -n "$1" ] && [ -f "$top/plugins/$1/local.am" ]; }

# Where a plugin's file lands when it names $2 (relative to $top): a file of
# its own folder, of another one, of the core, of include/ or lib/.  $1 is
# the folder of the naming file (relative to $top).
check_target() { # where-for-messages plugin-folder resolved-path
    local where=$1 p=$2 r=$3 q l
    case $r in
    core/* | */core/*) fail "$where" "includes $r, a header of the core" ;;
    "plugins/$p"/*) ;;
    plugins/*/*)
        q=${r#plugins/}
        q=${q%%/*}
        if is_plugin "$q"; then
            fail "$where" "uses $r, a file of plugins/$q (share it through a library under lib/)"
        fi
        ;;
    include/*) ;;
    lib/*/*)
        l=${r#lib/}
        l=${l%%/*}
        if [ -f "$top/lib/$l/hz_$l.h" ] && [ "$r" != "lib/$l/hz_$l.h" ]; then
            fail "$where" "includes $r, private to lib/$l (include lib/$l/hz_$l.h)"
        fi
        ;;
    *) fail "$where" "includes $r, outside plugins/$p, include/ and lib/" ;;
    esac
}

# The includes of the plugins' C files.
include_re='^[[:space:]]*#[[:space:]]*include[[:space:]]*([<"])([^>"]+)[>"]'
while IFS= read -r file; do
    rel=${file#"$top"/}
    dir=$(dirname "$file")
    p=${rel#plugins/}
    case $p in */*) p=${p%%/*} ;; *) p= ;; esac
    while IFS= read -r hit; do
        line=${hit%%:*}
        text=${hit#*:}
        [[ $text =~ $include_re ]] || continue
        kind=${BASH_REMATCH[1]}
        name=${BASH_REMATCH[2]}
        r=
        if [ "$kind" = '"' ] && [ -e "$dir/$name" ]; then
            r=$(realpath -m --relative-to="$top" "$dir/$name")
        else
            # -I include, -I lib; then what would need -I core, or the
            # top source folder automake puts on every command line.
            for base in include lib core .; do
                if [ -f "$top/$base/$name" ]; then
                    r=$(realpath -m --relative-to="$top" "$top/$base/$name")
                    break
                fi
            done
        fi
        if [ -z "$r" ]; then
            # A system or generated header, unless it spells a core path.
            case $name in core/* | */core/*) r=$name ;; *) continue ;; esac
        fi
        check_target "$rel:$line" "$p" "$r"
    done < <(grep -n '^[[:space:]]*#[[:space:]]*include' "$file")
done < <(find "$top/plugins" -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)

# The plugins' build rules.
for am in "$top"/plugins/*/local.am; do
    rel=${am#"$top"/}
    p=${rel#plugins/}
    p=${p%%/*}
    # Logical lines (continuations joined), each with its first line number.
    logical=$(awk '{ if (cont == "") start = NR }
        sub(/\\$/, "") { cont = cont $0 " "; next }
        { print start ":" cont $0; cont = "" }' "$am")
    targets=
    while IFS= read -r hit; do
        [ -n "$hit" ] || continue
        line=${hit%%:*}
        text=${hit#*:}
        text=${text%%#*}
        var=$(sed -n 's/^[[:space:]]*\([A-Za-z0-9_@]*\)[[:space:]]*+\{0,1\}=.*/\1/p' <<<"$text")
        value=${text#*=}
        [ -n "$var" ] || continue
        for tok in $value; do
            case $tok in
            *'$(AM_CPPFLAGS)'*) fail "$rel:$line" "$var uses \$(AM_CPPFLAGS), which has -I core" ;;
            core | core/* | */core | */core/*) fail "$rel:$line" "$var names $tok, in the core" ;;
            plugins/*/*) check_target "$rel:$line" "$p" "$tok" ;;
            esac
        done
        case $var in
        *_PROGRAMS | *_LTLIBRARIES | *_LIBRARIES) targets="$targets $value" ;;
        esac
    done <<<"$logical"
    for t in $targets; do
        canon=$(sed 's/[^A-Za-z0-9@]/_/g' <<<"$t")
        if ! grep -Eq "^[[:space:]]*${canon}_CPPFLAGS[[:space:]]*=[[:space:]]*\\\$\\(plugin_cppflags\\)" "$am"; then
            fail "$rel" "$t has no ${canon}_CPPFLAGS = \$(plugin_cppflags) (without it AM_CPPFLAGS, with -I core, applies)"
        fi
    done
done

exit $failed
