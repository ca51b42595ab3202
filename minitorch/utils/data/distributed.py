"""DistributedSampler: each rank reads its own, equally long share of the dataset."""
from __future__ import annotations

import math
from typing import Any, Iterator

import numpy as np

from .sampler import Sampler


def _torch_randperm(n: int, seed: int) -> list[int]:
    """torch.randperm(n, generator=torch.Generator().manual_seed(seed)) on the CPU, value for value.

    torch's CPU generator is a Mersenne Twister seeded with the low 32 bits of the seed, and
    randperm is a Fisher-Yates shuffle drawing one 32-bit number per position. Ranks must
    agree on the permutation, and matching torch keeps a run's data order reproducible.
    """
    twister = np.random.RandomState(seed & 0xFFFFFFFF)
    draws = twister.randint(0, 2 ** 32, size=max(n - 1, 0), dtype=np.uint64).tolist()
    order = list(range(n))
    for i, draw in enumerate(draws):
        j = i + draw % (n - i)
        order[i], order[j] = order[j], order[i]
    return order


class DistributedSampler(Sampler):
    """Rank `rank` of `num_replicas` takes indices rank, rank + num_replicas, ... of a shared order.

    The order is a permutation seeded by `seed + epoch` (call set_epoch each epoch) or
    0..len-1; it is padded by repeating its start (or, with drop_last, cut) so that every
    rank gets the same number of samples.
    """

    def __init__(self, dataset: Any, num_replicas: int | None = None, rank: int | None = None,
                 shuffle: bool = True, seed: int = 0, drop_last: bool = False):
        if num_replicas is None or rank is None:
            from ... import distributed as dist
            if not dist.is_available():
                raise RuntimeError("Requires distributed package to be available")
            num_replicas = dist.get_world_size() if num_replicas is None else num_replicas
            rank = dist.get_rank() if rank is None else rank
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]")
        self.dataset, self.num_replicas, self.rank = dataset, num_replicas, rank
        self.epoch, self.drop_last, self.shuffle, self.seed = 0, drop_last, shuffle, seed
        if drop_last and len(dataset) % num_replicas != 0:
            self.num_samples = math.ceil((len(dataset) - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(len(dataset) / num_replicas)
        self.total_size = self.num_samples * num_replicas

    def __iter__(self) -> Iterator[int]:
        n = len(self.dataset)
        indices = _torch_randperm(n, self.seed + self.epoch) if self.shuffle else list(range(n))
        if not self.drop_last:
            padding = self.total_size - len(indices)
            if padding <= len(indices):
                indices += indices[:padding]
            else:
                indices += (indices * math.ceil(padding / len(indices)))[:padding]
        else:
            indices = indices[: self.total_size]
        return iter(indices[self.rank: self.total_size: self.num_replicas])

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Use a different shuffle in each epoch (same on all ranks)."""
        self.epoch = epoch
