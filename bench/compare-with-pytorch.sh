#!/usr/bin/env bash
# Times the reference experiment (unclipped, seed 1) in ClipLab and in PyTorch, alternating
# fresh processes on the same machine, and prints the medians and the ratio per thread count.
# Usage: bench/compare-with-pytorch.sh [RUNS] [THREADS...]   (defaults: 5 runs, 1 and 2 threads)
# Needs CLIPLAB_DATA (the MNIST folder) and Debian's python3-torch for /usr/bin/python3.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
shift || true
if [ "$#" -eq 0 ]; then
  threads_list=(1 2)
else
  threads_list=("$@")
fi
: "${CLIPLAB_DATA:?Set CLIPLAB_DATA to the folder with the four MNIST files.}"

if ! /usr/bin/python3 -c "import torch" >/dev/null 2>&1; then
  echo "error: PyTorch is missing for /usr/bin/python3; install it with: apt-get install -y python3-torch" >&2
  exit 1
fi

dotnet build "$repo_root/bench/ClipLab.Benchmarks" -c Release >/dev/null
bench_dll="$repo_root/bench/ClipLab.Benchmarks/bin/Release/net10.0/ClipLab.Benchmarks.dll"

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

for threads in "${threads_list[@]}"; do
  cliplab_times=()
  torch_times=()
  for ((run = 1; run <= runs; run++)); do
    cliplab_times+=("$(dotnet "$bench_dll" e2e "$threads" 1 | sed -n 's/^run 1: \([0-9.]*\) s.*/\1/p')")
    torch_times+=("$(/usr/bin/python3 "$repo_root/bench/pytorch/time_reference_run.py" "$CLIPLAB_DATA" "$threads" | sed -n 's/^seconds \([0-9.]*\).*/\1/p')")
    echo "threads $threads run $run: ClipLab ${cliplab_times[-1]} s, PyTorch ${torch_times[-1]} s" >&2
  done
  cliplab_median=$(printf '%s\n' "${cliplab_times[@]}" | median)
  torch_median=$(printf '%s\n' "${torch_times[@]}" | median)
  ratio=$(awk -v t="$torch_median" -v c="$cliplab_median" 'BEGIN { printf "%.2f", t / c }')
  echo "threads $threads: ClipLab median ${cliplab_median} s, PyTorch median ${torch_median} s, PyTorch/ClipLab ${ratio}x over $runs runs"
done
