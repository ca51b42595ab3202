"""Run under mpiexec by test_collectives.py: checks every collective against hand-computed values."""
import minitorch as torch
import minitorch.distributed as dist

dist.init_process_group("mpi")
rank, size = dist.get_rank(), dist.get_world_size()
total = sum(range(size))
for dtype in (torch.float32, torch.float64, torch.int64):
    t = torch.arange(6, dtype=dtype).reshape(2, 3) + rank
    dist.all_reduce(t)
    assert t.tolist() == (torch.arange(6, dtype=dtype).reshape(2, 3) * size + total).tolist(), t
    t = (torch.arange(6, dtype=dtype).reshape(2, 3) + rank).t()          # non-contiguous, in place
    storage = t.data_ptr()
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    assert t.data_ptr() == storage and t.tolist() == (torch.arange(6, dtype=dtype).reshape(2, 3) + size - 1).t().tolist()
    t = torch.full((3,), rank + 1, dtype=dtype)
    dist.broadcast(t, src=size - 1)
    assert t.tolist() == [size] * 3
    t = torch.full((2,), rank + 1, dtype=dtype)
    dist.reduce(t, dst=0, op=dist.ReduceOp.PRODUCT)
    expected = 1
    for r in range(size):
        expected *= r + 1
    assert t.tolist() == ([expected] * 2 if rank == 0 else [rank + 1] * 2)
    parts = [torch.zeros(2, dtype=dtype) for _ in range(size)]
    dist.all_gather(parts, torch.full((2,), rank, dtype=dtype))
    assert [p.tolist() for p in parts] == [[r, r] for r in range(size)]
    out = torch.zeros(size * 2, dtype=dtype)
    dist.all_gather_into_tensor(out, torch.full((2,), rank, dtype=dtype))
    assert out.tolist() == [r for r in range(size) for _ in range(2)]
    out = torch.zeros(2, dtype=dtype)
    dist.reduce_scatter_tensor(out, torch.arange(2 * size, dtype=dtype) * (rank + 1))
    assert out.tolist() == [(2 * rank + i) * size * (size + 1) // 2 for i in range(2)]
t = torch.ones(4) * (rank + 1)
work = dist.all_reduce(t, op=dist.ReduceOp.AVG, async_op=True)
work.wait()
assert t.tolist() == [(size + 1) / 2] * 4
if rank == 0:
    dist.send(torch.arange(3.0), dst=1)
elif rank == 1:
    got = torch.zeros(3)
    dist.recv(got, src=0)
    assert got.tolist() == [0.0, 1.0, 2.0]
objects = [{"a": rank}, "x"] if rank == 0 else [None, None]
dist.broadcast_object_list(objects, src=0)
assert objects == [{"a": 0}, "x"]
gathered = [None] * size
dist.all_gather_object(gathered, ("rank", rank))
assert gathered == [("rank", r) for r in range(size)]
try:
    dist.all_reduce(torch.zeros(rank + 1))
    raise AssertionError("mismatched shapes were accepted")
except RuntimeError as error:
    assert "different shapes" in str(error)
try:
    dist.all_gather_into_tensor(torch.zeros(1), torch.zeros(2))
    raise AssertionError("wrong output size accepted")
except ValueError:
    pass
try:
    dist.all_gather_into_tensor(torch.zeros(2 * size, dtype=torch.int64), torch.zeros(2))
    raise AssertionError("wrong dtype accepted")
except RuntimeError:
    pass
dist.barrier()
dist.destroy_process_group()
print(f"rank {rank} ok")
