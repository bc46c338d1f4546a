#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/packages.txt that are missing.
# Uses sudo when not root. Safe to run again: it does nothing when all are present.
#   --run     only what building and running the programs needs (scripts/run.sh):
#             skips the packages marked "# test-only" in packages.txt
#   --golden  adds what regenerating the golden test data needs
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
list="$(grep -v '^\s*#' "$here/packages.txt")"
if [ "${1:-}" = "--run" ]; then
  list="$(grep -v '#\s*test-only' <<<"$list" || true)"
fi
mapfile -t wanted < <(sed 's/#.*//; s/^\s*//; s/\s*$//' <<<"$list" | grep -v '^$')
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
