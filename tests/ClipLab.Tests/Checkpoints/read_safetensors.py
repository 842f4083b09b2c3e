"""Independent safetensors reader for ClipLab's tests: Python standard library and numpy only.

Reads the file named on the command line following the published safetensors layout
(an 8-byte little-endian header length, a UTF-8 JSON header, then the byte buffer), checks
it, and prints JSON to standard output:
{"metadata": {...}, "header_length": N, "order": [names by data offset],
 "tensors": {name: {"dtype": "F32", "shape": [...], "values": [...]}}}
Exits with status 1 and a message on standard error when the file breaks the format.
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "I64": "<i8", "I32": "<i4", "U8": "u1"}


def fail(message):
    print(f"read_safetensors: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    with open(sys.argv[1], "rb") as handle:
        content = handle.read()

    if len(content) < 8:
        fail(f"file has {len(content)} bytes, fewer than the 8-byte header length")
    (header_length,) = struct.unpack("<Q", content[:8])
    if 8 + header_length > len(content):
        fail(f"header length {header_length} runs past the end of the file")
    header_bytes = content[8 : 8 + header_length]
    if not header_bytes.startswith(b"{"):
        fail("header does not start with '{'")
    header = json.loads(header_bytes.decode("utf-8"))
    buffer = content[8 + header_length :]

    metadata = header.pop("__metadata__", {})
    if not all(isinstance(value, str) for value in metadata.values()):
        fail("__metadata__ holds a value that is not a string")

    # the tensors must tile the byte buffer without gaps or overlaps
    entries = sorted(header.items(), key=lambda item: item[1]["data_offsets"][0])
    position = 0
    tensors = {}
    for name, info in entries:
        begin, end = info["data_offsets"]
        if begin != position:
            fail(f"tensor {name} starts at {begin}, expected {position}")
        dtype = np.dtype(DTYPES[info["dtype"]])
        count = int(np.prod(info["shape"], dtype=np.int64))
        if end - begin != count * dtype.itemsize:
            fail(f"tensor {name} spans {end - begin} bytes, its shape needs {count * dtype.itemsize}")
        values = np.frombuffer(buffer[begin:end], dtype=dtype).reshape(info["shape"])
        tensors[name] = {
            "dtype": info["dtype"],
            "shape": list(values.shape),
            "values": [float(value) for value in values.reshape(-1)],
        }
        position = end
    if position != len(buffer):
        fail(f"tensors cover {position} bytes, the buffer has {len(buffer)}")

    json.dump(
        {"metadata": metadata, "header_length": header_length, "order": [name for name, _ in entries], "tensors": tensors},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
