"""nn.utils: gradient clipping and parameter/vector conversion against torch."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
import minitorch.nn as nn
from conftest import randn


def _with_grads(lib):
    params = [lib.nn.Parameter(lib.tensor(randn(3, 4, seed=1))), lib.nn.Parameter(lib.tensor(randn(5, seed=2)))]
    for p, s in zip(params, (3, 4)):
        p.grad = lib.tensor(randn(*p.shape, seed=s) * 3)
    return params


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf")])
@pytest.mark.parametrize("max_norm", [0.5, 1e3])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    ours, theirs = _with_grads(minitorch), _with_grads(torch)
    n1 = nn.utils.clip_grad_norm_(ours, max_norm, norm_type)
    n2 = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    np.testing.assert_allclose(n1.numpy(), n2.numpy(), rtol=1e-5)
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-5, atol=1e-7)


def test_clip_grad_norm_single_tensor_nonfinite_and_empty():
    p = nn.Parameter(minitorch.ones(2))
    p.grad = minitorch.tensor([3.0, 4.0])
    assert float(nn.utils.clip_grad_norm_(p, 1.0)) == pytest.approx(5.0)
    np.testing.assert_allclose(p.grad.numpy(), [0.6, 0.8], rtol=1e-5)
    p.grad = minitorch.tensor([float("inf"), 1.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    assert float(nn.utils.clip_grad_norm_([nn.Parameter(minitorch.ones(2))], 1.0)) == 0.0


def test_clip_grad_value_matches_torch():
    ours, theirs = _with_grads(minitorch), _with_grads(torch)
    assert nn.utils.clip_grad_value_(ours, 1.5) is None
    torch.nn.utils.clip_grad_value_(theirs, 1.5)
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy())


def test_parameters_to_vector_and_back():
    ours = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 1))
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Linear(2, 1))
    ours.load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    v1 = nn.utils.parameters_to_vector(ours.parameters())
    v2 = torch.nn.utils.parameters_to_vector(theirs.parameters())
    np.testing.assert_allclose(v1.detach().numpy(), v2.detach().numpy())
    weights = randn(v1.shape[0], seed=4)
    (v1 * minitorch.tensor(weights)).sum().backward()
    (v2 * torch.tensor(weights)).sum().backward()
    for p, q in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy())
    new = randn(v1.shape[0], seed=5)
    nn.utils.vector_to_parameters(minitorch.tensor(new), ours.parameters())
    torch.nn.utils.vector_to_parameters(torch.tensor(new), theirs.parameters())
    for p, q in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy())
    with pytest.raises(TypeError, match="expected torch.Tensor, but got: list"):
        nn.utils.vector_to_parameters([1.0], ours.parameters())
