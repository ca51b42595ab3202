"""A torchrun-like launcher: python -m minitorch.distributed.run --nproc-per-node N script.py args...

It starts N ranks of `script.py` through mpiexec, with torch's RANK, LOCAL_RANK,
WORLD_SIZE, LOCAL_WORLD_SIZE set for each, and exits with the job's exit code. If a rank
fails, the excepthook installed by init_process_group aborts the whole job.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

# Each rank runs this to translate MPI's environment into torch's, then runs the script.
_RANK_BOOTSTRAP = """
import os, runpy, sys
from mpi4py import MPI
os.environ['RANK'] = str(MPI.COMM_WORLD.Get_rank())
os.environ['WORLD_SIZE'] = str(MPI.COMM_WORLD.Get_size())
local = MPI.COMM_WORLD.Split_type(MPI.COMM_TYPE_SHARED)
os.environ['LOCAL_RANK'], os.environ['LOCAL_WORLD_SIZE'] = str(local.Get_rank()), str(local.Get_size())
local.Free()
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
"""


def find_mpiexec() -> str:
    """mpiexec beside this Python (the mpich wheel puts it there), else on PATH."""
    found = shutil.which("mpiexec", path=str(Path(sys.executable).parent)) or shutil.which("mpiexec")
    if found is None:
        raise SystemExit("mpiexec not found: pip install 'minitorch[distributed]' (mpi4py and mpich)")
    return found


def main(argv: list[str] | None = None) -> int:
    """Parse torchrun-style arguments, run the job through mpiexec, return its exit code."""
    parser = argparse.ArgumentParser(prog="python -m minitorch.distributed.run", description=__doc__)
    parser.add_argument("--nproc-per-node", "--nproc_per_node", type=int, default=1)
    parser.add_argument("script")
    parser.add_argument("script_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = [find_mpiexec(), "-n", str(args.nproc_per_node), sys.executable, "-c", _RANK_BOOTSTRAP,
               args.script, *args.script_args]
    return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main())
