"""A rank that raises or is killed ends the whole job quickly, with its traceback, through the launcher."""
import subprocess
import sys
import time

import pytest

from .conftest import HERE, ROOT, requires_mpi, run_job


@requires_mpi
def test_raising_rank_aborts_job_with_traceback():
    start = time.monotonic()
    result = run_job(2, str(HERE / "failing_job.py"), "raise", timeout=60)
    assert result.returncode != 0
    assert "ValueError: rank 1 failed on purpose" in result.stderr
    assert "must not" not in result.stdout
    assert time.monotonic() - start < 30


@requires_mpi
def test_killed_rank_ends_job_through_launcher():
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "minitorch.distributed.run", "--nproc-per-node", "2",
                             str(HERE / "failing_job.py"), "kill"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0
    assert "must not" not in result.stdout
    assert time.monotonic() - start < 30
