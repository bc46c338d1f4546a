#!/usr/bin/python3
"""Joins conv1d_bench JSON (one or more OpenBLAS settings) with the PyTorch
JSON into the table docs/PERFORMANCE.md shows. Best-of-repetitions times
(the machine is shared; the minimum is the least disturbed run). One-thread
rows compare CPU time, which a busy machine disturbs far less than wall time
(a descheduled thread accrues none); two-thread rows must use wall time.
Usage: summarize_bench.py torch.json LABEL=bench.json [LABEL=bench.json ...]
"""
import collections
import json
import sys


def best_times(path):
    doc = json.load(open(path))
    best = {}
    for b in doc["benchmarks"]:
        if b.get("run_type") == "aggregate":
            continue
        name = b["run_name"] if "run_name" in b else b["name"]
        name = name.replace("/real_time", "")
        t = b["cpu_time"] if name.endswith("threads:1") else b["real_time"]  # ms
        best[name] = min(best.get(name, float("inf")), t)
    return doc["context"].get("openblas_core", "?"), doc["context"].get("load_avg", []), best


def main():
    torch_doc = json.load(open(sys.argv[1]))
    torch_ms = {(r["shape"], r["layout"], r["threads"]): (r["cpu_seconds"] if r["threads"] == 1 else r["seconds"]) * 1e3
                for r in torch_doc["results"]}
    for arg in sys.argv[2:]:
        label, path = arg.split("=", 1)
        core, load, best = best_times(path)
        print(f"\n### {label} (OpenBLAS core: {core}; PyTorch {torch_doc['torch']}; "
              f"load average at start {', '.join(f'{v:.1f}' for v in load)}; PyTorch run ended at "
              f"{', '.join(f'{v:.1f}' for v in torch_doc.get('load_avg', []))})\n")
        print("1-thread rows: CPU ms; 2-thread rows: wall ms. Ratios are throughput ratios (> 1: ConvScope faster).\n")
        print("| shape | layout | thr | ConvScope ms | sgemm anchor ms | PyTorch ms | conv / anchor | conv / PyTorch | alt lowering ms |")
        print("|---|---|---|---|---|---|---|---|---|")
        keys = collections.OrderedDict()
        for name in best:
            kind, shape, layout, thr = name.split("/")
            keys[(shape, layout, thr)] = None
        for shape, layout, thr in sorted(keys):
            suffix = f"/{shape}/{layout}/{thr}"
            conv = best.get("conv" + suffix)
            anchor = best.get("sgemm" + suffix)
            threads = int(thr.split(":")[1])
            ref = torch_ms.get((shape, layout, threads))
            alt = []
            if "conv_direct" + suffix in best:
                alt.append(f"direct {best['conv_direct' + suffix]:.2f}")
            if "conv_winograd" + suffix in best:
                alt.append(f"winograd {best['conv_winograd' + suffix]:.2f}")
            if "conv_gemm" + suffix in best:
                alt.append(f"gemm {best['conv_gemm' + suffix]:.2f}")
            if "conv_im2col" + suffix in best:
                alt.append(f"im2col {best['conv_im2col' + suffix]:.2f}")
            # Ratios are throughput ratios: >1 means ConvScope is faster.
            vs_anchor = f"{anchor / conv:.2f}" if conv and anchor else "-"
            vs_torch = f"{ref / conv:.2f}" if conv and ref else "-"
            print(f"| {shape} | {layout} | {threads} | {conv:.2f} | {anchor:.2f} | "
                  f"{ref:.2f} | {vs_anchor} | {vs_torch} | {', '.join(alt)} |" if ref else
                  f"| {shape} | {layout} | {threads} | {conv:.2f} | {anchor:.2f} | - | {vs_anchor} | - | {', '.join(alt)} |")


if __name__ == "__main__":
    main()
