"""Collectives on 2 and 4 real MPI ranks against hand-computed values (see collectives_job.py)."""
import pytest

import minitorch as torch
import minitorch.distributed as dist

from .conftest import HERE, requires_mpi, run_job


@requires_mpi
@pytest.mark.parametrize("nproc", [2, 4])
def test_collectives_match_hand_computed_values(nproc):
    result = run_job(nproc, str(HERE / "collectives_job.py"))
    assert result.returncode == 0, result.stdout + result.stderr
    for rank in range(nproc):
        assert f"rank {rank} ok" in result.stdout, result.stdout + result.stderr


def test_collective_without_process_group_raises_like_torch():
    assert not dist.is_initialized()
    with pytest.raises(ValueError, match="Default process group has not been initialized"):
        dist.all_reduce(torch.ones(2))
    with pytest.raises(ValueError, match="Default process group has not been initialized"):
        dist.get_rank()


def test_unknown_backend_rejected():
    with pytest.raises(ValueError, match="backend"):
        dist.init_process_group("nccl")
