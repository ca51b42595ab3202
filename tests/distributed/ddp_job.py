"""Run under mpiexec by test_ddp.py: DDP on each rank's share of every batch vs one process.

argv: dtype name, bucket_cap_mb, output .npz path (written by rank 0).
"""
import sys

import numpy as np

import minitorch as torch
import minitorch.distributed as dist
from minitorch import nn
from minitorch.nn.parallel import DistributedDataParallel

dtype, bucket_cap_mb, out_path = getattr(torch, sys.argv[1]), float(sys.argv[2]), sys.argv[3]
dist.init_process_group("mpi")
rank, size = dist.get_rank(), dist.get_world_size()


def make_model():
    torch.manual_seed(rank)        # different on each rank: DDP must broadcast rank 0's
    return nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.Flatten(), nn.Linear(3 * 4 * 4, 5)).to(dtype)


torch.manual_seed(100)
inputs, targets = torch.randn(20, 8, 1, 6, 6, dtype=dtype), torch.randint(0, 5, (20, 8))
ddp = DistributedDataParallel(make_model(), bucket_cap_mb=bucket_cap_mb)
optimizer = torch.optim.SGD(ddp.parameters(), lr=0.1)
share = 8 // size
for x, y in zip(inputs, targets):
    optimizer.zero_grad()
    nn.functional.cross_entropy(ddp(x[rank * share:(rank + 1) * share]), y[rank * share:(rank + 1) * share]).backward()
    optimizer.step()
# no_sync accumulates locally; the next synced backward averages the accumulated sum
optimizer.zero_grad()
x, y = inputs[0], targets[0]
with ddp.no_sync():
    nn.functional.cross_entropy(ddp(x[:share]), y[:share]).backward()
local = [p.grad.clone() for p in ddp.parameters()]
nn.functional.cross_entropy(ddp(x[share:2 * share]), y[share:2 * share]).backward()
params = np.concatenate([p.detach().numpy().ravel() for p in ddp.parameters()])
grads = np.concatenate([p.grad.numpy().ravel() for p in ddp.parameters()])
gathered = [None] * size
dist.all_gather_object(gathered, (params, grads, [g.numpy() for g in local]))
if rank == 0:
    assert list(ddp.state_dict())[0].startswith("module."), list(ddp.state_dict())
    np.savez(out_path, params=np.stack([g[0] for g in gathered]), grads=np.stack([g[1] for g in gathered]),
             local0=np.concatenate([g.ravel() for g in gathered[0][2]]))
dist.destroy_process_group()
