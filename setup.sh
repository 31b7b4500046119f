#!/usr/bin/env bash
# One command from a fresh Debian 12 checkout to a harmonized dataset:
# install the build dependencies, build, and run the default pipeline (the
# Key Highlights tables from six offices' sample feeds).
set -euo pipefail
umask 022 # plugins and their folders must not be group-writable (core/plugin_file.c)
cd "$(dirname "$0")"
scripts/install-deps.sh
[ -x configure ] || autoreconf -fi >/dev/null
[ -f Makefile ] || ./configure -q
make -j"$(nproc)" >/dev/null
HARMONIZE_PLUGIN_PATH="$PWD/plugins/.libs" ./harmonize run pipelines/key-highlights.yaml
out=pipelines/out
rows() { echo $(($(wc -l <"$1") - 1)); }
echo
echo "harmonized returns:  $out/returns.csv ($(rows $out/returns.csv) rows)"
echo "published tables:    $out/key-highlights.sqlite (returns, flows, top_hosts, top_origins, totals, rejects)"
echo "                     and as CSV: $out/flows.csv, top_hosts.csv, top_origins.csv, totals.csv"
echo "duplicates dropped:  $out/duplicates.csv ($(rows $out/duplicates.csv) rows)"
echo "rejected rows:       $out/rejects.csv ($(rows $out/rejects.csv) rows)"
echo "what the run did:    $out/manifest.json (inputs, outputs, versions, SHA-256); ./harmonize history pipelines/key-highlights.yaml"
