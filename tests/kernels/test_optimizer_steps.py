"""The compiled Adam and SGD-momentum steps: bit for bit the optimizers' own numpy route (the
same operations in the same order and dtype), over several blocks and with both twins;
and against torch's optimizers."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import minitorch
from minitorch.kernels import optimizer_steps


def _three_steps(make, dtype, compiled, monkeypatch):
    """A 40000-value parameter (several kernel blocks) after three steps of `make([param])`, and
    the optimizer's state arrays; compiled=False forces the numpy route. The first three
    gradient entries are 0, so with eps = 0 Adam divides 0 by 0 there."""
    rng = np.random.default_rng(0)
    param = minitorch.tensor(rng.standard_normal(40_000).astype(dtype), requires_grad=True)
    grads = [rng.standard_normal(40_000).astype(dtype) for _ in range(3)]
    with monkeypatch.context() as patch:
        if not compiled:
            patch.setattr(optimizer_steps, "takes", lambda *arrays: False)
        opt = make([param])
        with np.errstate(all="ignore"):
            for g in grads:
                g[:3] = 0
                param.grad = minitorch.tensor(g)
                opt.step()
    return [param.detach().numpy()] + [v.numpy() for k, v in opt.state[param].items() if k != "step"]


OPTIMIZERS = [
    lambda p: minitorch.optim.Adam(p, lr=0.01),
    lambda p: minitorch.optim.Adam(p, lr=0.01, amsgrad=True, weight_decay=0.1),
    lambda p: minitorch.optim.Adam(p, lr=0.01, eps=0.0, maximize=True),
    lambda p: minitorch.optim.AdamW(p, lr=0.01, weight_decay=0.1, amsgrad=True),
    lambda p: minitorch.optim.SGD(p, lr=0.01, momentum=0.9),
    lambda p: minitorch.optim.SGD(p, lr=0.01, momentum=0.9, dampening=0.3, weight_decay=0.1),
    lambda p: minitorch.optim.SGD(p, lr=0.01, momentum=0.9, nesterov=True, maximize=True),
]


@pytest.mark.usefixtures("twin")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("make", OPTIMIZERS)
def test_compiled_step_gives_the_numpy_routes_bits(make, dtype, monkeypatch):
    compiled, numpy_route = (_three_steps(make, dtype, c, monkeypatch) for c in (True, False))
    assert len(compiled) == len(numpy_route) > 1
    for got, want in zip(compiled, numpy_route):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_steps_follow_torchs_trajectory(amsgrad):
    """Five steps with changing gradients, float32, against torch.optim.Adam (single-tensor):
    within a float32 ulp or two (torch's own kernels round a few products differently)."""
    rng = np.random.default_rng(3)
    start = rng.standard_normal((33, 17)).astype(np.float32)
    grads = [rng.standard_normal((33, 17)).astype(np.float32) for _ in range(5)]
    p = torch.tensor(start.copy(), requires_grad=True)
    opt = torch.optim.Adam([p], lr=0.01, amsgrad=amsgrad, foreach=False)
    param, m, v, v_max = start.copy(), np.zeros_like(start), np.zeros_like(start), np.zeros_like(start)
    for step, g in enumerate(grads, start=1):
        p.grad = torch.tensor(g)
        opt.step()
        optimizer_steps.adam_step(param, g, m, v, v_max if amsgrad else None, 0.9, 0.999, 1e-8,
                                  0.01 / (1 - 0.9 ** step), math.sqrt(1 - 0.999 ** step))
    np.testing.assert_allclose(param, p.detach().numpy(), rtol=3e-7, atol=1e-7)


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_momentum_steps_follow_torchs_trajectory(nesterov):
    rng = np.random.default_rng(4)
    start = rng.standard_normal((21, 5)).astype(np.float32)
    grads = [rng.standard_normal((21, 5)).astype(np.float32) for _ in range(4)]
    p = torch.tensor(start.copy(), requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.05, momentum=0.8, nesterov=nesterov, foreach=False)
    param, buf = start.copy(), np.zeros_like(start)
    for step, g in enumerate(grads):
        p.grad = torch.tensor(g)
        opt.step()
        optimizer_steps.sgd_momentum_step(param, g, buf, step == 0, 0.8, 0.0, nesterov, 0.05)
    np.testing.assert_allclose(param, p.detach().numpy(), rtol=3e-7, atol=1e-7)


def test_steps_refuse_arrays_of_other_shapes():
    a = np.zeros(6, np.float32)
    with pytest.raises(ValueError, match=r"adam_step: every array must have the parameter's shape \(6,\)"):
        optimizer_steps.adam_step(a, a[:5], a.copy(), a.copy(), None, 0.9, 0.999, 1e-8, 1e-3, 1.0)
    with pytest.raises(ValueError, match=r"sgd_momentum_step: every array must have the parameter's shape"):
        optimizer_steps.sgd_momentum_step(a, a.copy(), a[:5], True, 0.9, 0.0, False, 0.1)


def test_takes_only_contiguous_arrays_of_one_float_dtype():
    a = np.zeros((4, 3), np.float32)
    assert optimizer_steps.takes(a, a.copy())
    assert not optimizer_steps.takes(a, a.T.copy().T)          # a transposed layout
    assert not optimizer_steps.takes(a, a.astype(np.float64))  # mixed dtypes
    assert not optimizer_steps.takes(a.astype(np.float16), a.astype(np.float16))
