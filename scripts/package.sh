#!/usr/bin/env bash
# Builds the Debian package: BUILD_DIR/package/convscope_<version>_amd64.deb.
#   scripts/package.sh [BUILD_DIR]      (default build/, the folder scripts/run.sh uses)
# Builds only the two programs and their man pages, then CPack's DEB generator
# (packaging/CMakeLists.txt says what goes where). Prints only the package's path on
# stdout; everything else goes to stderr.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
"$root/scripts/setup.sh" >&2

version="$(sed -n 's/^project(ConvScope VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"
if ! head -1 "$root/packaging/changelog" | grep -qF "convscope ($version)"; then
  echo "package: packaging/changelog has no entry for version $version; add one at the top" >&2
  exit 2
fi

"$root/scripts/build.sh" "$build" --target convscope --target convscope-cli --target convscope_package_files >&2
rm -f "$build/package"/convscope_*.deb
(cd "$build" && cpack -G DEB --config CPackConfig.cmake >&2)
deb="$build/package/convscope_${version}_amd64.deb"
test -f "$deb"
echo "$deb"
