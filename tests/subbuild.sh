#!/usr/bin/env bash
# A second build of the source tree with other flags (make check-asan, make fuzz), kept
# apart from the main build so its objects are untouched, and reused (incremental) next time.
#
#   subbuild.sh SRCDIR DEST [CONFIGURE-ARG...] -- [VAR=VALUE...] -- [MAKE-ARG...]
#
# configures DEST/build with CONFIGURE-ARGs (again only when they change), then runs
# `make MAKE-ARGs` there with the VAR=VALUE environment.  A source tree configured in place
# cannot serve a second (VPATH) build, so its sources are copied to DEST/src first: the
# files git knows or would add (untracked but not ignored), or `make distdir` outside git.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 SRCDIR DEST [CONFIGURE-ARG...] -- [VAR=VALUE...] -- [MAKE-ARG...]" >&2; exit 2; }
srcdir=$(cd "$1" && pwd)
dest=$2
shift 2
configure_args=() env_args=() make_args=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do configure_args+=("$1"); shift; done
[ $# -gt 0 ] && shift
while [ $# -gt 0 ] && [ "$1" != -- ]; do env_args+=("$1"); shift; done
[ $# -gt 0 ] && shift
make_args=("$@")
jobs=${HZ_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}

mkdir -p "$dest/build"
dest=$(cd "$dest" && pwd)
log() { echo "subbuild: $*"; }

if [ -f "$srcdir/config.status" ]; then
    src=$dest/src
    mkdir -p "$src"
    if git -C "$srcdir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        log "copying the sources of $srcdir (git ls-files) to $src"
        (cd "$srcdir" && git ls-files -z --cached --others --exclude-standard |
            while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
            tar --null -T - -cf -) | tar -C "$src" -xpf -
        # Generated files the main build already made (ignored by git): no autoreconf needed.
        (cd "$srcdir" && for f in configure aclocal.m4 config.h.in Makefile.in build-aux m4; do
            [ -e "$f" ] && printf '%s\0' "$f"
        done | tar --null -T - -cf -) | tar -C "$src" -xpf -
    else
        log "copying the sources of $srcdir (make distdir) to $src"
        rm -rf "$src"
        make -C "$srcdir" distdir distdir="$src" >/dev/null
    fi
    # Never let a copied build product stand in for a target (make would find it via VPATH).
    find "$src" -type f \( -name '*.o' -o -name '*.lo' -o -name '*.la' -o -name '*.so' -o -name '*.a' \) -delete
    find "$src" -type f -perm -u+x -size +1k -print0 | while IFS= read -r -d '' f; do
        if [ "$(head -c 4 "$f" | tr -d '\0')" = "$(printf '\177ELF')" ]; then rm -f "$f"; fi
    done
else
    src=$srcdir
fi
[ -x "$src/configure" ] || { log "autoreconf -fi in $src"; (cd "$src" && autoreconf -fi); }

cd "$dest/build"
wanted="$src/configure ${configure_args[*]}"
if [ ! -f Makefile ] || [ ! -f .hz-configured ] || [ "$(cat .hz-configured)" != "$wanted" ]; then
    log "configuring $dest/build: $wanted"
    "$src/configure" -q "${configure_args[@]}"
    printf '%s' "$wanted" >.hz-configured
fi
log "make -j$jobs in $dest/build"
env ${env_args[@]+"${env_args[@]}"} make -j"$jobs" ${make_args[@]+"${make_args[@]}"}
