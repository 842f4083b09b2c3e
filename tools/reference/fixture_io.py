"""Conversion of tensors to JSON values and writing of fixture files."""

import json
import platform
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch


def floats(tensor):
    """Return a float32 tensor as a flat list of Python floats that print in their shortest form.

    str() of a NumPy float32 is the shortest decimal string that reads back as the same float32,
    and float() of that string keeps the short form when json writes it. C# parses the text
    straight to float, so every value arrives with its exact float32 bits.
    """
    array = tensor.detach().to(torch.float32).contiguous().numpy().ravel()
    return [float(str(value)) for value in array]


def float32_scalar(value):
    """Return a scalar rounded to float32, as a Python float that prints in its shortest form."""
    return float(str(np.float32(value)))


def scales(tensor):
    """Return non-negative error scales with three significant digits, rounded up so they stay bounds."""
    array = tensor.detach().to(torch.float64).contiguous().numpy().ravel()
    rounded = []
    for value in array:
        if value == 0.0:
            rounded.append(0.0)
            continue
        text = f"{value:.2e}"
        candidate = float(text)
        if candidate < value:
            mantissa, exponent = text.split("e")
            candidate = float(f"{float(mantissa) + 0.01:.2f}e{exponent}")
        rounded.append(candidate)
    return rounded


def debian_package_version(package):
    """Return the installed Debian version of `package`, or None when dpkg does not know it."""
    try:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", package],
            capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return None
    return result.stdout.strip() or None


def generator_metadata(command):
    """Describe the software that produced a fixture and the command that ran it."""
    return {
        "command": command,
        "torch_version": torch.__version__,
        "torch_debian_package": debian_package_version("python3-torch"),
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "torch_threads": torch.get_num_threads(),
    }


def command_line(argv):
    """Return the command that ran the generator, as a shell would quote it."""
    return " ".join(["tools/reference/generate.sh", *(shlex.quote(argument) for argument in argv)])


def write_fixture(directory, name, command, payload):
    """Write payload with generator metadata to directory/name.json and report its size."""
    path = Path(directory) / f"{name}.json"
    document = {"generator": generator_metadata(command), **payload}
    text = json.dumps(document, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {path} ({len(text) / 1024:.0f} KiB)", file=sys.stderr)
    return path
