# Sourced by the tests of tests/pg: starts a throw-away PostgreSQL server
# (initdb + pg_ctl) in a temporary folder, listening on a free port of
# 127.0.0.1 with its unix socket in that folder, exports HARMONIZE_PG for
# it, and stops it and removes everything on exit.  Leaves the caller in
# an empty folder ($work/run) with:
#   check LABEL ACTUAL EXPECTED   count a failure when they differ
#   run PIPELINE                  harmonize run -q, stdout/stderr in last.out/last.err
#   q SQL                         psql, unaligned, tuples only
#   port_in_use PORT
# and $failures, $HARMONIZE, $psql, $port, $work, $as_server.
#
# Run from the build folder (make check does); HARMONIZE and
# HARMONIZE_PLUGIN_PATH may point elsewhere.  Exits 77 (skip) only when the
# PostgreSQL server binaries are not installed; PG_BINDIR may name them.
# initdb refuses to run as root: as root, the server runs as the
# 'postgres' user (or 'nobody').
build=$(pwd)
HARMONIZE=${HARMONIZE:-$build/harmonize}
export HARMONIZE_PLUGIN_PATH=${HARMONIZE_PLUGIN_PATH:-$build/plugins/.libs}

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
    for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bindir=$d; done
fi
if [ -z "$bindir" ] && command -v pg_config >/dev/null 2>&1; then bindir=$(pg_config --bindir); fi
if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1; then bindir=$(dirname "$(command -v initdb)"); fi
if [ -n "${PG_BINDIR:-}" ] && [ ! -x "$bindir/initdb" ]; then
    echo "ERROR: PG_BINDIR=$PG_BINDIR has no initdb"
    exit 99
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ] || [ ! -x "$bindir/postgres" ]; then
    echo "SKIP: PostgreSQL server binaries (initdb, pg_ctl, postgres) are not installed (Debian: postgresql)"
    exit 77
fi
psql=$bindir/psql
[ -x "$psql" ] || psql=$(command -v psql) || { echo "ERROR: psql not found"; exit 99; }

# As root, run the server as an unprivileged user.
as_server=()
if [ "$(id -u)" -eq 0 ]; then
    user=postgres
    id "$user" >/dev/null 2>&1 || user=nobody
    if command -v runuser >/dev/null 2>&1; then
        as_server=(runuser -u "$user" --)
    else
        as_server=(setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups --)
    fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/hz-pg.XXXXXX")
chmod 755 "$work"
mkdir "$work/data" "$work/socket" "$work/run"
[ ${#as_server[@]} -gt 0 ] && chown "$user" "$work/data" "$work/socket"
started=0
cleanup() {
    [ "$started" = 1 ] && "${as_server[@]}" "$bindir/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! "${as_server[@]}" "$bindir/initdb" -D "$work/data" -U hz -A trust -E UTF8 --locale=C --no-sync \
    >"$work/initdb.log" 2>&1; then
    echo "ERROR: initdb failed:"; cat "$work/initdb.log"; exit 99
fi

# A free port: probe a few random ones; retry if another process takes it first.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    port_in_use "$port" && continue
    if "${as_server[@]}" "$bindir/pg_ctl" -D "$work/data" -l "$work/data/server.log" -w -t 60 \
        -o "-p $port -k $work/socket -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1; then
        started=1
        break
    fi
done
if [ "$started" != 1 ]; then
    echo "ERROR: the PostgreSQL server did not start:"; cat "$work/data/server.log"; exit 99
fi

export HARMONIZE_PG="host=127.0.0.1 port=$port user=hz dbname=postgres connect_timeout=10"
cd "$work/run" || exit 99

failures=0
check() { # label actual expected
    if [ "$2" = "$3" ]; then
        echo "ok   $1"
    else
        echo "FAIL $1"
        echo "  got:      $(printf '%s' "$2" | sed ':a;N;$!ba;s/\n/\\n/g')"
        echo "  expected: $(printf '%s' "$3" | sed ':a;N;$!ba;s/\n/\\n/g')"
        failures=$((failures + 1))
    fi
}
run() { "$HARMONIZE" run -q "$1" >last.out 2>last.err; }
q() { "$psql" "$HARMONIZE_PG" -X -A -t -q -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
