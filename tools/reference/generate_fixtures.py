"""Write the PyTorch reference fixtures that ClipLab's tests compare against.

Run through generate.sh, which makes sure Debian's python3-torch is there. Each fixture is a
JSON file that records the PyTorch version and the command that wrote it.
"""

import argparse
import os
import sys
from pathlib import Path

import torch

from fixture_io import command_line, write_fixture

REPOSITORY = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPOSITORY / "tests" / "ClipLab.Tests" / "Reference" / "Fixtures"
FIXTURES = ("layers", "loss", "network", "adam", "clipping", "experiment", "mann-whitney")


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=FIXTURES, default=list(FIXTURES),
                        help="fixtures to write (default: all)")
    parser.add_argument("--data", default=os.environ.get("CLIPLAB_DATA"),
                        help="folder with the four MNIST IDX files (default: $CLIPLAB_DATA); needed by network and experiment")
    parser.add_argument("--seeds", type=int, default=20,
                        help="seeds 1..N of the whole experiment (default: 20, the number the C# test runs)")
    parser.add_argument("--jobs", type=int, default=2,
                        help="processes for the whole experiment, one thread each (default: 2)")
    parser.add_argument("--out", default=str(DEFAULT_OUTPUT), help=f"output folder (default: {DEFAULT_OUTPUT})")
    arguments = parser.parse_args(argv)
    needs_data = {"network", "experiment"} & set(arguments.only)
    if needs_data and not arguments.data:
        verb = "needs" if len(needs_data) == 1 else "need"
        parser.error(f"fixture {' and '.join(sorted(needs_data))} {verb} MNIST: pass --data DIR or set CLIPLAB_DATA")
    if arguments.seeds < 1 or arguments.jobs < 1:
        parser.error("--seeds and --jobs must be at least 1")
    return arguments


def main(argv):
    arguments = parse_arguments(argv)
    # one thread makes PyTorch's float32 sums, and so the fixtures, independent of the core count
    torch.set_num_threads(1)
    command = command_line(argv)
    Path(arguments.out).mkdir(parents=True, exist_ok=True)

    for fixture in arguments.only:
        if fixture == "layers":
            import layer_fixtures
            write_fixture(arguments.out, "layers", command, layer_fixtures.build())
        elif fixture == "loss":
            import loss_fixtures
            write_fixture(arguments.out, "loss", command, loss_fixtures.build())
        elif fixture == "network":
            import network_fixtures
            write_fixture(arguments.out, "network", command, network_fixtures.build(arguments.data))
        elif fixture == "adam":
            import adam_fixtures
            write_fixture(arguments.out, "adam", command, adam_fixtures.build())
        elif fixture == "clipping":
            import clipping_fixtures
            write_fixture(arguments.out, "clipping", command, clipping_fixtures.build())
        elif fixture == "experiment":
            import experiment_fixtures
            write_fixture(arguments.out, "experiment", command,
                          experiment_fixtures.build(arguments.data, arguments.seeds, arguments.jobs))
        elif fixture == "mann-whitney":
            import mann_whitney_fixtures
            write_fixture(arguments.out, "mann-whitney", command, mann_whitney_fixtures.build())


if __name__ == "__main__":
    main(sys.argv[1:])
