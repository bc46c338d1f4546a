#!/usr/bin/python3
"""Golden data for ConvScope's pad_sequences: Keras' own pad_sequences
(keras_preprocessing, Debian package python3-keras-preprocessing) on small
ragged batches, written as JSON to tests/golden/pad/. Run with /usr/bin/python3.
"""
import json
import os

import numpy as np
from keras_preprocessing.sequence import pad_sequences

out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pad")
os.makedirs(out_dir, exist_ok=True)
rng = np.random.default_rng(5)

univariate = [
    [1.0, 2.0, 3.0],
    [4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
    [],
    [10.5],
    [11.0, 12.0, 13.0, 14.0],
]
multivariate = [
    rng.normal(size=(n, 2)).round(3).tolist() for n in (5, 2, 7, 3)
]

cases = []
for seqs, tag in ((univariate, "uni"), (multivariate, "multi")):
    for maxlen in (None, 3, 8):
        for padding in ("pre", "post"):
            for truncating in ("pre", "post"):
                value = -1.0 if (padding, truncating) == ("post", "pre") else 0.0
                arr = pad_sequences(
                    [np.asarray(s, dtype=np.float32) for s in seqs],
                    maxlen=maxlen, dtype="float32", padding=padding,
                    truncating=truncating, value=value,
                )
                cases.append({
                    "name": f"{tag}_maxlen{maxlen}_{padding}_{truncating}",
                    "channels": 1 if tag == "uni" else 2,
                    "sequences": seqs,
                    "maxlen": maxlen,
                    "padding": padding,
                    "truncating": truncating,
                    "value": value,
                    "shape": list(arr.shape),
                    "expected": arr.ravel().tolist(),
                })

for c in cases:
    with open(os.path.join(out_dir, c["name"] + ".json"), "w") as f:
        json.dump(c, f, indent=None)
        f.write("\n")
print(f"wrote {len(cases)} cases to {out_dir}")
