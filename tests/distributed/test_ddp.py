"""DistributedDataParallel on 2 ranks equals one process that accumulates the two half-batch gradients."""
import numpy as np
import pytest

import minitorch as torch
from minitorch import nn

from .conftest import HERE, requires_mpi, run_job


def reference(dtype, halves: bool):
    """One process, same model/data as ddp_job.py: 20 SGD steps, then the no_sync gradient."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.Flatten(), nn.Linear(3 * 4 * 4, 5)).to(dtype)
    torch.manual_seed(100)
    inputs, targets = torch.randn(20, 8, 1, 6, 6, dtype=dtype), torch.randint(0, 5, (20, 8))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for x, y in zip(inputs, targets):
        optimizer.zero_grad()
        if halves:
            for part in (slice(0, 4), slice(4, 8)):
                nn.functional.cross_entropy(model(x[part]), y[part]).backward()
            for p in model.parameters():
                p.grad /= 2
        else:
            nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    params = np.concatenate([p.detach().numpy().ravel() for p in model.parameters()])
    optimizer.zero_grad()
    for part in (slice(0, 4), slice(4, 8)):
        nn.functional.cross_entropy(model(inputs[0][part]), targets[0][part]).backward()
    return params, np.concatenate([p.grad.numpy().ravel() for p in model.parameters()])


@requires_mpi
@pytest.mark.parametrize("dtype_name,bucket_cap_mb", [("float32", 25), ("float64", 0.0005)])
def test_ddp_matches_one_process(tmp_path, dtype_name, bucket_cap_mb):
    out = tmp_path / "ddp.npz"
    result = run_job(2, str(HERE / "ddp_job.py"), dtype_name, str(bucket_cap_mb), str(out))
    assert result.returncode == 0, result.stderr
    job = np.load(out)
    dtype = getattr(torch, dtype_name)
    params, accumulated_grads = reference(dtype, halves=True)
    assert np.array_equal(job["params"][0], job["params"][1])       # replicas identical, bitwise
    assert np.array_equal(job["params"][0], params)                 # == averaged half-batch grads, bitwise
    assert np.array_equal(job["grads"][0], accumulated_grads)       # no_sync accumulated, then averaged
    assert np.array_equal(job["grads"][0], job["grads"][1])
    full_batch_params, _ = reference(dtype, halves=False)
    np.testing.assert_allclose(job["params"][0], full_batch_params, atol=1e-5)
