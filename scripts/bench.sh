#!/usr/bin/env bash
# Conv1d benchmarks: ConvScope vs bare sgemm (same M,N,K) vs PyTorch.
#   scripts/bench.sh [BUILD_DIR]     (default build-bench/, configured with CONVSCOPE_BENCH=ON)
# Runs conv1d_bench twice: with the environment's OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE
# as they are, then with both unset (OpenBLAS picks its native kernel); PyTorch
# once; then the peak-RSS program. Results land in BUILD_DIR/bench-results/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build-bench}"
out="$build/bench-results"
reps="${BENCH_REPETITIONS:-5}"
mkdir -p "$out"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCONVSCOPE_BENCH=ON >/dev/null
cmake --build "$build" -j 2 --target conv1d_bench conv1d_peak_rss
bench="$(find "$build" -name conv1d_bench -type f -perm -u+x | head -1)"
rss="$(find "$build" -name conv1d_peak_rss -type f -perm -u+x | head -1)"
args=(--benchmark_min_time=0.2 --benchmark_repetitions="$reps" --benchmark_enable_random_interleaving=true
      --benchmark_format=json)

echo "== conv1d_bench, environment as-is (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE-<unset>} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE-<unset>})"
"$bench" "${args[@]}" --benchmark_out="$out/convscope_env.json" >/dev/null
echo "== conv1d_bench, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (native kernel)"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$bench" "${args[@]}" --benchmark_out="$out/convscope_native.json" >/dev/null
echo "== PyTorch"
GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824 \
  /usr/bin/python3 "$root/tests/bench/torch_conv1d_bench.py" --repetitions "$reps" >"$out/torch.json"

/usr/bin/python3 "$root/tests/bench/summarize_bench.py" "$out/torch.json" \
  "environment as-is=$out/convscope_env.json" "native kernel=$out/convscope_native.json" | tee "$out/summary.md"

echo
echo "== peak RSS, 10M steps x 8 channels, 3 convs"
"$rss" check 200000
"$rss" streamed | tee -a "$out/summary.md"
"$rss" whole | tee -a "$out/summary.md"
