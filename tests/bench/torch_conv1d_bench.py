#!/usr/bin/python3
"""PyTorch timings for the shapes in bench_shapes.hpp, as JSON on stdout.

Run with Debian's interpreter and a malloc that does not hand pages back, or
the timings are bimodal (see docs/PERFORMANCE.md):
    GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824 \
        /usr/bin/python3 tests/bench/torch_conv1d_bench.py [--repetitions 5]
channels_last is what a [N, L, C] user pays in PyTorch: transpose in, conv,
transpose back to a contiguous [N, L_out, C_out].
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

# name, batch, length, in, out, k, stride, dilation, groups — keep in sync with bench_shapes.hpp
SHAPES = [
    ("a_64to64_k3", 32, 1000, 64, 64, 3, 1, 1, 1),
    ("b_depthwise64_k9", 32, 1000, 64, 64, 9, 1, 1, 64),
    ("c_dil8_32to32_k3", 32, 1000, 32, 32, 3, 1, 8, 1),
    ("d_s2_16to64_k7", 32, 1000, 16, 64, 7, 2, 1, 1),
    ("e_mono1M_1to16_k64", 1, 1000000, 1, 16, 64, 1, 1, 1),
]


def same_padding(length, k, s, d):
    out = -(-length // s)
    total = max((out - 1) * s + d * (k - 1) + 1 - length, 0)
    return total // 2, total - total // 2


def time_it(fn, min_time, repetitions):
    """Best-of-repetitions (wall seconds, process CPU seconds) per call."""
    fn()
    fn()
    best_wall = best_cpu = float("inf")
    for _ in range(repetitions):
        n, start, cpu_start = 0, time.perf_counter(), time.process_time()
        while True:
            fn()
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                break
        best_wall = min(best_wall, elapsed / n)
        best_cpu = min(best_cpu, (time.process_time() - cpu_start) / n)
    return best_wall, best_cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--min-time", type=float, default=0.3)
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    torch.manual_seed(0)
    results = []
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for name, batch, length, cin, cout, k, s, d, groups in SHAPES:
            pad_l, pad_r = same_padding(length, k, s, d)
            x = torch.randn(batch, cin, length)
            w = torch.randn(cout, cin // groups, k)
            b = torch.randn(cout)
            if pad_l == pad_r:
                conv = lambda t: F.conv1d(t, w, b, stride=s, padding=pad_l, dilation=d, groups=groups)
            else:  # what nn.Conv1d(padding='same') does for an even kernel: pad, then conv
                conv = lambda t: F.conv1d(F.pad(t, (pad_l, pad_r)), w, b, stride=s, dilation=d, groups=groups)
            out_len = conv(x).shape[2]
            flops = 2.0 * batch * cout * out_len * (cin // groups) * k
            x_last = x.transpose(1, 2).contiguous()
            with torch.no_grad():
                for layout, fn in (("channels_first", lambda: conv(x)),
                                   ("channels_last", lambda: conv(x_last.transpose(1, 2)).transpose(1, 2).contiguous())):
                    seconds, cpu_seconds = time_it(fn, args.min_time, args.repetitions)
                    results.append({"shape": name, "layout": layout, "threads": threads, "seconds": seconds,
                                    "cpu_seconds": cpu_seconds, "gflops": flops / seconds * 1e-9})
                    print(f"torch {name} {layout} threads={threads}: {seconds * 1e3:.2f} ms, "
                          f"{flops / seconds * 1e-9:.1f} GFLOP/s", file=sys.stderr)
    json.dump({"torch": torch.__version__, "load_avg": list(os.getloadavg()), "results": results}, sys.stdout,
              indent=1)


if __name__ == "__main__":
    main()
