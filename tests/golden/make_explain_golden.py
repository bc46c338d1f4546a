#!/usr/bin/python3
"""Triggers every PyTorch shape mistake `convscope-cli explain` recognises and
records the exact text PyTorch prints, plus two whole tracebacks (one chained).

Run with Debian's interpreter and python3-torch (1.13):
    /usr/bin/python3 tests/golden/make_explain_golden.py
Writes tests/golden/explain/torch_messages.json: {"torch_version", "messages":
{name: text}, "tracebacks": {name: text}}, which tests/explain reads, and
net_channels_last_traceback.txt, the traceback the README explains.
"""
import json
import os
import traceback

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def message_of(name, fn):
    try:
        fn()
    except Exception as e:  # the framework's own words are what we record
        return str(e)
    raise SystemExit("expected an error from case %s" % name)


def traceback_of(fn):
    try:
        fn()
    except Exception:
        return traceback.format_exc()
    raise SystemExit("expected an error from %s" % getattr(fn, "__name__", fn))


x_nlc = torch.zeros(32, 100, 5)   # channels_last data, as Keras would store it
x_ncl = torch.zeros(32, 5, 100)

cases = {
    # Conv1d(in_channels=5) fed (batch, length, channels).
    "conv_channels_last": lambda: nn.Conv1d(5, 16, 3)(x_nlc),
    # Conv1d built for 8 channels, the data has 5.
    "conv_in_channels": lambda: nn.Conv1d(8, 16, 3)(x_ncl),
    # Grouped conv: weight [16, 3, 3] with groups=2 wants 6 channels.
    "conv_groups_channels": lambda: nn.Conv1d(6, 16, 3, groups=2)(x_ncl),
    "conv_transpose_channels": lambda: nn.ConvTranspose1d(5, 16, 3)(x_nlc),
    "conv_kernel_too_big": lambda: nn.Conv1d(5, 16, 9)(torch.zeros(32, 5, 4)),
    "conv_kernel_too_big_padded": lambda: nn.Conv1d(5, 16, 9, padding=1)(torch.zeros(32, 5, 4)),
    "conv_dilated_too_big": lambda: nn.Conv1d(5, 16, 3, dilation=4)(torch.zeros(32, 5, 6)),
    "conv_rank_2d": lambda: nn.Conv1d(5, 16, 3)(torch.zeros(32, 100)),
    "conv_rank_4d": lambda: nn.Conv1d(5, 16, 3)(torch.zeros(32, 1, 5, 100)),
    "conv_transpose_rank": lambda: nn.ConvTranspose1d(5, 16, 3)(torch.zeros(32, 100)),
    "conv_in_groups": lambda: nn.Conv1d(5, 16, 3, groups=2),
    "conv_out_groups": lambda: nn.Conv1d(6, 15, 3, groups=2),
    "conv_same_strided": lambda: nn.Conv1d(5, 16, 3, stride=2, padding="same"),
    "conv_reflect_too_big": lambda: nn.Conv1d(5, 16, 11, padding=5, padding_mode="reflect")(torch.zeros(32, 5, 4)),
    "pad_reflect_too_big": lambda: F.pad(torch.zeros(32, 5, 4), (5, 5), mode="reflect"),
    # Without autograd 1.13 returns an empty tensor here; with it, max_pool2d checks.
    "maxpool_too_small_grad": lambda: nn.MaxPool1d(4)(torch.zeros(16, 8, 2, requires_grad=True)),
    "avgpool_too_small": lambda: nn.AvgPool1d(4)(torch.zeros(16, 8, 2)),
    "pool_pad_too_big": lambda: nn.MaxPool1d(4, padding=3)(torch.zeros(16, 8, 20)),
    "batchnorm_features": lambda: nn.BatchNorm1d(5)(torch.zeros(32, 100, 5)),
    "linear_no_flatten": lambda: nn.Linear(1600, 10)(torch.zeros(32, 16, 100)),
    "linear_in_features": lambda: nn.Linear(100, 10)(torch.zeros(32, 1600)),
    "view_invalid": lambda: torch.zeros(32, 16, 94).view(32, 1600),
    "reshape_invalid": lambda: torch.zeros(32, 16, 94).reshape(-1, 1600),
    "layernorm_shape": lambda: nn.LayerNorm(16)(torch.zeros(32, 16, 100)),
    "lstm_input_size": lambda: nn.LSTM(5, 32, batch_first=True)(torch.zeros(32, 5, 100)),
    "stack_ragged": lambda: torch.stack([torch.zeros(100, 5), torch.zeros(80, 5)]),
    "conv_transpose_output_padding": lambda: nn.ConvTranspose1d(5, 16, 3, stride=1, output_padding=2)(x_ncl),
}


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(5, 16, 3)
        self.pool = nn.MaxPool1d(2)
        self.fc = nn.Linear(16 * 49, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        return self.fc(x.flatten(1))


def chained():
    try:
        Net()(x_nlc)
    except RuntimeError as e:
        raise ValueError("training step 0 failed") from e


def during_handling():
    try:
        Net()(x_ncl[:, :, :50])
    except RuntimeError:
        open("/nonexistent/convscope/log.txt")


def main():
    out = {
        "torch_version": torch.__version__,
        "messages": {name: message_of(name, fn) for name, fn in cases.items()},
        "tracebacks": {
            "net_channels_last": traceback_of(lambda: Net()(x_nlc)),
            "chained_direct_cause": traceback_of(chained),
            "chained_during_handling": traceback_of(during_handling),
        },
    }
    # Paths in tracebacks depend on the machine; keep them relative to site-packages.
    for k, v in out["tracebacks"].items():
        out["tracebacks"][k] = v.replace(os.path.dirname(torch.__file__), "/usr/lib/python3/dist-packages/torch") \
                                .replace(os.path.abspath(__file__), "make_explain_golden.py")
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "explain", "torch_messages.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    with open(os.path.join(os.path.dirname(path), "net_channels_last_traceback.txt"), "w") as f:
        f.write(out["tracebacks"]["net_channels_last"])


if __name__ == "__main__":
    main()
