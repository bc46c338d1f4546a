// The whole forward pass (run_forward) of the bundled sample stack
// resources/stacks/sensor_classifier.convscope.json on the bundled recording
// resources/samples/sensor_recording.csv as one (1, L, 3) batch, next to an anchor
// measured in the same run: the bare cblas_sgemm calls the stack's two convolutions
// lower to (same M, N, K, ready operands), i.e. the arithmetic a forward pass cannot
// avoid. Also: a long signal through three convolutions, streamed vs layer by layer.
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <cstdio>
#include <random>
#include <vector>

#include "data/dataset_loader.hpp"
#include "forward/forward_pass.hpp"
#include "forward/streaming_forward.hpp"
#include "interop/stack_json.hpp"

extern "C" char* openblas_get_corename(void);
extern "C" void openblas_set_num_threads(int);

using namespace convscope;

namespace {

struct Sample {
    Stack stack;
    Tensor input;
    StackWeights weights;
};

const Sample& sample() {
    static const Sample s = [] {
        auto stack = load_stack_file(CONVSCOPE_RESOURCES_DIR "/stacks/sensor_classifier.convscope.json");
        auto data = data::load_dataset(CONVSCOPE_RESOURCES_DIR "/samples/sensor_recording.csv");
        if (!stack || !data) {
            std::fprintf(stderr, "cannot load the bundled sample\n");
            std::exit(1);
        }
        const auto seq = data->sequence(0);
        Sample out{*stack, Tensor(Shape{1, seq.length, seq.channels}, seq.values), {}};
        const Trace t = trace_stack(out.stack, TraceInput::uniform(out.input.shape), {false, false});
        out.weights = initialise_weights(out.stack, t, InitScheme::Keras, 0);
        return out;
    }();
    return s;
}

std::vector<float> random_floats(size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.0f, 1.0f);
    std::vector<float> v(n);
    for (auto& x : v) x = dist(rng);
    return v;
}

void sample_forward(benchmark::State& state) {
    openblas_set_num_threads(static_cast<int>(state.range(0)));
    const Sample& s = sample();
    for (auto _ : state) {
        auto r = run_forward(s.stack, s.input, s.weights);
        benchmark::DoNotOptimize(r);
    }
    state.SetLabel("L=" + std::to_string(s.input.shape[1]));
}

// conv1: 500 steps x (7 taps x 3 channels) -> 16; conv2 after pooling: 250 steps x (5 x 16) -> 32.
void sgemm_anchor(benchmark::State& state) {
    openblas_set_num_threads(static_cast<int>(state.range(0)));
    const int64_t length = sample().input.shape[1];
    struct Gemm {
        int m, n, k;
    };
    const Gemm gemms[] = {{int(length), 16, 7 * 3}, {int(length / 2), 32, 5 * 16}};
    std::vector<std::vector<float>> a, b, c;
    for (const auto& g : gemms) {
        a.push_back(random_floats(size_t(g.m * g.k), 1));
        b.push_back(random_floats(size_t(g.k * g.n), 2));
        c.emplace_back(size_t(g.m * g.n));
    }
    for (auto _ : state)
        for (size_t i = 0; i < 2; ++i) {
            const auto& g = gemms[i];
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, g.m, g.n, g.k, 1.0f, a[i].data(), g.k, b[i].data(),
                        g.n, 0.0f, c[i].data(), g.n);
            benchmark::DoNotOptimize(c[i].data());
        }
    state.SetLabel("M,N,K " + std::to_string(gemms[0].m) + ",16,21 + " + std::to_string(gemms[1].m) + ",32,80");
}

// 1,000,000 steps x 8 channels through 8->16->16->8, k9 'same' (the long-signal stack, shorter).
struct LongSignal {
    Stack stack;
    Tensor input;
    StackWeights weights;
};
const LongSignal& long_signal() {
    static const LongSignal s = [] {
        auto stack = parse_stack_json(R"({"format": "convscope-stack", "version": 1, "name": "long",
            "data_format": "channels_last", "input_shape": null, "layers": [
            {"type": "Conv1D", "name": "c1", "filters": 16, "kernel_size": 9, "padding": "same", "activation": "relu"},
            {"type": "Conv1D", "name": "c2", "filters": 16, "kernel_size": 9, "padding": "same", "activation": "relu"},
            {"type": "Conv1D", "name": "c3", "filters": 8, "kernel_size": 9, "padding": "same"}]})", "bench");
        LongSignal out{*stack, Tensor(Shape{1, 1000000, 8}, random_floats(8000000, 5)), {}};
        const Trace t = trace_stack(out.stack, TraceInput::uniform(out.input.shape), {false, false});
        out.weights = initialise_weights(out.stack, t, InitScheme::Keras, 0);
        return out;
    }();
    return s;
}

void long_signal_whole(benchmark::State& state) {
    openblas_set_num_threads(1);
    const auto& s = long_signal();
    for (auto _ : state) benchmark::DoNotOptimize(run_forward(s.stack, s.input, s.weights));
}
void long_signal_streamed(benchmark::State& state) {
    openblas_set_num_threads(1);
    const auto& s = long_signal();
    for (auto _ : state) benchmark::DoNotOptimize(run_forward_streaming(s.stack, s.input, s.weights));
}

}  // namespace

BENCHMARK(sample_forward)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(sgemm_anchor)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(long_signal_whole)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(long_signal_streamed)->Unit(benchmark::kMillisecond)->Iterations(3);

int main(int argc, char** argv) {
    std::printf("OpenBLAS core: %s\n", openblas_get_corename());
    benchmark::Initialize(&argc, argv);
    benchmark::AddCustomContext("openblas_core", openblas_get_corename());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
