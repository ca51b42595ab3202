"""DistributedSampler gives each rank exactly torch's indices (no MPI needed: rank/num_replicas given)."""
import pytest
import torch
from torch.utils.data.distributed import DistributedSampler as TorchSampler

from minitorch.utils.data import DistributedSampler


@pytest.mark.parametrize("n", [1, 7, 10, 101, 60000])
@pytest.mark.parametrize("num_replicas", [1, 2, 3, 4])
@pytest.mark.parametrize("shuffle,drop_last", [(True, False), (False, False), (True, True), (False, True)])
def test_indices_match_torch(n, num_replicas, shuffle, drop_last):
    for rank in range(num_replicas):
        for seed, epoch in ((0, 0), (5, 3)):
            ours = DistributedSampler(range(n), num_replicas, rank, shuffle, seed, drop_last)
            theirs = TorchSampler(range(n), num_replicas, rank, shuffle, seed, drop_last)
            ours.set_epoch(epoch)
            theirs.set_epoch(epoch)
            assert len(ours) == len(theirs)
            assert list(ours) == list(theirs)


def test_invalid_rank_raises_like_torch():
    with pytest.raises(ValueError, match="Invalid rank"):
        DistributedSampler(range(4), num_replicas=2, rank=2)
    with pytest.raises(ValueError):
        TorchSampler(range(4), num_replicas=2, rank=2)
