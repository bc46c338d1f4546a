#!/usr/bin/python3
"""Regenerates the hostile-input fuzz seeds of issue 10 with NumPy and Python's
zipfile (Debian's python3-numpy): a .npz whose member CRC-32 is wrong, one with two
members of the same name, a truncated WAV and a 7-bit WAV.

    /usr/bin/python3 tests/fuzz/make_hostile_seeds.py
"""
import io
import os
import struct
import warnings
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def npy_bytes(array):
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


def write(rel, data):
    path = os.path.join(HERE, "seeds", rel)
    with open(path, "wb") as f:
        f.write(data)
    print(path, len(data), "bytes")


def crc_damaged_npz():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("x.npy", npy_bytes(np.arange(24, dtype="<f4").reshape(2, 3, 4)))
    data = bytearray(buf.getvalue())
    # Flip one byte of the array data (the last value), keeping the recorded CRC.
    data[data.rfind(b"PK\x01\x02") - 1] ^= 0x40
    return bytes(data)


def duplicate_member_npz():
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns "Duplicate name"; that is the point
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("x.npy", npy_bytes(np.zeros((1, 4, 2), dtype="<f4")))
            z.writestr("x.npy", npy_bytes(np.ones((1, 4, 2), dtype="<f4")))
    return buf.getvalue()


def wav(bits, container, declared_frames, frames):
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 8000 * container, container, bits)
    body = bytes((i * 37) & 0xFF for i in range(frames * container))
    return (b"RIFF" + struct.pack("<I", 36 + declared_frames * container) + b"WAVEfmt " +
            struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", declared_frames * container) + body)


if __name__ == "__main__":
    write("npz/crc_damaged.npz", crc_damaged_npz())
    write("npz/duplicate_member.npz", duplicate_member_npz())
    write("audio/truncated16.wav", wav(16, 2, 8000, 1478))
    write("audio/seven_bit.wav", wav(7, 1, 300, 300))
