#!/usr/bin/env bash
# One command from a fresh Debian 12 checkout to a harmonized dataset:
# install the build dependencies, build, and run the bundled example.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
[ -x configure ] || autoreconf -fi >/dev/null
[ -f Makefile ] || ./configure -q
make -j"$(nproc)" >/dev/null
HARMONIZE_PLUGIN_PATH="$PWD/plugins/.libs" ./harmonize run pipelines/example.yaml
echo
echo "harmonized rows:  pipelines/out/returns.csv ($(($(wc -l < pipelines/out/returns.csv) - 1)) rows)"
echo "rejected rows:    pipelines/out/rejects.csv ($(($(wc -l < pipelines/out/rejects.csv) - 1)) rows)"
