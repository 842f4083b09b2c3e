"""Time one unclipped run of the reference experiment in PyTorch, as ClipLab's e2e mode times its own.

Reuses the PyTorch experiment of tools/reference (the same model, data split, sampler and
TensorFlow 1 Adam) and prints "seconds S" for the training, validations and test evaluation,
excluding interpreter start-up and data loading.
Usage: time_reference_run.py DATA_DIR THREADS
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools" / "reference"))

import torch  # noqa: E402

import experiment_fixtures  # noqa: E402
import mnist  # noqa: E402


def main():
    data_directory, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    experiment_fixtures._DATA = mnist.load(data_directory)
    initial = experiment_fixtures.initial_parameters(1)
    started = time.perf_counter()
    result = experiment_fixtures.run_variant(1, "unclipped", initial)
    print(f"seconds {time.perf_counter() - started:.3f} test_accuracy {result.get('test_accuracy', float('nan')):.4f}")


if __name__ == "__main__":
    main()
