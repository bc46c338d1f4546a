#!/usr/bin/python3
"""Writes the PyTorch reference cases for ConvScope's forward pass (run_forward).

Run with Debian's interpreter (it has python3-torch and python3-numpy):
    /usr/bin/python3 tests/golden/make_forward_golden.py

Outputs, in tests/golden/forward/:
  layers.json   {"cases": [...]}: one case per layer configuration, plus whole
                stacks in both data formats. A case holds the stack (the
                *.convscope.json object), the input (shape + row-major values in
                the stack's data format), the weights in PyTorch layout keyed
                "layer.torch_name", and the expected final output.
  weights.json  {"cases": [...]}: stacks whose weights live in .npz files written
                here with numpy, once with PyTorch state_dict names and once with
                Keras names (converted from the PyTorch tensors by the layout rules
                Keras documents), with the expected output computed from the
                PyTorch tensors; plus .npz files for the error cases.
  *.npz         the weight files named in weights.json.

The reference below is written from the frameworks' documented semantics, not
from ConvScope's code: Keras-only behaviour (TensorFlow's 'same' split with the
odd step on the right, 'causal', 'same' pooling that ignores the padded steps,
Conv1DTranspose's valid/same output lengths) is produced with explicit F.pad
and cropping around the plain torch ops. Seeds are fixed.
"""
import json
import math
import pathlib
import random

import numpy as np
import torch
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parent / "forward"


def floats(t):
    # 8 significant digits: enough for a 1e-4 relative comparison, and small files.
    return [float(f"{v:.8g}") for v in t.detach().reshape(-1).tolist()]


def rounded(shape, gen, scale=1.0):
    # Inputs and weights are multiples of 1/1024, so float32 holds them exactly in
    # JSON, torch and the C++ test alike.
    t = (torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1) * scale
    return (torch.round(t * 1024) / 1024).to(torch.float32)


# ---------------------------------------------------------------- reference

def keras_same(length, extent, stride):
    out = -(-length // stride)
    total = max((out - 1) * stride + extent - length, 0)
    return total // 2, total - total // 2


def conv_padding(padding, length, extent, stride):
    if padding == "valid":
        return 0, 0
    if padding == "same":
        return keras_same(length, extent, stride)
    if padding == "causal":
        return extent - 1, 0
    if isinstance(padding, int):
        return padding, padding
    return padding[0], padding[1]


def activation(name, x):
    if name in (None, "linear"):
        return x
    return {
        "relu": torch.relu,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "softmax": lambda v: torch.softmax(v, dim=-1),  # Keras: the last axis
        "gelu": lambda v: F.gelu(v),  # exact (erf), Keras' default approximate=False
        "elu": F.elu,
        "selu": F.selu,
        "swish": lambda v: v * torch.sigmoid(v),
        "softplus": F.softplus,
        "leaky_relu": lambda v: F.leaky_relu(v, 0.2),  # Keras' default negative_slope
    }[name](x)


def to_cf(x, fmt):
    return x.transpose(1, 2) if fmt == "channels_last" else x


def from_cf(x, fmt):
    return x.transpose(1, 2) if fmt == "channels_last" else x


def pad_steps(x, left, right, mode="zeros", value=0.0):
    if mode == "zeros":
        return F.pad(x, (left, right), value=value)
    return F.pad(x, (left, right), mode=mode)


def conv_forward(layer, x, w, fmt):
    k = layer["kernel_size"]
    s = layer.get("strides", 1)
    d = layer.get("dilation_rate", 1)
    x = to_cf(x, fmt)
    left, right = conv_padding(layer.get("padding", "valid"), x.shape[2], d * (k - 1) + 1, s)
    x = pad_steps(x, left, right, layer.get("padding_mode", "zeros"))
    name = layer["name"]
    t = layer["type"]
    if t == "Conv1D":
        y = F.conv1d(x, w[name + ".weight"], w.get(name + ".bias"), stride=s, dilation=d, groups=layer.get("groups", 1))
    elif t == "DepthwiseConv1D":
        y = F.conv1d(x, w[name + ".weight"], w.get(name + ".bias"), stride=s, dilation=d, groups=x.shape[1])
    else:  # SeparableConv1D
        mid = F.conv1d(x, w[name + ".depthwise_weight"], None, stride=s, dilation=d, groups=x.shape[1])
        y = F.conv1d(mid, w[name + ".pointwise_weight"], w.get(name + ".bias"))
    return activation(layer.get("activation"), from_cf(y, fmt))  # softmax: the last axis as stored


def conv_transpose_forward(layer, x, w, fmt):
    name = layer["name"]
    k, s, d = layer["kernel_size"], layer.get("strides", 1), layer.get("dilation_rate", 1)
    g = layer.get("groups", 1)
    extent = d * (k - 1) + 1
    x = to_cf(x, fmt)
    length = x.shape[2]
    padding = layer.get("padding", "valid")
    op = layer.get("output_padding")
    weight, bias = w[name + ".weight"], w.get(name + ".bias")
    if isinstance(padding, int):
        # PyTorch's own ConvTranspose1d, symmetric padding.
        y = F.conv_transpose1d(x, weight, bias, stride=s, padding=padding, output_padding=op or 0, groups=g,
                               dilation=d)
        return activation(layer.get("activation"), from_cf(y, fmt))  # softmax: the last axis as stored
    # Everything else: the full transposed convolution, then Keras' (or an asymmetric) crop.
    full = F.conv_transpose1d(x, weight, None, stride=s, groups=g, dilation=d)  # (L-1)*s + extent steps
    if isinstance(padding, list):
        crop, out_len = padding[0], (length - 1) * s + extent - padding[0] - padding[1] + (op or 0)
    elif op is None:
        # Keras (TensorFlow): valid L*s + max(extent - s, 0); same L*s with the forward
        # conv's 'same' split, crop = floor(max(extent - s, 0) / 2).
        if padding == "valid":
            crop, out_len = 0, length * s + max(extent - s, 0)
        else:
            crop, out_len = max(extent - s, 0) // 2, length * s
    else:
        # keras deconv_output_length: (L-1)*s + extent - 2*pad + output_padding, pad = 0 | extent // 2.
        pad = 0 if padding == "valid" else extent // 2
        crop, out_len = pad, (length - 1) * s + extent - 2 * pad + op
    need = crop + out_len - full.shape[2]
    if need > 0:
        full = F.pad(full, (0, need))
    y = full[:, :, crop:crop + out_len]
    if bias is not None:
        y = y + bias[None, :, None]
    return activation(layer.get("activation"), from_cf(y, fmt))  # softmax: the last axis as stored


def pool_forward(layer, x, fmt):
    is_max = layer["type"] == "MaxPooling1D"
    k = layer.get("pool_size", 2)
    s = layer.get("strides") or k
    d = layer.get("dilation_rate", 1)
    padding = layer.get("padding", "valid")
    ceil = layer.get("ceil_mode", False)
    x = to_cf(x, fmt)
    if padding == "same":
        # Keras 'same' pooling: TensorFlow pads, and the padded steps never count
        # (max ignores them, the average divides by the real steps only).
        left, right = keras_same(x.shape[2], k, s)
        if is_max:
            y = F.max_pool1d(F.pad(x, (left, right), value=-math.inf), k, s)
        else:
            total = F.avg_pool1d(F.pad(x, (left, right)), k, s) * k
            ones = F.pad(torch.ones_like(x[:, :1]), (left, right))
            y = total / (F.avg_pool1d(ones, k, s) * k)
    else:
        p = 0 if padding == "valid" else padding
        if is_max:
            y = F.max_pool1d(x, k, s, padding=p, dilation=d, ceil_mode=ceil)
        else:
            y = F.avg_pool1d(x, k, s, padding=p, ceil_mode=ceil,
                             count_include_pad=layer.get("count_include_pad", True))
    return from_cf(y, fmt)


def layer_forward(layer, x, w, fmt):
    t, name = layer["type"], layer["name"]
    seq_axis = 1 if fmt == "channels_last" else 2
    ch_axis = 3 - seq_axis
    if t in ("Conv1D", "DepthwiseConv1D", "SeparableConv1D"):
        return conv_forward(layer, x, w, fmt)
    if t == "Conv1DTranspose":
        return conv_transpose_forward(layer, x, w, fmt)
    if t in ("MaxPooling1D", "AveragePooling1D"):
        return pool_forward(layer, x, fmt)
    if t in ("GlobalAveragePooling1D", "GlobalMaxPooling1D"):
        keep = layer.get("keepdims", False)
        return x.mean(dim=seq_axis, keepdim=keep) if t == "GlobalAveragePooling1D" else x.amax(dim=seq_axis, keepdim=keep)
    if t == "ZeroPadding1D":
        p = layer.get("padding", 1)
        left, right = (p, p) if isinstance(p, int) else p
        return from_cf(F.pad(to_cf(x, fmt), (left, right)), fmt)
    if t == "Cropping1D":
        c = layer.get("cropping", 1)
        left, right = (c, c) if isinstance(c, int) else c
        xc = to_cf(x, fmt)
        return from_cf(xc[:, :, left:xc.shape[2] - right], fmt)
    if t == "UpSampling1D":
        return from_cf(torch.repeat_interleave(to_cf(x, fmt), layer.get("size", 2), dim=2), fmt)
    if t == "Permute":
        return x.permute(0, *layer["dims"])
    if t == "Reshape":
        return x.reshape(x.shape[0], *layer["target_shape"])
    if t == "Flatten":
        return x.reshape(x.shape[0], -1)
    if t == "Dense":
        return activation(layer.get("activation"), F.linear(x, w[name + ".weight"], w.get(name + ".bias")))
    if t == "Activation":
        return activation(layer.get("activation", "linear"), x)
    if t == "Dropout":
        return x
    if t == "Masking":
        real = (x != layer.get("mask_value", 0.0)).any(dim=ch_axis, keepdim=True)
        return x * real
    if t == "BatchNormalization":
        args = (w[name + ".running_mean"], w[name + ".running_var"], w.get(name + ".weight"), w.get(name + ".bias"))
        eps = layer.get("epsilon", 1e-3)
        if x.dim() == 3:
            return from_cf(F.batch_norm(to_cf(x, fmt), *args, training=False, eps=eps), fmt)
        return F.batch_norm(x, *args, training=False, eps=eps)
    if t == "LayerNormalization":
        return F.layer_norm(x, (x.shape[-1],), w.get(name + ".weight"), w.get(name + ".bias"), eps=layer.get("epsilon", 1e-3))
    raise ValueError(t)


# ------------------------------------------------------------ weight shapes

def weight_shapes(layer, in_shape, fmt):
    """PyTorch state_dict shapes for `layer` on an input of in_shape, with the init kind."""
    t = layer["type"]
    ch = in_shape[2] if (fmt == "channels_last" and len(in_shape) == 3) else in_shape[1]
    bias = layer.get("use_bias", True)
    out = {}
    if t == "Conv1D":
        g = layer.get("groups", 1)
        out["weight"] = (layer["filters"], ch // g, layer["kernel_size"])
        if bias:
            out["bias"] = (layer["filters"],)
    elif t == "Conv1DTranspose":
        g = layer.get("groups", 1)
        out["weight"] = (ch, layer["filters"] // g, layer["kernel_size"])
        if bias:
            out["bias"] = (layer["filters"],)
    elif t == "DepthwiseConv1D":
        dm = layer.get("depth_multiplier", 1)
        out["weight"] = (ch * dm, 1, layer["kernel_size"])
        if bias:
            out["bias"] = (ch * dm,)
    elif t == "SeparableConv1D":
        dm = layer.get("depth_multiplier", 1)
        out["depthwise_weight"] = (ch * dm, 1, layer["kernel_size"])
        out["pointwise_weight"] = (layer["filters"], ch * dm, 1)
        if bias:
            out["bias"] = (layer["filters"],)
    elif t == "Dense":
        out["weight"] = (layer["units"], in_shape[-1])
        if bias:
            out["bias"] = (layer["units"],)
    elif t == "BatchNormalization":
        c = ch if len(in_shape) == 3 else in_shape[-1]
        if layer.get("scale", True):
            out["weight"] = (c,)
        if layer.get("center", True):
            out["bias"] = (c,)
        out["running_mean"] = (c,)
        out["running_var"] = (c,)
    elif t == "LayerNormalization":
        if layer.get("scale", True):
            out["weight"] = (in_shape[-1],)
        if layer.get("center", True):
            out["bias"] = (in_shape[-1],)
    return out


def make_weights(layer, in_shape, fmt, gen):
    w = {}
    for key, shape in weight_shapes(layer, in_shape, fmt).items():
        if key == "running_var":
            t = rounded(shape, gen).abs() + 0.25  # non-trivial, positive
        elif key == "running_mean":
            t = rounded(shape, gen, 0.5)
        elif key == "weight" and layer["type"] in ("BatchNormalization", "LayerNormalization"):
            t = rounded(shape, gen, 0.5) + 1.0
        else:
            t = rounded(shape, gen, 0.5)
        w[layer["name"] + "." + key] = t
    return w


def run_stack(stack, x, gen, weights=None):
    fmt = stack["data_format"]
    weights = {} if weights is None else weights
    make = not weights
    for layer in stack["layers"]:
        if make:
            weights.update(make_weights(layer, tuple(x.shape), fmt, gen))
        x = layer_forward(layer, x, weights, fmt)
    return x, weights


def stack_of(fmt, layers, name):
    return {"format": "convscope-stack", "version": 1, "name": name, "data_format": fmt, "input_shape": None,
            "layers": layers}


def make_case(name, fmt, layers, in_shape, seed, scale=1.0):
    gen = torch.Generator().manual_seed(seed)
    x = rounded(in_shape, gen, scale)
    stack = stack_of(fmt, layers, name)
    with torch.no_grad():
        y, w = run_stack(stack, x, gen)
    return {
        "name": name,
        "stack": stack,
        "input": {"shape": list(x.shape), "data": floats(x)},
        "weights": {k: {"shape": list(v.shape), "data": floats(v)} for k, v in w.items()},
        "output": {"shape": list(y.shape), "data": floats(y)},
    }


def seq_shape(fmt, batch, length, channels):
    return (batch, length, channels) if fmt == "channels_last" else (batch, channels, length)


# ------------------------------------------------------------------- cases

def layer_cases():
    cases = []
    seed = [100]

    def add(name, fmt, layers, in_shape, scale=1.0):
        seed[0] += 1
        cases.append(make_case(name, fmt, layers, in_shape, seed[0], scale))

    fmts = ["channels_last", "channels_first"]
    rng = random.Random(7)
    # Conv1D: stride x dilation x groups x padding x padding_mode x format. Keras refuses
    # strides with dilation and PyTorch refuses strided 'same': those pairs are skipped.
    for fmt in fmts:
        for s in (1, 2, 3):
            for d in (1, 2):
                if s > 1 and d > 1 and fmt == "channels_last":
                    continue
                for g in (1, 2):
                    for pad in ("valid", "same", "causal", "explicit"):
                        if pad == "same" and s > 1 and fmt == "channels_first":
                            continue
                        padding = [rng.randint(0, 3), rng.randint(1, 3)] if pad == "explicit" else pad
                        modes = ["zeros"]
                        if pad != "valid":
                            modes.append(["reflect", "replicate", "circular"][(s + d + g) % 3])
                        for mode in modes:
                            layer = {"type": "Conv1D", "name": "conv", "filters": 4, "kernel_size": 3, "strides": s,
                                     "dilation_rate": d, "groups": g, "padding": padding, "padding_mode": mode}
                            add(f"conv1d_s{s}_d{d}_g{g}_{pad}_{mode}_{fmt}", fmt, [layer],
                                seq_shape(fmt, 2, 17, 4))
    # The kernels' other lowerings: Winograd (k3 s1, >= 16 channels), tap sgemms (>= 32
    # channels), depthwise direct loops; no bias; even kernel with 'same'.
    for fmt in fmts:
        add(f"conv1d_winograd_{fmt}", fmt, [{"type": "Conv1D", "name": "c", "filters": 16, "kernel_size": 3,
                                             "padding": "same", "activation": "relu"}], seq_shape(fmt, 2, 23, 16))
        add(f"conv1d_taps_{fmt}", fmt, [{"type": "Conv1D", "name": "c", "filters": 32, "kernel_size": 5,
                                         "dilation_rate": 2, "padding": "causal"}], seq_shape(fmt, 1, 40, 32), 0.25)
        add(f"conv1d_depthwise_groups_{fmt}", fmt, [{"type": "Conv1D", "name": "c", "filters": 8, "kernel_size": 4,
                                                     "groups": 4, "padding": "same", "use_bias": False}],
            seq_shape(fmt, 2, 15, 4))
        add(f"conv1d_even_kernel_same_{fmt}", fmt, [{"type": "Conv1D", "name": "c", "filters": 3, "kernel_size": 4,
                                                     "padding": "same", "padding_mode": "reflect"}],
            seq_shape(fmt, 2, 12, 2))
    # Every activation (on a Conv1D, and as a layer).
    for act in ["linear", "relu", "sigmoid", "tanh", "softmax", "gelu", "elu", "selu", "swish", "softplus",
                "leaky_relu"]:
        add(f"activation_{act}", "channels_last",
            [{"type": "Conv1D", "name": "c", "filters": 5, "kernel_size": 2, "activation": act}],
            seq_shape("channels_last", 2, 9, 3), 3.0)
        add(f"activation_layer_{act}_channels_first", "channels_first",
            [{"type": "Activation", "name": "a", "activation": act}], seq_shape("channels_first", 2, 6, 3), 4.0)
    add("activation_softplus_large", "channels_last", [{"type": "Activation", "name": "a", "activation": "softplus"}],
        (1, 4, 3), 40.0)
    # Conv1DTranspose: PyTorch explicit padding + output_padding; Keras valid/same with and without output_padding.
    for fmt in fmts:
        for (k, s, d, padding, op, g) in [(3, 2, 1, 1, 1, 1), (4, 3, 1, 0, 2, 1), (3, 1, 2, 2, None, 1),
                                          (5, 2, 1, [1, 3], 1, 1), (3, 2, 1, 1, None, 2)]:
            add(f"conv_transpose_k{k}_s{s}_d{d}_p{padding}_op{op}_g{g}_{fmt}", fmt,
                [{"type": "Conv1DTranspose", "name": "ct", "filters": 4, "kernel_size": k, "strides": s,
                  "dilation_rate": d, "padding": padding, "output_padding": op, "groups": g}],
                seq_shape(fmt, 2, 7, 4))
        for (k, s, d) in [(3, 2, 1), (2, 3, 1), (4, 2, 1), (3, 1, 2), (5, 3, 1), (1, 2, 1)]:
            for padding in ("valid", "same"):
                for op in (None, 0, max(s, d) - 1):
                    if op is not None and op >= max(s, d):
                        continue
                    add(f"conv_transpose_keras_k{k}_s{s}_d{d}_{padding}_op{op}_{fmt}", fmt,
                        [{"type": "Conv1DTranspose", "name": "ct", "filters": 3, "kernel_size": k, "strides": s,
                          "dilation_rate": d, "padding": padding, "output_padding": op, "activation": "tanh"}],
                        seq_shape(fmt, 1, 6, 2))
    # DepthwiseConv1D and SeparableConv1D.
    for fmt in fmts:
        for (dm, s, d, padding, mode) in [(1, 1, 1, "valid", "zeros"), (2, 1, 2, "same", "zeros"),
                                          (3, 2, 1, "valid", "zeros"), (1, 1, 1, "same", "reflect"),
                                          (2, 1, 1, [2, 1], "replicate")]:
            if fmt == "channels_first" and padding == "same" and s > 1:
                continue
            add(f"depthwise_dm{dm}_s{s}_d{d}_{padding}_{mode}_{fmt}", fmt,
                [{"type": "DepthwiseConv1D", "name": "dw", "kernel_size": 3, "strides": s, "dilation_rate": d,
                  "depth_multiplier": dm, "padding": padding, "padding_mode": mode}], seq_shape(fmt, 2, 13, 3))
        for (dm, s, d, padding, bias) in [(1, 1, 1, "valid", True), (2, 1, 2, "same", True), (2, 2, 1, "valid", False),
                                          (1, 1, 1, 1, True)]:
            add(f"separable_dm{dm}_s{s}_d{d}_{padding}_{bias}_{fmt}", fmt,
                [{"type": "SeparableConv1D", "name": "sep", "filters": 5, "kernel_size": 3, "strides": s,
                  "dilation_rate": d, "depth_multiplier": dm, "padding": padding, "use_bias": bias,
                  "activation": "relu"}], seq_shape(fmt, 2, 14, 3))
    # Pooling: Keras valid/same vs PyTorch explicit, ceil_mode, count_include_pad, dilation.
    for fmt in fmts:
        for t in ("MaxPooling1D", "AveragePooling1D"):
            configs = [dict(pool_size=2), dict(pool_size=3, strides=2), dict(pool_size=3, strides=2, padding="same"),
                       dict(pool_size=2, padding="same"), dict(pool_size=4, strides=3, padding="same"),
                       dict(pool_size=3, strides=2, padding=1), dict(pool_size=3, strides=2, padding=1, ceil_mode=True),
                       dict(pool_size=2, strides=2, ceil_mode=True), dict(pool_size=4, strides=3, padding=2, ceil_mode=True),
                       dict(pool_size=3, strides=1, padding=1)]
            if t == "AveragePooling1D":
                configs += [dict(pool_size=3, strides=2, padding=1, count_include_pad=False),
                            dict(pool_size=4, strides=3, padding=2, ceil_mode=True, count_include_pad=False)]
            else:
                configs += [dict(pool_size=3, strides=2, dilation_rate=2), dict(pool_size=2, strides=1, dilation_rate=3, padding=1)]
            for i, cfg in enumerate(configs):
                add(f"{t}_{i}_{fmt}", fmt, [dict(type=t, name="pool", **cfg)], seq_shape(fmt, 2, 11, 3))
    # Global pools.
    for fmt in fmts:
        for t in ("GlobalAveragePooling1D", "GlobalMaxPooling1D"):
            for keep in (False, True):
                add(f"{t}_keep{keep}_{fmt}", fmt, [{"type": t, "name": "gp", "keepdims": keep}], seq_shape(fmt, 2, 9, 3))
    # Length and axis layers.
    for fmt in fmts:
        add(f"zero_padding_{fmt}", fmt, [{"type": "ZeroPadding1D", "name": "zp", "padding": [2, 3]}], seq_shape(fmt, 2, 5, 3))
        add(f"zero_padding_int_{fmt}", fmt, [{"type": "ZeroPadding1D", "name": "zp", "padding": 1}], seq_shape(fmt, 1, 4, 2))
        add(f"cropping_{fmt}", fmt, [{"type": "Cropping1D", "name": "cr", "cropping": [1, 3]}], seq_shape(fmt, 2, 9, 3))
        add(f"upsampling_{fmt}", fmt, [{"type": "UpSampling1D", "name": "up", "size": 3}], seq_shape(fmt, 2, 4, 3))
        add(f"permute_{fmt}", fmt, [{"type": "Permute", "name": "pm", "dims": [2, 1]}], seq_shape(fmt, 2, 5, 3))
        add(f"reshape_{fmt}", fmt, [{"type": "Reshape", "name": "rs", "target_shape": [-1, 2]}], seq_shape(fmt, 2, 6, 3))
        add(f"reshape_flat_{fmt}", fmt, [{"type": "Reshape", "name": "rs", "target_shape": [18]}], seq_shape(fmt, 2, 6, 3))
        add(f"flatten_{fmt}", fmt, [{"type": "Flatten", "name": "fl"}], seq_shape(fmt, 2, 4, 3))
        add(f"dense_3d_{fmt}", fmt, [{"type": "Dense", "name": "fc", "units": 5, "activation": "tanh"}],
            seq_shape(fmt, 2, 6, 3))
        add(f"dense_3d_nobias_{fmt}", fmt, [{"type": "Dense", "name": "fc", "units": 2, "use_bias": False}],
            seq_shape(fmt, 2, 4, 3))
        add(f"dropout_{fmt}", fmt, [{"type": "Dropout", "name": "do", "rate": 0.5}], seq_shape(fmt, 2, 4, 3))
        add(f"masking_{fmt}", fmt, [{"type": "Masking", "name": "m", "mask_value": 0.0}, {"type": "Activation", "name": "a", "activation": "sigmoid"}],
            seq_shape(fmt, 2, 5, 3))
        add(f"batchnorm_{fmt}", fmt, [{"type": "BatchNormalization", "name": "bn", "epsilon": 1e-5}], seq_shape(fmt, 2, 7, 4))
        add(f"batchnorm_nocenter_{fmt}", fmt, [{"type": "BatchNormalization", "name": "bn", "center": False}],
            seq_shape(fmt, 2, 5, 3))
        add(f"batchnorm_noscale_{fmt}", fmt, [{"type": "BatchNormalization", "name": "bn", "scale": False}],
            seq_shape(fmt, 2, 5, 3))
        add(f"layernorm_{fmt}", fmt, [{"type": "LayerNormalization", "name": "ln"}], seq_shape(fmt, 2, 7, 4))
        add(f"layernorm_eps_{fmt}", fmt, [{"type": "LayerNormalization", "name": "ln", "epsilon": 1e-5, "center": False}],
            seq_shape(fmt, 2, 5, 6))
    add("dense_2d", "channels_last", [{"type": "Flatten", "name": "fl"}, {"type": "Dense", "name": "fc", "units": 4}],
        (3, 5, 2))
    add("dense_2d_softmax", "channels_first", [{"type": "Flatten", "name": "fl"},
                                               {"type": "Dense", "name": "fc", "units": 4, "activation": "softmax"}],
        (3, 2, 5))
    add("batchnorm_2d", "channels_last", [{"type": "Flatten", "name": "fl"}, {"type": "BatchNormalization", "name": "bn"}],
        (3, 4, 2))
    add("layernorm_2d", "channels_first", [{"type": "Flatten", "name": "fl"}, {"type": "LayerNormalization", "name": "ln"}],
        (3, 2, 4))
    # Whole stacks.
    keras_stack = [
        {"type": "Conv1D", "name": "conv1", "filters": 16, "kernel_size": 7, "padding": "same", "activation": "relu"},
        {"type": "BatchNormalization", "name": "bn1"},
        {"type": "MaxPooling1D", "name": "pool1", "pool_size": 2},
        {"type": "Conv1D", "name": "conv2", "filters": 32, "kernel_size": 5, "dilation_rate": 2, "padding": "same",
         "activation": "relu"},
        {"type": "Dropout", "name": "drop", "rate": 0.2},
        {"type": "GlobalAveragePooling1D", "name": "gap"},
        {"type": "Dense", "name": "classifier", "units": 4, "activation": "softmax"},
    ]
    for fmt in fmts:
        add(f"stack_sensor_classifier_{fmt}", fmt, keras_stack, seq_shape(fmt, 2, 50, 3))
    torch_stack = [
        {"type": "Conv1D", "name": "conv1", "filters": 8, "kernel_size": 5, "padding": 2, "padding_mode": "reflect"},
        {"type": "BatchNormalization", "name": "bn1", "epsilon": 1e-5},
        {"type": "Activation", "name": "act1", "activation": "gelu"},
        {"type": "MaxPooling1D", "name": "pool1", "pool_size": 3, "strides": 2, "padding": 1, "ceil_mode": True},
        {"type": "SeparableConv1D", "name": "sep", "filters": 12, "kernel_size": 3, "padding": 1},
        {"type": "AveragePooling1D", "name": "pool2", "pool_size": 2},
        {"type": "Conv1DTranspose", "name": "up", "filters": 6, "kernel_size": 4, "strides": 2, "padding": 1},
        {"type": "Cropping1D", "name": "crop", "cropping": [1, 2]},
        {"type": "Flatten", "name": "flat"},
        {"type": "Dense", "name": "fc1", "units": 10, "activation": "relu"},
        {"type": "Dense", "name": "fc2", "units": 3},
    ]
    for fmt in fmts:
        add(f"stack_pytorch_style_{fmt}", fmt, torch_stack, seq_shape(fmt, 2, 33, 2))
    causal_stack = [
        {"type": "ZeroPadding1D", "name": "zp", "padding": [0, 2]},
        {"type": "Conv1D", "name": "c1", "filters": 6, "kernel_size": 3, "padding": "causal", "activation": "elu"},
        {"type": "Conv1D", "name": "c2", "filters": 6, "kernel_size": 3, "dilation_rate": 2, "padding": "causal",
         "activation": "swish"},
        {"type": "DepthwiseConv1D", "name": "dw", "kernel_size": 2, "depth_multiplier": 2, "strides": 2},
        {"type": "UpSampling1D", "name": "up", "size": 2},
        {"type": "LayerNormalization", "name": "ln"},
        {"type": "Permute", "name": "perm", "dims": [2, 1]},
        {"type": "Dense", "name": "fc", "units": 3, "activation": "sigmoid"},
    ]
    for fmt in fmts:
        add(f"stack_causal_mixed_{fmt}", fmt, causal_stack, seq_shape(fmt, 2, 19, 3))
    return cases


# ------------------------------------------------------- weights in .npz

def keras_layout(layer, key, t):
    """The Keras variable name and value for PyTorch tensor `key` of `layer`, by Keras' layouts."""
    ty = layer["type"]
    a = t.numpy()
    if ty == "Dense":
        return {"weight": "kernel", "bias": "bias"}[key], a.T  # Keras kernel [in, units]
    if ty == "Conv1D":
        return {"weight": "kernel", "bias": "bias"}[key], a.transpose(2, 1, 0) if key == "weight" else a  # [K, in/g, out]
    if ty == "Conv1DTranspose":
        return {"weight": "kernel", "bias": "bias"}[key], a.transpose(2, 1, 0) if key == "weight" else a  # [K, out, in]
    if ty in ("DepthwiseConv1D", "SeparableConv1D"):
        if key in ("weight", "depthwise_weight"):
            # torch [C*dm, 1, K] (output channel c*dm + m) -> Keras depthwise_kernel [K, C, dm]
            c_dm, _, k = a.shape
            dm = layer.get("depth_multiplier", 1)
            return "depthwise_kernel", a.reshape(c_dm // dm, dm, k).transpose(2, 0, 1)
        if key == "pointwise_weight":
            return "pointwise_kernel", a.transpose(2, 1, 0)  # [1, C*dm, filters]
        return "bias", a
    if ty == "BatchNormalization":
        return {"weight": "gamma", "bias": "beta", "running_mean": "moving_mean",
                "running_var": "moving_variance"}[key], a
    raise ValueError(ty)


def save_npz(path, arrays):
    np.savez(path, **{k: np.ascontiguousarray(v, dtype=np.float32) for k, v in arrays.items()})


def weights_cases():
    cases = []
    stacks = {
        "conv1d": ("channels_last", [{"type": "Conv1D", "name": "conv", "filters": 5, "kernel_size": 3, "groups": 1,
                                      "padding": "same"}], (2, 9, 4)),
        "conv1d_groups": ("channels_first", [{"type": "Conv1D", "name": "conv", "filters": 6, "kernel_size": 3,
                                              "groups": 2}], (2, 4, 9)),
        "dense": ("channels_last", [{"type": "Flatten", "name": "flat"}, {"type": "Dense", "name": "fc", "units": 3}],
                  (2, 4, 3)),
        "depthwise": ("channels_last", [{"type": "DepthwiseConv1D", "name": "dw", "kernel_size": 3,
                                         "depth_multiplier": 2}], (2, 8, 3)),
        "separable": ("channels_last", [{"type": "SeparableConv1D", "name": "sep", "filters": 4, "kernel_size": 3,
                                         "depth_multiplier": 2, "padding": "same"}], (2, 8, 3)),
        "conv_transpose": ("channels_last", [{"type": "Conv1DTranspose", "name": "ct", "filters": 5, "kernel_size": 3,
                                              "strides": 2, "padding": "same"}], (2, 6, 3)),
        "batchnorm": ("channels_first", [{"type": "BatchNormalization", "name": "bn"}], (2, 3, 6)),
        "stack": ("channels_last", [
            {"type": "Conv1D", "name": "conv1", "filters": 4, "kernel_size": 3, "padding": "same", "activation": "relu"},
            {"type": "BatchNormalization", "name": "bn1"},
            {"type": "DepthwiseConv1D", "name": "dw", "kernel_size": 3, "depth_multiplier": 2},
            {"type": "GlobalAveragePooling1D", "name": "gap"},
            {"type": "Dense", "name": "fc", "units": 2}], (2, 10, 3)),
    }
    seed = 500
    for name, (fmt, layers, in_shape) in stacks.items():
        seed += 1
        case = make_case("weights_" + name, fmt, layers, in_shape, seed)
        torch_arrays, keras_arrays = {}, {}
        by_layer = {l["name"]: l for l in layers}
        for key, value in case["weights"].items():
            t = torch.tensor(value["data"], dtype=torch.float32).reshape(value["shape"])
            layer_name, tname = key.split(".", 1)
            torch_arrays[key] = t.numpy()
            kname, karr = keras_layout(by_layer[layer_name], tname, t)
            keras_arrays[layer_name + "/" + kname] = karr
        if name == "batchnorm":
            torch_arrays["bn.num_batches_tracked"] = np.array(7)  # PyTorch saves it; inference ignores it
        save_npz(OUT / f"{name}_torch.npz", torch_arrays)
        save_npz(OUT / f"{name}_keras.npz", keras_arrays)
        case["npz_torch"] = f"{name}_torch.npz"
        case["npz_keras"] = f"{name}_keras.npz"
        del case["weights"]  # the test must take them from the .npz files
        cases.append(case)
        if name == "stack":
            good = dict(torch_arrays)
            missing = {k: v for k, v in good.items() if k != "dw.bias"}
            save_npz(OUT / "error_missing.npz", missing)
            extra = dict(good, **{"fc.scale": np.ones(2, np.float32)})
            save_npz(OUT / "error_extra.npz", extra)
            unknown = dict(good, **{"conv9.weight": np.ones(2, np.float32)})
            save_npz(OUT / "error_unknown_layer.npz", unknown)
            shape = dict(good)
            shape["conv1.weight"] = good["conv1.weight"].transpose(2, 1, 0)  # Keras layout under a PyTorch name
            save_npz(OUT / "error_shape.npz", shape)
            mixed = dict(good)
            mixed["fc/kernel"] = mixed.pop("fc.weight").T
            save_npz(OUT / "error_mixed.npz", mixed)
    return cases


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)
    meta = {"generator": "tests/golden/make_forward_golden.py", "torch": torch.__version__}
    layers = layer_cases()
    (OUT / "layers.json").write_text(json.dumps(dict(meta, cases=layers), separators=(",", ":")) + "\n")
    weights = weights_cases()
    (OUT / "weights.json").write_text(json.dumps(dict(meta, cases=weights), separators=(",", ":")) + "\n")
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"{len(layers)} layer cases, {len(weights)} weight cases, {total / 1024:.0f} KiB in {OUT}")


if __name__ == "__main__":
    main()
