#!/usr/bin/env bash
# Installs the Debian 12 packages harmonize needs, as root (or through sudo);
# only those not installed yet, so a second call installs nothing.
#
#   scripts/install-deps.sh           to build and run harmonize (setup.sh)
#   scripts/install-deps.sh --test    that, plus the tools of the test suite
#                                     (tests/run.sh, and CI through .ci/run)
#
# Where a new package goes, one package a line:
#   build_packages  needed to build harmonize or to run it: a build tool, a
#                   library the core or a bundled plugin links (its -dev package),
#                   a program harmonize itself starts.
#   test_packages   needed only by the tests: make check (cmocka, the command-line
#                   tools the test scripts call, the PostgreSQL server of tests/pg),
#                   make lint, make check-asan, make check-valgrind, make fuzz.
set -euo pipefail

build_packages=(
  autoconf
  automake
  build-essential
  libcsv-dev
  libfreexl-dev # legacy .xls workbooks, the xls source
  libarchive-dev # compressed feeds, the xlsx source
  libjansson-dev
  libpq-dev
  libsodium-dev
  libsqlite3-dev
  libssl-dev
  libtool
  libutf8proc-dev
  libxlsxwriter-dev # xlsx workbooks
  libxml2-dev
  libyaml-dev
  pkg-config
)

test_packages=(
  clang # make fuzz (libFuzzer)
  clang-format # make lint
  cppcheck # make lint
  libclang-rt-14-dev # make fuzz: clang's libFuzzer and sanitizer runtimes
  libcmocka-dev # the unit tests (tests/unit)
  postgresql # tests/pg: initdb, pg_ctl, psql
  python3 # reference outputs, JSON checks, generated feeds (tests/plugins/pseudonymize, tests/logging, tests/e2e)
  sqlite3 # the sqlite3 command that reads back what the SQLite sink wrote
  time # /usr/bin/time: the memory ceiling of tests/hostile
  gzip # tests/formats: compressed feeds made by the real tools
  xz-utils # tests/formats
  zstd # tests/formats
  zip # tests/formats
  bzip2 # tests/formats
  valgrind # make check-valgrind
  groff-base # tests/cli/test_man_page.sh renders the man page
  chromium # tests/report: the report sink's page opened in headless Chromium (DOM, screenshot, PDF, no request)
)

usage() {
    echo "usage: scripts/install-deps.sh [--test]" >&2
    exit 2
}
packages=("${build_packages[@]}")
case $# in
0) ;;
1) [ "$1" = --test ] || usage; packages+=("${test_packages[@]}") ;;
*) usage ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
