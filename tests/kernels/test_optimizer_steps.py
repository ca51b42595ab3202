"""The compiled Adam step against numpy's formula (bit for bit: the same operations in the
same order and dtype) and against torch's Adam, amsgrad and eps = 0 included."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from minitorch.kernels import optimizer_steps


def _numpy_adam(param, grad, m, v, v_max, beta1, beta2, eps, step_size, bc2_sqrt):
    """optim/adam.py's numpy route, which the kernel must reproduce exactly."""
    m += (1 - beta1) * (grad - m)
    v *= beta2
    v += (1 - beta2) * grad * grad
    if v_max is not None:
        np.maximum(v_max, v, out=v_max)
        v = v_max
    param -= step_size * m / (np.sqrt(v) / bc2_sqrt + eps)


def _state(size, dtype, seed=0):
    rng = np.random.default_rng(seed)
    param, grad = rng.standard_normal(size).astype(dtype), rng.standard_normal(size).astype(dtype)
    m, v = (rng.standard_normal(size) * 0.1).astype(dtype), np.abs(rng.standard_normal(size) * 0.01).astype(dtype)
    grad[:3] = 0  # with eps = 0 and v = 0 below: 0 / 0
    v[:3] = 0
    m[:3] = 0
    return param, grad, m, v, (v * 2).astype(dtype)


@pytest.mark.usefixtures("twin")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("size, eps", [(7, 1e-8), (40_000, 1e-8), (5, 0.0)])  # 40000: several blocks
def test_adam_step_gives_numpys_bits(dtype, amsgrad, size, eps):
    ours, expected = _state(size, dtype), _state(size, dtype)
    hyper = dict(beta1=0.9, beta2=0.999, eps=eps, step_size=1e-3 / (1 - 0.9 ** 3),
                 bc2_sqrt=math.sqrt(1 - 0.999 ** 3))
    param, grad, m, v, v_max = ours
    optimizer_steps.adam_step(param, grad, m, v, v_max if amsgrad else None, hyper["beta1"], hyper["beta2"],
                              hyper["eps"], hyper["step_size"], hyper["bc2_sqrt"])
    e_param, e_grad, e_m, e_v, e_vmax = expected
    with np.errstate(all="ignore"):
        _numpy_adam(e_param, e_grad, e_m, e_v, e_vmax if amsgrad else None, **hyper)
    for got, want in ((param, e_param), (m, e_m), (v, e_v), (v_max, e_vmax)):
        np.testing.assert_array_equal(got, want)
    assert np.isnan(param[:3]).all() == (eps == 0)


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


def test_adam_step_refuses_arrays_of_other_shapes():
    param, grad, m, v, _ = _state(6, np.float32)
    with pytest.raises(ValueError, match=r"parameter's shape \(6,\)"):
        optimizer_steps.adam_step(param, grad[:5], m, v, None, 0.9, 0.999, 1e-8, 1e-3, 1.0)


def test_takes_only_contiguous_arrays_of_one_float_dtype():
    a = np.zeros((4, 3), np.float32)
    assert optimizer_steps.takes(a, a.copy())
    assert not optimizer_steps.takes(a, a.T.copy().T)          # a transposed layout
    assert not optimizer_steps.takes(a, a.astype(np.float64))  # mixed dtypes
    assert not optimizer_steps.takes(a.astype(np.float16), a.astype(np.float16))


def _numpy_sgd(param, d, buf, first, momentum, dampening, nesterov, lr):
    """optim/sgd.py's numpy route with momentum, which the kernel must reproduce exactly."""
    if first:
        buf[...] = d
    else:
        buf *= momentum
        buf += (1 - dampening) * d
    param -= lr * (d + momentum * buf if nesterov else buf)


@pytest.mark.usefixtures("twin")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("first", [True, False])
@pytest.mark.parametrize("dampening, nesterov", [(0.0, False), (0.3, False), (0.0, True)])
def test_sgd_momentum_step_gives_numpys_bits(dtype, first, dampening, nesterov):
    ours, expected = _state(40_000, dtype, seed=1), _state(40_000, dtype, seed=1)
    param, d, buf = ours[0], ours[1], ours[2]
    optimizer_steps.sgd_momentum_step(param, d, buf, first, 0.9, dampening, nesterov, 0.01)
    _numpy_sgd(expected[0], expected[1], expected[2], first, 0.9, dampening, nesterov, 0.01)
    np.testing.assert_array_equal(param, expected[0])
    np.testing.assert_array_equal(buf, expected[2])


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
