#!/usr/bin/env bash
# The committed sample feeds are what scripts/gen-samples.py writes: nobody
# edited them by hand, and a change to the generator was committed with its
# output. Exit 77 (skip) without python3.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${srcdir:-$here/../..}" && pwd)
if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP: python3 is not installed"
    exit 77
fi
if python3 "$top_srcdir/scripts/gen-samples.py" --check --out "$top_srcdir/pipelines/samples"; then
    echo "PASS: pipelines/samples is what scripts/gen-samples.py writes"
    exit 0
fi
echo "FAIL: pipelines/samples differs from a fresh run of scripts/gen-samples.py (run it and commit the result)"
exit 1
