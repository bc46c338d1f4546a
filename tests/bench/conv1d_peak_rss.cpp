// Peak memory of a 10-million-step, 8-channel signal through three 'same'
// convolutions (8->16 k9, 16->16 k9, 16->8 k9), channels-last.
//   conv1d_peak_rss streamed [length]  chunks of the length axis through all three
//                                      layers, intermediates only chunk-sized
//   conv1d_peak_rss whole [length]     each layer over the whole signal, full intermediates
// Prints peak RSS (getrusage ru_maxrss) against input + output bytes. Run each
// mode in its own process: ru_maxrss is a high-water mark.
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "kernels/conv1d.hpp"

using namespace convscope::kernels;

namespace {

constexpr int64_t kKernel = 9, kHalo = (kKernel - 1) / 2;  // 'same' k9: 4 on each side
struct Layer {
    int64_t in, out;
    std::vector<float> weight, bias;
};

std::vector<Layer> make_layers() {
    std::mt19937 rng(7);
    std::normal_distribution<float> dist(0.0f, 0.2f);
    std::vector<Layer> layers = {{8, 16, {}, {}}, {16, 16, {}, {}}, {16, 8, {}, {}}};
    for (auto& l : layers) {
        l.weight.resize(size_t(l.out * l.in * kKernel));
        l.bias.resize(size_t(l.out));
        for (auto& v : l.weight) v = dist(rng);
        for (auto& v : l.bias) v = dist(rng);
    }
    return layers;
}

Conv1dGeometry geometry(const Layer& l, int64_t pad_left, int64_t pad_right) {
    Conv1dGeometry g;
    g.in_channels = l.in;
    g.out_channels = l.out;
    g.kernel_size = kKernel;
    g.pad_left = pad_left;
    g.pad_right = pad_right;
    return g;
}

void run_whole(const std::vector<Layer>& layers, int64_t length, std::span<const float> x, std::span<float> y,
               ConvWorkspace& ws) {
    std::vector<float> a, b;
    std::span<const float> in = x;
    for (size_t i = 0; i < layers.size(); ++i) {
        const bool last = i + 1 == layers.size();
        std::vector<float>& out_buf = (i % 2 == 0) ? a : b;
        if (!last) out_buf.assign(size_t(length * layers[i].out), 0.0f);
        std::span<float> out = last ? y : std::span<float>(out_buf);
        conv1d(geometry(layers[i], kHalo, kHalo), Layout::ChannelsLast, 1, length, in, layers[i].weight,
               layers[i].bias, out, ws);
        in = out;
        if (i >= 1) ((i % 2 == 0) ? b : a) = {};  // the layer before last is no longer needed
    }
}

// Output chunk [c0, c1) needs layer i's output on [c0 - h, c1 + h) where h is the
// halo of the layers after it; each layer zero-pads only at the signal's ends.
void run_streamed(const std::vector<Layer>& layers, int64_t length, int64_t chunk, std::span<const float> x,
                  std::span<float> y, ConvWorkspace& ws) {
    const auto n_layers = int64_t(layers.size());
    std::vector<std::vector<float>> buffers(layers.size());
    for (int64_t c0 = 0; c0 < length; c0 += chunk) {
        const int64_t c1 = std::min(length, c0 + chunk);
        std::span<const float> in;
        int64_t in_lo = 0, in_hi = 0;  // range of positions `in` holds
        for (int64_t i = 0; i < n_layers; ++i) {
            const int64_t halo_after = kHalo * (n_layers - 1 - i);
            const int64_t lo = std::max<int64_t>(0, c0 - halo_after), hi = std::min(length, c1 + halo_after);
            const int64_t need_lo = std::max<int64_t>(0, lo - kHalo), need_hi = std::min(length, hi + kHalo);
            const Layer& layer = layers[size_t(i)];
            std::span<const float> src =
                i == 0 ? x.subspan(size_t(need_lo * layer.in), size_t((need_hi - need_lo) * layer.in))
                       : in.subspan(size_t((need_lo - in_lo) * layer.in), size_t((need_hi - need_lo) * layer.in));
            std::span<float> dst;
            if (i + 1 == n_layers) {
                dst = y.subspan(size_t(lo * layer.out), size_t((hi - lo) * layer.out));
            } else {
                auto& buf = buffers[size_t(i)];
                buf.resize(size_t((hi - lo) * layer.out));
                dst = buf;
            }
            const auto g = geometry(layer, need_lo - (lo - kHalo), (hi + kHalo) - need_hi);
            conv1d(g, Layout::ChannelsLast, 1, need_hi - need_lo, src, layer.weight, layer.bias, dst, ws);
            in = dst;
            in_lo = lo;
            in_hi = hi;
        }
        (void)in_hi;
    }
}

double peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "streamed";
    const int64_t length = argc > 2 ? std::stoll(argv[2]) : 10'000'000;
    if (mode != "streamed" && mode != "whole" && mode != "check") {
        std::fprintf(stderr, "usage: %s streamed|whole|check [length]\n", argv[0]);
        return 2;
    }
    const auto layers = make_layers();
    ConvWorkspace ws;
    const double baseline = peak_rss_mib();

    std::vector<float> x(size_t(length * 8));
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (auto& v : x) v = dist(rng);
    std::vector<float> y(size_t(length * 8));

    if (mode == "check") {
        // Streamed and whole must agree (chunk edges are where a halo bug would show).
        std::vector<float> reference(y.size());
        run_whole(layers, length, x, reference, ws);
        run_streamed(layers, length, 1000, x, y, ws);
        double worst = 0;
        for (size_t i = 0; i < y.size(); ++i) worst = std::max(worst, double(std::abs(y[i] - reference[i])));
        std::printf("streamed vs whole, length %lld: max abs difference %.3g\n", (long long)length, worst);
        return worst < 1e-4 ? 0 : 1;
    }
    if (mode == "whole")
        run_whole(layers, length, x, y, ws);
    else
        run_streamed(layers, length, 65536, x, y, ws);

    const double io_mib = double((x.size() + y.size()) * sizeof(float)) / (1024.0 * 1024.0);
    const double peak = peak_rss_mib();
    std::printf("mode=%s length=%lld channels 8->16->16->8 k9 same, channels_last\n", mode.c_str(),
                (long long)length);
    std::printf("input+output %.1f MiB, peak RSS %.1f MiB (process baseline %.1f MiB), ratio %.2fx, workspace %.2f MiB\n",
                io_mib, peak, baseline, peak / io_mib, double(ws.bytes_reserved()) / (1024.0 * 1024.0));
    return 0;
}
