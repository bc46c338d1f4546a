#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through CTest:
#   1. the normal build (build/),
#   2. the Debian package built from build/ and checked (lintian, then the programs run
#      from a folder it is unpacked into),
#   3. the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/),
#   4. the readers' libFuzzer targets for a bounded time (build-fuzz/, clang).
# Exits non-zero on any failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jobs="$(nproc)"
export QT_QPA_PLATFORM=offscreen

"$root/scripts/setup.sh"

echo "== build and test (build/)"
"$root/scripts/build.sh" "$root/build"
ctest --test-dir "$root/build" --output-on-failure -j "$jobs" -LE fuzz

echo "== Debian package: build, lintian, run from an unpacked root (build/package/)"
deb="$("$root/scripts/package.sh" "$root/build" | tail -1)"
"$root/scripts/check_package.sh" "$deb"

echo "== build and test under ASan + UBSan (build-asan/)"
"$root/scripts/build.sh" "$root/build-asan" -DCONVSCOPE_SANITIZE=ON -DCONVSCOPE_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
ctest --test-dir "$root/build-asan" --output-on-failure -j "$jobs" -LE fuzz

if [ -f "$root/tests/fuzz/CMakeLists.txt" ]; then
  echo "== fuzz the readers briefly (build-fuzz/)"
  "$root/scripts/build.sh" "$root/build-fuzz" -DCONVSCOPE_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++
  ctest --test-dir "$root/build-fuzz" --output-on-failure -j "$jobs" -L fuzz
fi
