#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through CTest:
#   1. the normal build (build/),
#   2. the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/),
#   3. the readers' libFuzzer targets for a bounded time (build-fuzz/, clang).
# Exits non-zero on any failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jobs="$(nproc)"
export QT_QPA_PLATFORM=offscreen

"$root/scripts/setup.sh"

echo "== build and test (build/)"
"$root/scripts/build.sh" "$root/build"
ctest --test-dir "$root/build" --output-on-failure -j "$jobs" -LE fuzz

echo "== build and test under ASan + UBSan (build-asan/)"
"$root/scripts/build.sh" "$root/build-asan" -DCONVSCOPE_SANITIZE=ON -DCONVSCOPE_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
ctest --test-dir "$root/build-asan" --output-on-failure -j "$jobs" -LE fuzz

if [ -f "$root/tests/fuzz/CMakeLists.txt" ]; then
  echo "== fuzz the readers briefly (build-fuzz/)"
  "$root/scripts/build.sh" "$root/build-fuzz" -DCONVSCOPE_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++
  ctest --test-dir "$root/build-fuzz" --output-on-failure -j "$jobs" -L fuzz
fi
