#!/usr/bin/python3
"""Writes the PyTorch reference cases for ConvScope's conv kernels.

Run with Debian's interpreter (it has python3-torch):
    /usr/bin/python3 tests/golden/make_conv_golden.py
Outputs tests/golden/conv/*.json, each {"cases": [...]}. A case holds the
geometry, the layout, and x / weight / bias / y flattened row-major in that
layout (x [N, C, L] or [N, L, C]; weight always in PyTorch layout). Seeds are
fixed, so re-running reproduces the files exactly on the same torch version.
"""
import itertools
import json
import pathlib
import random

import torch
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parent / "conv"

STRIDES = [1, 2, 3]
DILATIONS = [1, 2, 4]
GROUP_KINDS = ["g1", "g2", "depthwise", "depthwise_x2"]
PADDINGS = ["valid", "same", "causal", "explicit"]
PAD_MODES = ["zeros", "reflect", "replicate", "circular"]
LAYOUTS = ["channels_first", "channels_last"]


def floats(t):
    # 9 significant digits round-trip float32 exactly and keep the files small.
    return [float(f"{v:.9g}") for v in t.detach().reshape(-1).tolist()]


def resolve_padding(kind, length, k, s, d, rng):
    eff = d * (k - 1) + 1
    if kind == "valid":
        return 0, 0
    if kind == "same":
        # Keras/TF 'same': L_out = ceil(L / s); the odd extra goes on the right.
        out = -(-length // s)
        total = max((out - 1) * s + eff - length, 0)
        return total // 2, total - total // 2
    if kind == "causal":
        return eff - 1, 0
    left = rng.randint(0, 3)
    right = rng.randint(0, 3)
    if left == right:
        right = left + 1
    return left, right


def conv1d_reference(x, w, b, s, d, groups, pad_l, pad_r, mode):
    if mode == "zeros":
        xp = F.pad(x, (pad_l, pad_r))
    else:
        xp = F.pad(x, (pad_l, pad_r), mode=mode)
    return F.conv1d(xp, w, b, stride=s, dilation=d, groups=groups)


def conv1d_case(name, rng, *, batch, cin, cout, groups, k, s, d, length, pad_l, pad_r, mode, layout, bias=True,
                tiles=(0, 1, 5)):
    x = torch.randn(batch, cin, length)
    w = torch.randn(cout, cin // groups, k) / (k * cin // groups) ** 0.5
    b = torch.randn(cout) if bias else None
    y = conv1d_reference(x, w, b, s, d, groups, pad_l, pad_r, mode)
    if layout == "channels_last":
        x_out, y_out = x.transpose(1, 2).contiguous(), y.transpose(1, 2).contiguous()
    else:
        x_out, y_out = x, y
    return {
        "name": name, "op": "conv1d", "layout": layout, "batch": batch, "length": length,
        "in_channels": cin, "out_channels": cout, "kernel_size": k, "stride": s, "dilation": d,
        "groups": groups, "pad_left": pad_l, "pad_right": pad_r, "pad_mode": mode,
        "out_length": y.shape[2], "tiles": list(tiles),
        "x": floats(x_out), "weight": floats(w), "bias": floats(b) if b is not None else [], "y": floats(y_out),
    }


def channels_for(kind, rng):
    cin = 4
    if kind == "g1":
        return cin, rng.choice([3, 5]), 1
    if kind == "g2":
        return cin, 6, 2
    if kind == "depthwise":
        return cin, cin, cin
    return cin, 2 * cin, cin


def grid_cases(rng):
    combos = list(itertools.product(STRIDES, DILATIONS, GROUP_KINDS, PADDINGS, PAD_MODES, LAYOUTS))
    rng.shuffle(combos)
    cases = []
    for i, (s, d, kind, padding, mode, layout) in enumerate(combos[:140]):
        k = rng.choice([2, 3, 4, 5])
        eff = d * (k - 1) + 1
        length = eff + rng.randint(0, 14)
        pad_l, pad_r = resolve_padding(padding, length, k, s, d, rng)
        if mode == "reflect":  # PyTorch needs padding < length for reflect
            length = max(length, max(pad_l, pad_r) + 1)
        cin, cout, groups = channels_for(kind, rng)
        name = f"grid{i:03d}_s{s}_d{d}_{kind}_{padding}_{mode}_{layout}"
        cases.append(conv1d_case(name, rng, batch=rng.choice([1, 2]), cin=cin, cout=cout, groups=groups, k=k, s=s,
                                 d=d, length=length, pad_l=pad_l, pad_r=pad_r, mode=mode, layout=layout,
                                 bias=rng.random() < 0.8))
    return cases


def edge_cases(rng):
    cases = []
    for layout in LAYOUTS:
        lc = "cf" if layout == "channels_first" else "cl"
        # Length equal to the effective kernel: exactly one output with 'valid'.
        for (k, d, s) in [(3, 1, 1), (5, 2, 3), (3, 4, 2)]:
            eff = d * (k - 1) + 1
            cases.append(conv1d_case(f"len_eq_kernel_k{k}_d{d}_s{s}_{lc}", rng, batch=2, cin=3, cout=2, groups=1, k=k,
                                     s=s, d=d, length=eff, pad_l=0, pad_r=0, mode="zeros", layout=layout))
        # Kernel size 1 (pointwise), with and without padding.
        cases.append(conv1d_case(f"kernel1_{lc}", rng, batch=2, cin=5, cout=3, groups=1, k=1, s=1, d=1, length=9,
                                 pad_l=0, pad_r=0, mode="zeros", layout=layout))
        cases.append(conv1d_case(f"kernel1_s2_pad_reflect_{lc}", rng, batch=1, cin=4, cout=4, groups=2, k=1, s=2, d=3,
                                 length=8, pad_l=2, pad_r=1, mode="reflect", layout=layout))
        # Batch > 1 with every padding mode.
        for mode in PAD_MODES:
            cases.append(conv1d_case(f"batch3_{mode}_{lc}", rng, batch=3, cin=2, cout=3, groups=1, k=3, s=1, d=2,
                                     length=11, pad_l=2, pad_r=2, mode=mode, layout=layout))
        # Much longer than one tile: the test also forces tiles of 1, 5 and 64.
        for mode in PAD_MODES:
            cases.append(conv1d_case(f"long_{mode}_{lc}", rng, batch=1, cin=2, cout=3, groups=1, k=5, s=2, d=3,
                                     length=300, pad_l=6, pad_r=7, mode=mode, layout=layout, tiles=(0, 1, 5, 64)))
        # Enough channels per group (>= 32) for the tap-sgemm path, strides 1
        # and 2, grouped, every pad mode, with a small forced tile so interior
        # and edge tiles both occur.
        for i, (s, groups, mode) in enumerate([(1, 1, "zeros"), (2, 1, "reflect"), (1, 2, "circular"),
                                               (3, 1, "replicate")]):
            cin = 32 * groups
            cases.append(conv1d_case(f"wide_s{s}_g{groups}_{mode}_{lc}", rng, batch=1, cin=cin, cout=2 * groups,
                                     groups=groups, k=3, s=s, d=1 + i // 2, length=60, pad_l=2, pad_r=3, mode=mode,
                                     layout=layout, tiles=(0, 7, 40)))
        # Depthwise with a larger channel count and multiplier, long enough for tiles.
        cases.append(conv1d_case(f"depthwise_x3_long_{lc}", rng, batch=2, cin=6, cout=18, groups=6, k=9, s=1, d=1,
                                 length=150, pad_l=4, pad_r=4, mode="reflect", layout=layout, tiles=(0, 3, 16)))
        # Winograd F(4,3) territory: k3, stride 1, dilation 1, 16+ channels per
        # group; lengths leave partial 4-output tiles; every pad mode, groups 1 and 2.
        for i, mode in enumerate(PAD_MODES):
            groups = 1 + i % 2
            cases.append(conv1d_case(f"k3s1_{mode}_g{groups}_{lc}", rng, batch=2, cin=16, cout=16,
                                     groups=groups, k=3, s=1, d=1, length=21 + i, pad_l=i % 3, pad_r=(i + 1) % 3,
                                     mode=mode, layout=layout, tiles=(0, 1, 3)))
        # Padding wider than the kernel reach (zeros and replicate).
        cases.append(conv1d_case(f"wide_padding_replicate_{lc}", rng, batch=1, cin=2, cout=2, groups=1, k=2, s=1, d=1,
                                 length=4, pad_l=6, pad_r=5, mode="replicate", layout=layout))
        cases.append(conv1d_case(f"wide_padding_zeros_{lc}", rng, batch=1, cin=2, cout=2, groups=2, k=3, s=2, d=1,
                                 length=3, pad_l=5, pad_r=4, mode="zeros", layout=layout))
    return cases


def conv_transpose_case(name, rng, *, batch, cin, cout, groups, k, s, d, length, pad_l, pad_r, output_padding,
                        layout, bias=True, tiles=(0, 1, 4)):
    x = torch.randn(batch, cin, length)
    w = torch.randn(cin, cout // groups, k) / (k * cin // groups) ** 0.5
    b = torch.randn(cout) if bias else None
    # PyTorch only takes symmetric padding: compute the full output and crop
    # each side, which is what `padding` does.
    full = F.conv_transpose1d(x, w, b, stride=s, padding=0, output_padding=output_padding, groups=groups,
                              dilation=d)
    y = full[:, :, pad_l:full.shape[2] - pad_r]
    if pad_l == pad_r:
        check = F.conv_transpose1d(x, w, b, stride=s, padding=pad_l, output_padding=output_padding, groups=groups,
                                   dilation=d)
        assert torch.allclose(check, y, atol=1e-5), name
    if layout == "channels_last":
        x_out, y_out = x.transpose(1, 2).contiguous(), y.transpose(1, 2).contiguous()
    else:
        x_out, y_out = x, y.contiguous()
    return {
        "name": name, "op": "conv_transpose1d", "layout": layout, "batch": batch, "length": length,
        "in_channels": cin, "out_channels": cout, "kernel_size": k, "stride": s, "dilation": d,
        "groups": groups, "pad_left": pad_l, "pad_right": pad_r, "output_padding": output_padding,
        "out_length": y.shape[2], "tiles": list(tiles),
        "x": floats(x_out), "weight": floats(w), "bias": floats(b) if b is not None else [], "y": floats(y_out),
    }


def transpose_cases(rng):
    cases = []
    combos = list(itertools.product([1, 2, 3], [1, 2], [1, 2], [(0, 0), (1, 1), (1, 2), (2, 0)], LAYOUTS))
    rng.shuffle(combos)
    for i, (s, d, groups, (pad_l, pad_r), layout) in enumerate(combos[:40]):
        k = rng.choice([1, 2, 3, 4])
        op = rng.randint(0, max(s, d) - 1)
        length = rng.randint(3, 12)
        while (length - 1) * s - pad_l - pad_r + d * (k - 1) + op + 1 < 1:  # PyTorch allows empty outputs; we don't
            length += 1
        cases.append(conv_transpose_case(f"tr{i:02d}_s{s}_d{d}_g{groups}_p{pad_l}{pad_r}_op{op}_{layout}", rng,
                                         batch=rng.choice([1, 2]), cin=4, cout=6, groups=groups, k=k, s=s, d=d,
                                         length=length, pad_l=pad_l, pad_r=pad_r, output_padding=op, layout=layout,
                                         bias=rng.random() < 0.8))
    for layout in LAYOUTS:
        lc = "cf" if layout == "channels_first" else "cl"
        cases.append(conv_transpose_case(f"tr_long_{lc}", rng, batch=1, cin=3, cout=4, groups=1, k=4, s=2, d=1,
                                         length=300, pad_l=1, pad_r=2, output_padding=1, layout=layout,
                                         tiles=(0, 1, 7, 64)))
        cases.append(conv_transpose_case(f"tr_depthwise_{lc}", rng, batch=2, cin=4, cout=8, groups=4, k=3, s=3, d=2,
                                         length=10, pad_l=0, pad_r=3, output_padding=2, layout=layout))
    return cases


def write(name, cases):
    path = OUT / name
    path.write_text(json.dumps({"generator": "tests/golden/make_conv_golden.py", "torch": torch.__version__,
                                "cases": cases}, separators=(",", ":")) + "\n")
    print(f"{path.relative_to(OUT.parent.parent.parent)}: {len(cases)} cases, {path.stat().st_size} bytes")


def main():
    torch.manual_seed(20240611)
    rng = random.Random(1234)
    OUT.mkdir(parents=True, exist_ok=True)
    write("conv1d_grid.json", grid_cases(rng))
    write("conv1d_edges.json", edge_cases(rng))
    write("conv_transpose1d.json", transpose_cases(rng))


if __name__ == "__main__":
    main()
