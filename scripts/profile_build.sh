#!/usr/bin/env bash
# Where the build time goes: a clean build with every compile timed (wall, user,
# sys), then the totals per target and the heaviest translation units.
#   scripts/profile_build.sh [DIR] [cmake args...] [--target NAME...]
# Default DIR is build-profile/ (wiped first); ccache is bypassed so every file
# really compiles. docs/PERFORMANCE.md ("Build time") quotes its output.
set -euo pipefail
if [ "${1:-}" = "--launch" ]; then
  # Used as the compiler launcher: time one compile, append "wall user sys object".
  shift
  out=""; prev=""
  for a in "$@"; do [ "$prev" = "-o" ] && out="$a"; prev="$a"; done
  exec /usr/bin/time -f "%e %U %S $out" -a -o "${CONVSCOPE_PROFILE_LOG:-/dev/null}" "$@"
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$(realpath -m "${1:-$root/build-profile}")"; shift || true
rm -rf "$dir"; mkdir -p "$dir"
export CONVSCOPE_PROFILE_LOG="$dir/compile-times.txt"
: >"$CONVSCOPE_PROFILE_LOG"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
# CCACHE_PROGRAM is the launcher the top-level CMakeLists.txt installs; point it here.
"$root/scripts/build.sh" "$dir" -DCCACHE_PROGRAM="$root/scripts/profile_build.sh;--launch" "$@" >"$dir/build-output.txt"
end=$(date +%s.%N)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v wall="$(echo "$end - $start" | bc)" '
  { n++; w += $1; cpu += $2 + $3
    obj = $4; t = obj; sub(/\/CMakeFiles\/.*/, "", t); sub(/.*CMakeFiles\//, "", obj)
    split(obj, parts, ".dir/"); target = parts[1]; file = parts[2]
    per[target] += $2 + $3; count[target]++; tu[target "/" file] = $2 + $3 }
  END {
    printf "%d compiles, build wall %.0f s, compile CPU (user+sys) %.0f s\n\n", n, wall, cpu
    print "CPU s  files  target"
    for (t in per) printf "%6.1f %5d  %s\n", per[t], count[t], t | "sort -rn"
    close("sort -rn")
    print "\nheaviest translation units (CPU s)"
    for (f in tu) printf "%6.1f  %s\n", tu[f], f | "sort -rn | head -15"
  }' "$CONVSCOPE_PROFILE_LOG"
