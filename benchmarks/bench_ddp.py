"""Allreduce share of a LeNet-5 DDP step: run with `python -m minitorch.distributed.run --nproc-per-node 2`.

Times (on rank 0) a full DDP training step on a per-rank batch, and an Allreduce of the same
number of gradient values alone; prints both and their ratio.
"""
import os
import sys
import time

import numpy as np
from mpi4py import MPI

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples"))

import minitorch as torch  # noqa: E402
import minitorch.distributed as dist  # noqa: E402
import minitorch.nn.functional as F  # noqa: E402
from minitorch.nn.parallel import DistributedDataParallel  # noqa: E402
from mnist_models import build_model  # noqa: E402

dist.init_process_group("mpi")
batch = 64 // dist.get_world_size()
model = DistributedDataParallel(build_model("lenet", torch))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
images, labels = torch.randn(batch, 1, 28, 28), torch.randint(0, 10, (batch,))


def step() -> None:
    optimizer.zero_grad()
    F.cross_entropy(model(images), labels).backward()
    optimizer.step()


def timed(fn, repeats: int = 50) -> float:
    for _ in range(5):
        fn()
    dist.barrier()
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - start) / repeats


gradients = np.zeros(sum(p.numel() for p in model.parameters()), dtype=np.float32)
step_s = timed(step)
comm = dist.GroupMember.WORLD.comm      # the same MPI call DDP makes, without the shape check
allreduce_s = timed(lambda: comm.Allreduce(MPI.IN_PLACE, gradients))
if dist.get_rank() == 0:
    print(f"ranks {dist.get_world_size()}, per-rank batch {batch}: step {step_s * 1e3:.2f} ms, "
          f"allreduce of {gradients.nbytes / 1e3:.0f} KB {allreduce_s * 1e3:.3f} ms "
          f"({allreduce_s / step_s:.1%} of a step)")
dist.destroy_process_group()
