"""Helpers that start real MPI jobs (mpiexec from the `distributed` extra) for these tests."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import minitorch.distributed as dist

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
MPIEXEC = shutil.which("mpiexec", path=str(Path(sys.executable).parent)) or shutil.which("mpiexec")

requires_mpi = pytest.mark.skipif(not dist.is_available() or MPIEXEC is None,
                                  reason="mpiexec/mpi4py not installed: pip install 'minitorch[distributed]'")


def run_job(nproc: int, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python args...` on `nproc` MPI ranks with this worktree's minitorch; returns the result."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1", NUMBA_NUM_THREADS="1")
    return subprocess.run([MPIEXEC, "-n", str(nproc), sys.executable, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
