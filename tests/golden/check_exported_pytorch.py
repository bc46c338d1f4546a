#!/usr/bin/python3
"""Runs ConvScope's PyTorch export with torch and checks it reproduces the trace.

For every stack in resources/stacks plus stacks generated here (every layer type,
both layouts, Keras 'same' with strides, causal, uneven padding, padding modes,
transposed convolutions, pooling corner cases), it:
  1. prints the stack's PyTorch code with the test-only convscope_export_tool,
  2. runs that file with torch (its __main__ prints the output shape),
  3. traces the stack with `convscope-cli trace --input-shape <INPUT_SHAPE> --json`,
     INPUT_SHAPE being the example input the generated file declares,
and compares the two output shapes. A stack whose trace fails must fail in
torch too. Needs python3-torch, so CI does not run it:
    /usr/bin/python3 tests/golden/check_exported_pytorch.py [--build build-interop] [-v]
Exit status 0 when every stack agrees.
"""
import argparse
import ast
import json
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]


def stack(name, data_format, input_shape, layers):
    return {"format": "convscope-stack", "version": 1, "name": name, "data_format": data_format,
            "input_shape": input_shape, "layers": layers}


def generated_stacks():
    """Stacks that exercise every mapping in pytorch_export.cpp, on odd lengths."""
    cl, cf = "channels_last", "channels_first"
    yield stack("keras strided same", cl, [None, 101, 3], [
        {"type": "Conv1D", "name": "c1", "filters": 8, "kernel_size": 4, "strides": 2, "padding": "same",
         "activation": "relu"},
        {"type": "Conv1D", "name": "c2", "filters": 8, "kernel_size": 5, "strides": 3, "padding": "same"},
        {"type": "MaxPooling1D", "name": "mp", "pool_size": 3, "strides": 2, "padding": "same"},
        {"type": "AveragePooling1D", "name": "ap", "pool_size": 2, "padding": "same"},
        {"type": "Conv1D", "name": "c3", "filters": 6, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
        {"type": "Flatten", "name": "flat"},
        {"type": "Dense", "name": "fc", "units": 5, "activation": "softmax"}])
    yield stack("torch paddings", cf, [None, 4, 37], [
        {"type": "Conv1D", "name": "uneven", "filters": 4, "kernel_size": 3, "padding": [1, 2],
         "padding_mode": "reflect"},
        {"type": "Conv1D", "name": "sym", "filters": 6, "kernel_size": 5, "padding": 2, "padding_mode": "circular"},
        {"type": "Conv1D", "name": "rep_same", "filters": 6, "kernel_size": 4, "padding": "same",
         "padding_mode": "replicate", "groups": 2},
        {"type": "Conv1D", "name": "causal_rep", "filters": 6, "kernel_size": 3, "padding": "causal",
         "padding_mode": "replicate"},
        {"type": "MaxPooling1D", "name": "mp", "pool_size": 3, "strides": 2, "padding": 1, "ceil_mode": True},
        {"type": "AveragePooling1D", "name": "ap", "pool_size": 3, "strides": 2, "padding": 1,
         "count_include_pad": False, "ceil_mode": True},
        {"type": "MaxPooling1D", "name": "mp_dil", "pool_size": 2, "strides": 1, "dilation_rate": 2},
        {"type": "AveragePooling1D", "name": "ap_uneven", "pool_size": 4, "strides": 1, "padding": [1, 2],
         "count_include_pad": False},
        {"type": "MaxPooling1D", "name": "mp_uneven", "pool_size": 4, "strides": 1, "padding": [2, 1]},
        {"type": "GlobalAveragePooling1D", "name": "gap"},
        {"type": "Dense", "name": "fc", "units": 2}])
    yield stack("transposed convolutions", cl, [None, 13, 2], [
        {"type": "Conv1DTranspose", "name": "t_same", "filters": 4, "kernel_size": 5, "strides": 2, "padding": "same"},
        {"type": "Conv1DTranspose", "name": "t_same_small", "filters": 4, "kernel_size": 2, "strides": 3,
         "padding": "same"},
        {"type": "Conv1DTranspose", "name": "t_valid", "filters": 4, "kernel_size": 3, "strides": 2},
        {"type": "Conv1DTranspose", "name": "t_valid_small", "filters": 4, "kernel_size": 1, "strides": 3},
        {"type": "Conv1DTranspose", "name": "t_op", "filters": 4, "kernel_size": 3, "strides": 2, "padding": "same",
         "output_padding": 1},
        {"type": "Conv1DTranspose", "name": "t_explicit", "filters": 4, "kernel_size": 4, "strides": 2,
         "padding": [1, 2], "groups": 2},
        {"type": "Conv1DTranspose", "name": "t_dil", "filters": 3, "kernel_size": 3, "dilation_rate": 2,
         "padding": 1, "activation": "tanh"}])
    yield stack("depthwise separable", cf, [None, 3, 50], [
        {"type": "DepthwiseConv1D", "name": "dw", "kernel_size": 3, "depth_multiplier": 2, "padding": "same",
         "padding_mode": "reflect"},
        {"type": "DepthwiseConv1D", "name": "dw_causal", "kernel_size": 3, "padding": "causal"},
        {"type": "SeparableConv1D", "name": "sep", "filters": 8, "kernel_size": 5, "dilation_rate": 2,
         "depth_multiplier": 2, "use_bias": False},
        {"type": "SeparableConv1D", "name": "sep_uneven", "filters": 4, "kernel_size": 3, "padding": [0, 2]},
        {"type": "BatchNormalization", "name": "bn", "momentum": 0.9, "center": False},
        {"type": "Activation", "name": "act", "activation": "gelu"}])
    yield stack("sequence plumbing keras", cl, [None, 40, 3], [
        {"type": "Masking", "name": "mask", "mask_value": 0.0},
        {"type": "ZeroPadding1D", "name": "zp", "padding": [2, 3]},
        {"type": "Cropping1D", "name": "crop", "cropping": [1, 4]},
        {"type": "UpSampling1D", "name": "up", "size": 3},
        {"type": "BatchNormalization", "name": "bn"},
        {"type": "Conv1D", "name": "c", "filters": 6, "kernel_size": 3},
        {"type": "LayerNormalization", "name": "ln"},
        {"type": "Dense", "name": "per_step", "units": 4, "activation": "leaky_relu"},
        {"type": "Permute", "name": "perm", "dims": [2, 1]},
        {"type": "Reshape", "name": "rs", "target_shape": [-1, 2]},
        {"type": "Dropout", "name": "drop", "rate": 0.1},
        {"type": "GlobalMaxPooling1D", "name": "gmp", "keepdims": True},
        {"type": "Flatten", "name": "flat"},
        {"type": "BatchNormalization", "name": "bn_flat"},
        {"type": "Dense", "name": "out", "units": 3, "activation": "sigmoid"}])
    yield stack("sequence plumbing torch", cf, [None, 3, 40], [
        {"type": "Conv1D", "name": "c", "filters": 6, "kernel_size": 3, "activation": "swish"},
        {"type": "Masking", "name": "mask", "mask_value": -1.0},
        {"type": "UpSampling1D", "name": "up", "size": 2},
        {"type": "Cropping1D", "name": "crop", "cropping": 2},
        {"type": "Dropout", "name": "off", "enabled": False},
        {"type": "LayerNormalization", "name": "ln"},
        {"type": "Permute", "name": "perm", "dims": [2, 1]},
        {"type": "Dense", "name": "mix", "units": 5, "activation": "elu"},
        {"type": "Reshape", "name": "rs", "target_shape": [5, -1]},
        {"type": "GlobalAveragePooling1D", "name": "gap", "keepdims": True},
        {"type": "Activation", "name": "sm", "activation": "softmax"}])
    yield stack("keras reshape to sequence", cl, [None, 60], [
        {"type": "Reshape", "name": "to_seq", "target_shape": [20, 3]},
        {"type": "Conv1D", "name": "c", "filters": 4, "kernel_size": 3, "padding": "same", "activation": "selu"},
        {"type": "Permute", "name": "perm", "dims": [2, 1]},
        {"type": "Conv1D", "name": "c2", "filters": 2, "kernel_size": 2, "activation": "softplus"}])


def find_build(requested):
    candidates = [ROOT / requested] if requested else sorted(ROOT.glob("build*"))
    for b in candidates:
        tool, cli = b / "tests/interop/convscope_export_tool", b / "app/cli/convscope-cli"
        if tool.exists() and cli.exists():
            return tool, cli
    sys.exit("no build folder with tests/interop/convscope_export_tool and app/cli/convscope-cli; build them first")


def traced_output(cli, path, input_shape):
    r = subprocess.run([str(cli), "trace", str(path), "--input-shape", ",".join(map(str, input_shape)), "--json"],
                       capture_output=True, text=True)
    if r.returncode == 2:
        raise RuntimeError(f"convscope-cli trace: {r.stderr.strip()}")
    report = json.loads(r.stdout)
    if not report["ok"]:
        return None
    return tuple(report["steps"][-1]["out_shape"])


def check(tool, cli, path, verbose):
    code = subprocess.run([str(tool), "--pytorch", str(path)], capture_output=True, text=True, check=True).stdout
    m = re.search(r"^INPUT_SHAPE = (.*)$", code, re.M)
    input_shape = ast.literal_eval(m.group(1))
    expected = traced_output(cli, path, input_shape)
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(code)
    run = subprocess.run([sys.executable, f.name], capture_output=True, text=True)
    pathlib.Path(f.name).unlink()
    got = ast.literal_eval(run.stdout.strip().splitlines()[-1]) if run.returncode == 0 else None
    if expected is None:
        ok = got is None
        what = "trace fails, torch fails too" if ok else f"trace fails but torch ran: {got}"
    else:
        ok = got == expected
        what = f"{got}" if ok else f"torch {got}, trace {expected}"
        if got is None:
            what += "\n" + run.stderr.strip().splitlines()[-1] if run.stderr.strip() else ""
    if verbose and not ok:
        print(code)
        print(run.stderr)
    return ok, f"{input_shape} -> {what}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", help="build folder (default: the first build* with both programs)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the code of stacks that disagree")
    args = ap.parse_args()
    tool, cli = find_build(args.build)
    paths = sorted((ROOT / "resources/stacks").glob("*.convscope.json"))
    with tempfile.TemporaryDirectory() as tmp:
        for s in generated_stacks():
            p = pathlib.Path(tmp) / (s["name"].replace(" ", "_") + ".convscope.json")
            p.write_text(json.dumps(s))
            paths.append(p)
        failures = 0
        for p in paths:
            ok, what = check(tool, cli, p, args.verbose)
            failures += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {p.name}: {what}")
    print(f"{len(paths) - failures}/{len(paths)} stacks agree")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
