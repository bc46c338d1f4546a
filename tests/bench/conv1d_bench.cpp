// ConvScope conv1d against the bare cblas_sgemm calls its lowering makes (the
// anchor: same M, N, K and tiling, operands ready, no im2col), for shapes a-e
// in both layouts and on 1 and 2 OpenBLAS threads. Counters: GFLOP/s of the
// convolution's useful work, so conv and anchor rows compare directly.
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "bench_shapes.hpp"
#include "kernels/conv1d.hpp"

extern "C" char* openblas_get_corename(void);
extern "C" void openblas_set_num_threads(int);

using namespace convscope;
using namespace convscope::kernels;

namespace {

std::vector<float> random_floats(size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.0f, 1.0f);
    std::vector<float> v(n);
    for (auto& x : v) x = dist(rng);
    return v;
}

const char* layout_name(Layout l) { return l == Layout::ChannelsFirst ? "channels_first" : "channels_last"; }

// CONVSCOPE_TILE_BYTES=n overrides the workspace's patch tile size, for tuning runs.
std::size_t tile_bytes_override = 0;

enum class Variant { Auto, Gemm, Direct, Im2colOnly, Winograd };

void run_conv(benchmark::State& state, bench::BenchShape shape, Layout layout, int threads, Variant variant) {
    openblas_set_num_threads(threads);
    const Conv1dGeometry g = bench::same_geometry(shape);
    const int64_t out_len = conv1d_output_length(g, shape.length);
    const auto x = random_floats(size_t(shape.batch * shape.in_channels * shape.length), 1);
    const auto w = random_floats(size_t(shape.out_channels * g.in_per_group() * shape.kernel_size), 2);
    const auto b = random_floats(size_t(shape.out_channels), 3);
    std::vector<float> y(size_t(shape.batch * shape.out_channels * out_len));
    ConvWorkspace ws;
    if (tile_bytes_override > 0) ws.set_tile_bytes(tile_bytes_override);
    if (variant == Variant::Im2colOnly) ws.set_tap_gemm_min_channels(INT64_MAX);
    auto once = [&] {
        switch (variant) {
        case Variant::Auto: conv1d(g, layout, shape.batch, shape.length, x, w, b, y, ws); break;
        case Variant::Gemm:
        case Variant::Im2colOnly: conv1d_gemm(g, layout, shape.batch, shape.length, x, w, b, y, ws); break;
        case Variant::Direct: depthwise_conv1d(g, layout, shape.batch, shape.length, x, w, b, y, ws); break;
        case Variant::Winograd: winograd_conv1d(g, layout, shape.batch, shape.length, x, w, b, y, ws); break;
        }
    };
    once();  // first touch of y and the workspace happens outside the timing
    for (auto _ : state) {
        once();
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    state.counters["GFLOPS"] = benchmark::Counter(bench::conv_flops(shape) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

// The sgemm calls of the im2col lowering with the same tiles, on ready-made
// operands: what the convolution would cost if lowering were free.
void run_anchor(benchmark::State& state, bench::BenchShape shape, Layout layout, int threads) {
    openblas_set_num_threads(threads);
    const Conv1dGeometry g = bench::same_geometry(shape);
    const int64_t out_len = conv1d_output_length(g, shape.length);
    const int64_t cin = g.in_per_group(), cout = g.out_per_group(), depth = cin * g.kernel_size;
    ConvWorkspace ws;
    if (tile_bytes_override > 0) ws.set_tile_bytes(tile_bytes_override);
    const int64_t tile = ws.tile_length(depth, out_len);
    const auto w = random_floats(size_t(shape.out_channels * depth), 2);
    const auto patches = random_floats(size_t(depth * tile), 4);
    std::vector<float> y(size_t(shape.batch * shape.out_channels * out_len));
    auto once = [&] {
        for (int64_t n = 0; n < shape.batch; ++n)
            for (int64_t gr = 0; gr < g.groups; ++gr)
                for (int64_t t0 = 0; t0 < out_len; t0 += tile) {
                    const int nt = int(std::min(tile, out_len - t0));
                    if (layout == Layout::ChannelsFirst)
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(cout), nt, int(depth), 1.0f,
                                    w.data() + gr * cout * depth, int(depth), patches.data(), nt, 0.0f,
                                    y.data() + (n * shape.out_channels + gr * cout) * out_len + t0, int(out_len));
                    else
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nt, int(cout), int(depth), 1.0f,
                                    patches.data(), int(depth), w.data() + gr * depth * cout, int(cout), 0.0f,
                                    y.data() + (n * out_len + t0) * shape.out_channels + gr * cout,
                                    int(shape.out_channels));
                }
    };
    once();
    for (auto _ : state) {
        once();
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    state.counters["GFLOPS"] = benchmark::Counter(bench::conv_flops(shape) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
    state.SetLabel("M,N,K per call = " +
                   (layout == Layout::ChannelsFirst ? std::to_string(cout) + "," + std::to_string(tile)
                                                    : std::to_string(tile) + "," + std::to_string(cout)) +
                   "," + std::to_string(depth));
}

void register_all() {
    for (const auto& shape : bench::kShapes)
        for (Layout layout : {Layout::ChannelsFirst, Layout::ChannelsLast})
            for (int threads : {1, 2}) {
                const std::string suffix =
                    std::string("/") + shape.name + "/" + layout_name(layout) + "/threads:" + std::to_string(threads);
                benchmark::RegisterBenchmark(("conv" + suffix).c_str(), run_conv, shape, layout, threads, Variant::Auto)
                    ->Unit(benchmark::kMillisecond)->UseRealTime();
                benchmark::RegisterBenchmark(("sgemm" + suffix).c_str(), run_anchor, shape, layout, threads)
                    ->Unit(benchmark::kMillisecond)->UseRealTime();
                if (shape.groups == shape.in_channels) {
                    // The depthwise routing decision (one input channel per group): direct loops vs sgemm.
                    benchmark::RegisterBenchmark(("conv_direct" + suffix).c_str(), run_conv, shape, layout, threads,
                                                 Variant::Direct)->Unit(benchmark::kMillisecond)->UseRealTime();
                    benchmark::RegisterBenchmark(("conv_gemm" + suffix).c_str(), run_conv, shape, layout, threads,
                                                 Variant::Gemm)->Unit(benchmark::kMillisecond)->UseRealTime();
                }
                if (winograd_applies(bench::same_geometry(shape))) {
                    // Winograd vs the plain sgemm lowering, both forced.
                    benchmark::RegisterBenchmark(("conv_winograd" + suffix).c_str(), run_conv, shape, layout, threads,
                                                 Variant::Winograd)->Unit(benchmark::kMillisecond)->UseRealTime();
                    benchmark::RegisterBenchmark(("conv_gemm" + suffix).c_str(), run_conv, shape, layout, threads,
                                                 Variant::Gemm)->Unit(benchmark::kMillisecond)->UseRealTime();
                }
                if (shape.groups == 1 && shape.in_channels >= ConvWorkspace::kDefaultTapGemmMinChannels) {
                    // The tap-sgemm decision: same call with im2col forced.
                    benchmark::RegisterBenchmark(("conv_im2col" + suffix).c_str(), run_conv, shape, layout, threads,
                                                 Variant::Im2colOnly)->Unit(benchmark::kMillisecond)->UseRealTime();
                }
            }
}

}  // namespace

int main(int argc, char** argv) {
    std::fprintf(stderr, "OpenBLAS core: %s\n", openblas_get_corename());
    benchmark::AddCustomContext("openblas_core", openblas_get_corename());
    if (const char* t = std::getenv("CONVSCOPE_TILE_BYTES")) tile_bytes_override = std::strtoull(t, nullptr, 10);
    benchmark::Initialize(&argc, argv);
    register_all();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
