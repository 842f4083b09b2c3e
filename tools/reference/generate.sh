#!/usr/bin/env bash
# Writes the PyTorch reference fixtures into tests/ClipLab.Tests/Reference/Fixtures.
# Uses Debian's Python (/usr/bin/python3) with python3-torch, python3-numpy and python3-scipy,
# installing them with apt-get when they are missing. Arguments go to generate_fixtures.py;
# see --help. MNIST comes from --data DIR or $CLIPLAB_DATA.
set -euo pipefail

script_dir="$(cd "$(dirname "$0")" && pwd)"
python=/usr/bin/python3

if ! "$python" -c "import torch, numpy, scipy" >/dev/null 2>&1; then
  echo "Installing python3-torch, python3-numpy and python3-scipy with apt-get..." >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt_get=(apt-get)
  else
    apt_get=(sudo apt-get)
  fi
  "${apt_get[@]}" update
  "${apt_get[@]}" install -y python3 python3-torch python3-numpy python3-scipy
fi

cd "$script_dir"
# keep __pycache__ out of the source tree
export PYTHONDONTWRITEBYTECODE=1
exec "$python" generate_fixtures.py "$@"
