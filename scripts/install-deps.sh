#!/usr/bin/env bash
# Installs what harmonize needs to build and test on Debian 12, as root
# (or through sudo).  Used by setup.sh and by CI, so both install the same.
set -euo pipefail
packages=(
  build-essential autoconf automake libtool pkg-config
  libyaml-dev libcsv-dev libxml2-dev libcmocka-dev libutf8proc-dev
  libsqlite3-dev libpq-dev libjansson-dev libssl-dev libsodium-dev libxlsxwriter-dev sqlite3 postgresql
  valgrind clang libclang-rt-14-dev cppcheck clang-format
  time python3
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
