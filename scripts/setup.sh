#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/packages.txt that are missing.
# Uses sudo when not root. Safe to run again: it does nothing when all are present.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mapfile -t wanted < <(grep -v '^\s*#' "$here/packages.txt" | grep -v '^\s*$')
if [ "${1:-}" = "--golden" ]; then
  # Only for regenerating golden test data (tests/golden/*.py); CI never needs these.
  wanted+=(python3-torch python3-numpy python3-keras-preprocessing)
fi
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
