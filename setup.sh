#!/usr/bin/env bash
# One command from a fresh Debian 12 checkout to a harmonized dataset:
# install what building and running harmonize need (not the test tools:
# tests/run.sh adds those), build, and run the default pipeline (the Key
# Highlights tables from six offices' sample feeds).
set -euo pipefail
umask 022 # plugins and their folders must not be group-writable (core/plugin_file.c)
cd "$(dirname "$0")"
step() { printf '== %s\n' "$*"; }

step "installing the packages harmonize needs (scripts/install-deps.sh)"
scripts/install-deps.sh
if [ ! -f Makefile ]; then
    step "configuring"
    # autoreconf reports each file it installs: shown only if it fails.
    if [ ! -x configure ] && ! log=$(autoreconf -fi 2>&1); then
        printf '%s\n' "$log" >&2
        exit 1
    fi
    ./configure -q
fi
# Silent rules print one line per file, on standard output: dropped.  Compiler
# errors and warnings (and make's own) are on standard error, shown as they come.
step "building"
make -j"$(nproc)" >/dev/null
step "running the default pipeline (pipelines/key-highlights.yaml)"
./harmonize run pipelines/key-highlights.yaml
out=pipelines/out
rows() { echo $(($(wc -l <"$1") - 1)); }
echo
echo "harmonized returns:  $out/returns.csv ($(rows $out/returns.csv) rows)"
echo "reintegration services: $out/services.csv ($(rows $out/services.csv) rows)"
echo "published tables:    $out/key-highlights.sqlite (returns, flows, top_hosts, top_origins, totals,"
echo "                     services, top_offices, service_totals, rejects)"
echo "                     and as CSV: $out/flows.csv, top_hosts.csv, top_origins.csv, totals.csv,"
echo "                     top_offices.csv, service_totals.csv"
echo "duplicates dropped:  $out/duplicates.csv ($(rows $out/duplicates.csv) rows)"
echo "rejected rows:       $out/rejects.csv ($(rows $out/rejects.csv) rows)"
echo "what the run did:    $out/manifest.json (inputs, outputs, versions, SHA-256); ./harmonize history pipelines/key-highlights.yaml"
