#!/usr/bin/python3
"""Differential shape cases: random stacks judged by PyTorch (channels_first)
and by TensorFlow's closed-form length rules (channels_last).

Run with Debian's interpreter (it has python3-torch 1.13):
    /usr/bin/python3 tests/golden/make_shape_diff_golden.py

Writes tests/golden/shape_diff/cases.json (compact JSON), read by
tests/diagnosis/test_shape_diff.cpp:
  "cf":  channels_first stacks, each run as the equivalent torch modules.
  "cl":  channels_last (Keras layout) stacks, judged by the formulas below.
  "fwd": runnable channels_first stacks with seeded weights, input and torch's output.

A case is {"l": layers (the *.convscope.json layer objects without names; the
test names them l0, l1, ...), "in": input shape, and the verdict: "out": the
output shape, or "err": the index of the layer that raised}. Channels_first
cases may also carry facts about torch's run that ConvScope deliberately treats
differently (the test checks every disagreement is one of these):
  "zl": index of the first layer where torch 1.13 returned a tensor with a
        length (or any axis) of 0 without complaint. ConvScope, like PyTorch 2,
        refuses an empty output.
  "ub": index of the first layer torch ran on a 2-D tensor as one unbatched
        (channels, length) sequence. ConvScope always reads axis 0 as the batch.

The torch side uses torch's own modules with the stack's meaning (the same ones
ConvScope's PyTorch export writes); the channels_last side is written from
TensorFlow's documented output lengths, not from ConvScope's code. Seeded.
"""
import json
import math
import pathlib
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parent / "shape_diff"
N_CF, N_CL, N_FWD = 3000, 1200, 200


# ------------------------------------------------------------ random layers

def rand_conv(rng, ch, small):
    g = rng.choice([1, 1, 1, 2, 3]) if not small else rng.choice([1, 1, 2])
    filters = g * rng.randint(1, 2 if small else 4)
    k = rng.randint(1, 4 if small else 7)
    s = rng.choice([1, 1, 1, 2, 3])
    d = rng.choice([1, 1, 2, 3])
    layer = {"type": "Conv1D", "filters": filters, "kernel_size": k}
    if s != 1:
        layer["strides"] = s
    if d != 1:
        layer["dilation_rate"] = d
    if g != 1:
        layer["groups"] = g
    pad = rng.choice(["int", "int", "valid", "same", "causal", None])
    if pad == "int":
        layer["padding"] = rng.randint(0, 4)
    elif pad is not None:
        layer["padding"] = pad
    if pad is not None and rng.random() < 0.4:
        layer["padding_mode"] = rng.choice(["reflect", "replicate", "circular"])
    # in_channels: the real count (as a torch module needs), sometimes a wrong one.
    cin = ch if rng.random() < 0.85 else max(g, ch + g * rng.choice([-1, 1]))
    cin = max(g, cin - cin % g)
    layer["in_channels"] = cin
    return layer


def rand_transpose(rng, ch, small):
    g = rng.choice([1, 1, 2])
    s = rng.choice([1, 2, 3])
    d = rng.choice([1, 1, 2])
    k = rng.randint(1, 4 if small else 6)
    layer = {"type": "Conv1DTranspose", "filters": g * rng.randint(1, 2 if small else 4), "kernel_size": k}
    if s != 1:
        layer["strides"] = s
    if d != 1:
        layer["dilation_rate"] = d
    if g != 1:
        layer["groups"] = g
    layer["padding"] = rng.randint(0, 4)
    if max(s, d) > 1 and rng.random() < 0.5:
        layer["output_padding"] = rng.randint(0, max(s, d) - 1)
    cin = ch if rng.random() < 0.85 else ch + g
    layer["in_channels"] = max(g, cin - cin % g)
    return layer


def rand_pool(rng, small):
    is_max = rng.random() < 0.5
    k = rng.randint(1, 5)
    layer = {"type": "MaxPooling1D" if is_max else "AveragePooling1D", "pool_size": k}
    if rng.random() < 0.6:
        layer["strides"] = rng.randint(1, 4)
    if rng.random() < 0.5:
        layer["padding"] = rng.randint(0, 3)  # beyond half the window: PyTorch refuses
    elif rng.random() < 0.3:
        layer["padding"] = "valid"
    if rng.random() < 0.4:
        layer["ceil_mode"] = True
    if is_max and rng.random() < 0.3:
        layer["dilation_rate"] = rng.randint(2, 3)
    if not is_max and rng.random() < 0.3:
        layer["count_include_pad"] = False
    return layer


def rand_layer_cf(rng, ch, rank, small):
    kinds = ["conv"] * 5 + ["tconv"] * 2 + ["pool"] * 4 + ["bn", "up", "zp", "crop", "crop", "gpool", "flat_dense",
                                                           "dense"]
    if rank == 2:  # after a Flatten or a global pool: mostly what makes sense there, sometimes not
        kinds = ["dense"] * 6 + ["bn", "flat_dense", "conv", "pool", "gpool", "up", "zp", "crop"]
    if rank == 4:
        # A rank-4 tensor goes only to layers whose torch module is 1-D only (Conv1d, ConvTranspose1d,
        # MaxPool1d, AvgPool1d, BatchNorm1d). nn.Upsample, F.pad, slicing and mean(dim=2) accept any
        # rank in torch, so they would say nothing about a layer refusing a rank it cannot read.
        kinds = ["conv", "tconv", "pool", "bn"]
    kind = rng.choice(kinds)
    if kind == "conv":
        return [rand_conv(rng, ch, small)]
    if kind == "tconv":
        return [rand_transpose(rng, ch, small)]
    if kind == "pool":
        return [rand_pool(rng, small)]
    if kind == "bn":
        layer = {"type": "BatchNormalization", "epsilon": 1e-5}
        if rng.random() < 0.8:
            layer["num_features"] = max(ch, 1) if rng.random() < 0.85 else ch + rng.randint(1, 2)
        return [layer]
    if kind == "up":
        return [{"type": "UpSampling1D", "size": rng.randint(1, 3)}]
    if kind == "zp":
        return [{"type": "ZeroPadding1D", "padding": rng.choice([rng.randint(0, 3), [rng.randint(0, 3), rng.randint(0, 3)]])}]
    if kind == "crop":
        return [{"type": "Cropping1D", "cropping": rng.choice([rng.randint(0, 4), [rng.randint(0, 4), rng.randint(0, 4)]])}]
    if kind == "gpool":
        layer = {"type": rng.choice(["GlobalAveragePooling1D", "GlobalMaxPooling1D"])}
        if rng.random() < 0.3:
            layer["keepdims"] = True
        return [layer]
    if kind == "flat_dense":
        return [{"type": "Flatten"}, {"type": "Dense", "units": rng.randint(1, 4), "in_features": None}]
    return [{"type": "Dense", "units": rng.randint(1, 4), "in_features": None}]


def random_input(rng, small):
    ch = rng.randint(1, 3 if small else 6)
    length = rng.randint(1, 16 if small else 40)
    batch = rng.randint(1, 2 if small else 3)
    r = rng.random()
    if small or r < 0.9:
        return [batch, ch, length]
    if r < 0.95:
        return [batch, ch, length, rng.randint(1, 3)]  # a rank-4 tensor
    return [batch, length]  # a rank-2 tensor (channel axis missing)


# ------------------------------------------------------------ torch side

class Cropping1D(nn.Module):
    """Keras' Cropping1D in torch terms: a slice of the last axis of (N, C, L)."""

    def __init__(self, left, right):
        super().__init__()
        self.left, self.right = left, right

    def forward(self, x):
        # narrow, not a slice: a slice end of L - right < 0 would count from the end.
        return x.narrow(2, self.left, x.shape[2] - self.left - self.right)


class GlobalPool(nn.Module):
    def __init__(self, is_max, keep):
        super().__init__()
        self.is_max, self.keep = is_max, keep

    def forward(self, x):
        return x.amax(dim=2, keepdim=self.keep) if self.is_max else x.mean(dim=2, keepdim=self.keep)


class CausalConv(nn.Module):
    """padding='causal': d*(k-1) steps on the left in the conv's padding mode, then the plain conv."""

    def __init__(self, conv, left, mode):
        super().__init__()
        self.conv, self.left, self.mode = conv, left, mode

    def forward(self, x):
        if self.mode == "zeros":
            x = F.pad(x, (self.left, 0))
        else:
            x = F.pad(x, (self.left, 0), mode=self.mode)
        return self.conv(x)


def pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def torch_module(layer, cur_shape):
    t = layer["type"]
    if t == "Conv1D":
        pad = layer.get("padding", "valid")
        mode = layer.get("padding_mode", "zeros")
        args = dict(stride=layer.get("strides", 1), dilation=layer.get("dilation_rate", 1),
                    groups=layer.get("groups", 1))
        if pad == "causal":
            conv = nn.Conv1d(layer["in_channels"], layer["filters"], layer["kernel_size"], padding=0, **args)
            return CausalConv(conv, args["dilation"] * (layer["kernel_size"] - 1), mode)
        return nn.Conv1d(layer["in_channels"], layer["filters"], layer["kernel_size"], padding=pad, padding_mode=mode,
                         **args)
    if t == "Conv1DTranspose":
        return nn.ConvTranspose1d(layer["in_channels"], layer["filters"], layer["kernel_size"],
                                  stride=layer.get("strides", 1), padding=layer.get("padding", 0),
                                  output_padding=layer.get("output_padding", 0), groups=layer.get("groups", 1),
                                  dilation=layer.get("dilation_rate", 1))
    if t in ("MaxPooling1D", "AveragePooling1D"):
        k = layer["pool_size"]
        pad = layer.get("padding", 0)
        pad = 0 if pad == "valid" else pad
        if t == "MaxPooling1D":
            return nn.MaxPool1d(k, layer.get("strides", k), padding=pad, dilation=layer.get("dilation_rate", 1),
                                ceil_mode=layer.get("ceil_mode", False))
        return nn.AvgPool1d(k, layer.get("strides", k), padding=pad, ceil_mode=layer.get("ceil_mode", False),
                            count_include_pad=layer.get("count_include_pad", True))
    if t == "BatchNormalization":
        n = layer.get("num_features")
        if n is None:  # ConvScope takes the count from the input, as LazyBatchNorm1d
            n = cur_shape[1] if len(cur_shape) >= 2 else 1
        return nn.BatchNorm1d(n, eps=layer["epsilon"]).eval()
    if t == "UpSampling1D":
        return nn.Upsample(scale_factor=layer["size"], mode="nearest")
    if t == "ZeroPadding1D":
        return nn.ConstantPad1d(pair(layer["padding"]), 0.0)
    if t == "Cropping1D":
        return Cropping1D(*pair(layer["cropping"]))
    if t in ("GlobalAveragePooling1D", "GlobalMaxPooling1D"):
        return GlobalPool(t == "GlobalMaxPooling1D", layer.get("keepdims", False))
    if t == "Flatten":
        return nn.Flatten()
    if t == "Dense":
        return nn.Linear(layer["in_features"], layer["units"])
    raise ValueError(t)


SEQUENCE_MODULES = ("Conv1D", "Conv1DTranspose", "MaxPooling1D", "AveragePooling1D", "UpSampling1D",
                    "ZeroPadding1D", "Cropping1D", "GlobalAveragePooling1D", "GlobalMaxPooling1D")


def torch_verdict(layers, in_shape, weights=None, x=None):
    """Runs the layers; returns (verdict dict, modules, output)."""
    if x is None:
        x = torch.zeros(in_shape)
    verdict, modules = {}, []
    for i, layer in enumerate(layers):
        if layer["type"] in SEQUENCE_MODULES and x.dim() == 2 and "ub" not in verdict:
            verdict["ub"] = i
        try:
            m = torch_module(layer, list(x.shape))
            if weights is not None:
                weights(i, m)
            modules.append(m)
            with torch.no_grad():
                x = m(x)
        except Exception as e:  # noqa: BLE001 - any refusal is the verdict
            verdict["err"] = i
            verdict["why"] = str(e).split("\n")[0][:100]
            return verdict, modules, None
        if x.numel() == 0 and "zl" not in verdict:
            verdict["zl"] = i
    verdict["out"] = list(x.shape)
    return verdict, modules, x


def make_cf_stack(rng, small):
    in_shape = random_input(rng, small)
    n = rng.randint(1, 4 if small else 6)
    layers = []
    ch, rank = (in_shape[1] if len(in_shape) >= 3 else 1), len(in_shape)
    shape = list(in_shape)
    while len(layers) < n:
        new = rand_layer_cf(rng, ch, rank, small)
        for layer in new:
            if layer["type"] == "Dense":
                # The right in_features for what reaches it (when it runs), sometimes a wrong one.
                feat = max(shape[-1] if shape else 1, 1)  # an empty tensor's 0 is no valid in_features
                layer["in_features"] = feat if rng.random() < 0.8 else feat + rng.randint(1, 3)
            layers.append(layer)
            # Track the shape torch gives, to draw sensible parameters for the next layer.
            v, _, y = torch_verdict([layer], shape)
            if y is not None:
                shape = list(y.shape)
                rank = len(shape)
                ch = max(shape[1], 1) if rank >= 2 else 1
    return layers[:n], in_shape


# ------------------------------------------------------------ forward cases

def rounded(shape, gen, scale=0.5):
    # Multiples of 1/1024: exact in float32, in JSON and in C++ alike.
    t = (torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1) * scale
    return (torch.round(t * 1024) / 1024).to(torch.float32)


def floats(t):
    return [float(f"{v:.8g}") for v in t.detach().reshape(-1).tolist()]


def seeded_weights(gen, store):
    def give(i, m):
        conv = m.conv if isinstance(m, CausalConv) else m
        for key, p in list(conv.named_parameters()) + list(conv.named_buffers()):
            if key == "num_batches_tracked":
                continue
            if key == "running_var":
                v = rounded(p.shape, gen).abs() + 0.25
            elif key == "weight" and isinstance(conv, nn.BatchNorm1d):
                v = rounded(p.shape, gen) + 1.0
            else:
                v = rounded(p.shape, gen)
            p.data.copy_(v)
            store[f"l{i}.{key}"] = {"shape": list(v.shape), "data": floats(v)}
    return give


# ------------------------------------------------------------ channels_last side (TensorFlow's rules)

def tf_conv_len(L, k, s, d, padding):
    extent = d * (k - 1) + 1
    if padding == "valid":
        return (L - extent) // s + 1
    if padding == "same":
        return -(-L // s)
    return (L + d * (k - 1) - extent) // s + 1  # causal: d*(k-1) zeros on the left


def tf_verdict(layers, in_shape):
    """TensorFlow/Keras output shape (batch, length, channels), or the index that raises."""
    shape = list(in_shape)
    for i, layer in enumerate(layers):
        t = layer["type"]
        seq = t not in ("Dense", "Flatten", "BatchNormalization")
        if seq and len(shape) != 3:
            return {"err": i}  # Keras: InputSpec ndim=3
        if t == "Conv1D":
            k, s, d = layer["kernel_size"], layer.get("strides", 1), layer.get("dilation_rate", 1)
            g = layer.get("groups", 1)
            if s > 1 and d > 1:
                return {"err": i}  # Keras refuses strides > 1 with dilation_rate > 1
            if shape[2] % g:
                return {"err": i}  # channels must divide into groups
            out = tf_conv_len(shape[1], k, s, d, layer.get("padding", "valid"))
            if out < 1:
                return {"err": i}
            shape = [shape[0], out, layer["filters"]]
        elif t == "Conv1DTranspose":
            k, s = layer["kernel_size"], layer.get("strides", 1)
            op = layer.get("output_padding")
            padding = layer.get("padding", "valid")
            L = shape[1]
            if op is None:  # TensorFlow's deconv length
                out = L * s + max(k - s, 0) if padding == "valid" else L * s
            else:
                pad = 0 if padding == "valid" else k // 2
                out = (L - 1) * s + k - 2 * pad + op
            if out < 1:
                return {"err": i}
            shape = [shape[0], out, layer["filters"]]
        elif t in ("MaxPooling1D", "AveragePooling1D"):
            k = layer["pool_size"]
            s = layer.get("strides") or k
            out = (shape[1] - k) // s + 1 if layer.get("padding", "valid") == "valid" else -(-shape[1] // s)
            if out < 1:
                return {"err": i}
            shape = [shape[0], out, shape[2]]
        elif t == "UpSampling1D":
            shape = [shape[0], shape[1] * layer["size"], shape[2]]
        elif t == "ZeroPadding1D":
            l, r = pair(layer["padding"])
            shape = [shape[0], shape[1] + l + r, shape[2]]
        elif t == "Cropping1D":
            l, r = pair(layer["cropping"])
            if shape[1] - l - r < 1:
                return {"err": i}  # Keras: cropping leaves no steps
            shape = [shape[0], shape[1] - l - r, shape[2]]
        elif t in ("GlobalAveragePooling1D", "GlobalMaxPooling1D"):
            shape = [shape[0], 1, shape[2]] if layer.get("keepdims") else [shape[0], shape[2]]
        elif t == "Flatten":
            shape = [shape[0], math.prod(shape[1:])]
        elif t == "Dense":
            shape = shape[:-1] + [layer["units"]]
        elif t == "BatchNormalization":
            pass
    return {"out": shape}


def rand_layer_cl(rng, rank):
    if rank == 2:
        kind = rng.choice(["dense"] * 5 + ["bn", "conv", "pool", "flat"])
    else:
        kind = rng.choice(["conv"] * 6 + ["tconv"] * 2 + ["pool"] * 4 + ["bn", "up", "zp", "crop", "crop", "gpool",
                                                                        "flat", "dense"])
    if kind == "conv":
        g = rng.choice([1, 1, 1, 2])
        layer = {"type": "Conv1D", "filters": g * rng.randint(1, 4), "kernel_size": rng.randint(1, 7)}
        s, d = rng.choice([1, 1, 2, 3]), rng.choice([1, 1, 2, 4])
        if s != 1:
            layer["strides"] = s
        if d != 1:
            layer["dilation_rate"] = d
        if g != 1:
            layer["groups"] = g
        pad = rng.choice(["valid", "same", "causal", None])
        if pad:
            layer["padding"] = pad
        return [layer]
    if kind == "tconv":
        s = rng.choice([1, 2, 3])
        layer = {"type": "Conv1DTranspose", "filters": rng.randint(1, 4), "kernel_size": rng.randint(1, 6)}
        if s != 1:
            layer["strides"] = s
        layer["padding"] = rng.choice(["valid", "same"])
        if s > 1 and rng.random() < 0.4:
            layer["output_padding"] = rng.randint(0, s - 1)
        return [layer]
    if kind == "pool":
        layer = {"type": rng.choice(["MaxPooling1D", "AveragePooling1D"]), "pool_size": rng.randint(1, 5)}
        if rng.random() < 0.5:
            layer["strides"] = rng.randint(1, 4)
        layer["padding"] = rng.choice(["valid", "same"])
        return [layer]
    if kind == "bn":
        return [{"type": "BatchNormalization"}]
    if kind == "up":
        return [{"type": "UpSampling1D", "size": rng.randint(1, 3)}]
    if kind == "zp":
        return [{"type": "ZeroPadding1D", "padding": rng.choice([rng.randint(0, 3), [rng.randint(0, 3), rng.randint(0, 3)]])}]
    if kind == "crop":
        return [{"type": "Cropping1D", "cropping": rng.choice([rng.randint(0, 4), [rng.randint(0, 4), rng.randint(0, 4)]])}]
    if kind == "gpool":
        layer = {"type": rng.choice(["GlobalAveragePooling1D", "GlobalMaxPooling1D"])}
        if rng.random() < 0.3:
            layer["keepdims"] = True
        return [layer]
    if kind == "flat":
        return [{"type": "Flatten"}]
    return [{"type": "Dense", "units": rng.randint(1, 4)}]


def make_cl_stack(rng):
    L, C, N = rng.randint(1, 40), rng.randint(1, 6), rng.randint(1, 3)
    r = rng.random()
    in_shape = [N, L, C] if r < 0.92 else ([N, L] if r < 0.96 else [N, L, C, 2])
    n = rng.randint(1, 6)
    layers, rank = [], len(in_shape)
    while len(layers) < n:
        for layer in rand_layer_cl(rng, rank):
            layers.append(layer)
            v = tf_verdict(layers, in_shape)
            if "out" in v:
                rank = len(v["out"])
    return layers[:max(n, 1)], in_shape


# ------------------------------------------------------------ main

def main():
    OUT.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)
    rng = random.Random(20261203)
    cf = []
    while len(cf) < N_CF:
        layers, in_shape = make_cf_stack(rng, small=False)
        verdict, _, _ = torch_verdict(layers, in_shape)
        verdict.pop("why", None)
        cf.append(dict(l=layers, **{"in": in_shape}, **verdict))
    cl = []
    while len(cl) < N_CL:
        layers, in_shape = make_cl_stack(rng)
        cl.append(dict(l=layers, **{"in": in_shape}, **tf_verdict(layers, in_shape)))
    fwd = []
    gen = torch.Generator().manual_seed(1203)
    while len(fwd) < N_FWD:
        layers, in_shape = make_cf_stack(rng, small=True)
        verdict, _, _ = torch_verdict(layers, in_shape)
        if "out" not in verdict or "zl" in verdict or "ub" in verdict:
            continue
        store = {}
        x = rounded(in_shape, gen, 1.0)
        verdict, _, y = torch_verdict(layers, in_shape, seeded_weights(gen, store), x)
        fwd.append({"l": layers, "x": {"shape": in_shape, "data": floats(x)}, "w": store,
                    "y": {"shape": list(y.shape), "data": floats(y)}})
    meta = {"generator": "tests/golden/make_shape_diff_golden.py", "torch": torch.__version__}
    path = OUT / "cases.json"
    path.write_text(json.dumps(dict(meta, cf=cf, cl=cl, fwd=fwd), separators=(",", ":")) + "\n")
    runs = sum("out" in c for c in cf)
    print(f"{len(cf)} channels_first ({runs} run, {sum('zl' in c for c in cf)} empty, "
          f"{sum('ub' in c for c in cf)} unbatched), {len(cl)} channels_last "
          f"({sum('out' in c for c in cl)} run), {len(fwd)} forward; {path.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
