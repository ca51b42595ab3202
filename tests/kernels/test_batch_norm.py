"""Batch-norm kernels against float64 numpy and torch: moments, normalize and backward on
odd (A, K, B) views (partial vector lanes), a large mean (the vectorised sums' accuracy),
and nan/inf staying in their own channel; each with the serial and the parallel twin."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from minitorch.kernels import batch_norm as bn


def _view(shape, dtype, offset=0.0, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(shape) * 2 + offset).astype(dtype)


@pytest.mark.usefixtures("twin")
@pytest.mark.parametrize("shape", [(1, 1, 1), (3, 5, 37), (2, 3, 8), (7, 4, 130)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("offset", [0.0, 1000.0])
def test_moments_match_float64_numpy(shape, dtype, offset):
    x = _view(shape, dtype, offset)
    mean, var = bn.moments(x)
    ref = x.astype(np.float64)
    np.testing.assert_allclose(mean, ref.mean(axis=(0, 2)), rtol=1e-13, atol=1e-12)
    np.testing.assert_allclose(var, ref.var(axis=(0, 2)), rtol=1e-9, atol=1e-12)


@pytest.mark.usefixtures("twin")
@pytest.mark.parametrize("batch_stats", [True, False])
@pytest.mark.parametrize("shape", [(3, 5, 37), (4, 2, 9)])
def test_backward_matches_the_closed_form_in_float64(batch_stats, shape):
    x, g = _view(shape, np.float64), _view(shape, np.float64, seed=1)
    mean, var = bn.moments(x) if batch_stats else (np.arange(shape[1]) * 0.1, np.arange(shape[1]) + 0.5)
    invstd, scale = 1 / np.sqrt(var + 1e-5), np.linspace(0.5, 2, shape[1])
    gx, sum_g, sum_gxhat = bn.backward(x, g, mean, invstd, scale, batch_stats)
    per_k = lambda a: a[None, :, None]  # noqa: E731
    xhat = (x - per_k(mean)) * per_k(invstd)
    np.testing.assert_allclose(sum_g, g.sum(axis=(0, 2)), rtol=1e-12)
    np.testing.assert_allclose(sum_gxhat, (g * xhat).sum(axis=(0, 2)), rtol=1e-10, atol=1e-12)
    if batch_stats:
        expected = (g - g.mean(axis=(0, 2), keepdims=True)
                    - xhat * (g * xhat).mean(axis=(0, 2), keepdims=True)) * per_k(scale * invstd)
    else:
        expected = g * per_k(scale * invstd)
    np.testing.assert_allclose(gx, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.usefixtures("twin")
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_nan_or_inf_stays_in_its_channel_like_torch(bad):
    x = _view((4, 3, 19), np.float32)
    x[2, 1, 5] = bad
    mean, var = bn.moments(x)
    y = bn.normalize(x, mean, 1 / np.sqrt(var + 1e-5), np.ones(3), np.zeros(3))
    expected = torch.nn.functional.batch_norm(torch.tensor(x), None, None, training=True).numpy()
    np.testing.assert_array_equal(np.isnan(y), np.isnan(expected))
    np.testing.assert_allclose(y[:, [0, 2]], expected[:, [0, 2]], rtol=1e-5, atol=1e-5)
    assert np.isnan(mean[1]) == np.isnan(bad) and np.isfinite(mean[[0, 2]]).all()


@pytest.mark.usefixtures("twin")
@pytest.mark.parametrize("shape", [(5, 7, 1), (3, 4, 31), (3, 4, 32), (1, 6, 3), (2, 3, 70)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_normalize_is_x_times_alpha_plus_beta_rounded_like_torch(shape, dtype):
    """Short planes (whole rows) and long ones (plane by plane) give the same bits: alpha = invstd * scale
    and beta = shift - mean * alpha in x's dtype, then x * alpha + beta, as torch's eval kernel."""
    x = _view(shape, dtype)
    mean, invstd = np.linspace(-1, 1, shape[1]), np.linspace(0.5, 3, shape[1])
    scale, shift = np.linspace(2, -1, shape[1]), np.linspace(0.1, 0.7, shape[1])
    alpha = invstd.astype(dtype) * scale.astype(dtype)
    beta = shift.astype(dtype) - mean.astype(dtype) * alpha
    y = bn.normalize(x, mean, invstd, scale, shift)
    assert y.dtype == dtype
    np.testing.assert_array_equal(y, x * alpha[None, :, None] + beta[None, :, None])
    if dtype is np.float32:
        xt = torch.tensor(x.reshape(shape[0], shape[1], -1, 1))
        expected = torch.nn.functional.batch_norm(xt, torch.tensor(mean, dtype=torch.float32),
                                                  torch.tensor((1 / invstd ** 2) - 1e-5, dtype=torch.float32),
                                                  torch.tensor(scale, dtype=torch.float32),
                                                  torch.tensor(shift, dtype=torch.float32)).numpy()
        np.testing.assert_allclose(y, expected.reshape(shape), rtol=1e-5, atol=1e-5)


def test_kernels_refuse_per_channel_arrays_of_another_length():
    x = _view((2, 3, 4), np.float32)
    with pytest.raises(ValueError, match=r"scale must have shape \(3,\), got \(2,\)"):
        bn.normalize(x, np.zeros(3), np.ones(3), np.ones(2), np.zeros(3))
    with pytest.raises(ValueError, match=r"g must have x's shape \(2, 3, 4\)"):
        bn.backward(x, x[:, :2], np.zeros(3), np.ones(3), np.ones(3), True)


def test_fixed_statistics_backward_ignores_an_inf_input_like_torch():
    """Eval mode: gx = g * invstd * scale does not read x, so an inf in x leaves it finite."""
    x, g = _view((3, 2, 11), np.float32), _view((3, 2, 11), np.float32, seed=1)
    x[1, 0, 4] = np.inf
    mean, var, weight = np.array([0.5, -1.0]), np.array([2.0, 0.25]), np.array([1.5, -0.5])
    gx, _, _ = bn.backward(x, g, mean, 1 / np.sqrt(var + 1e-5), weight, batch_stats=False)
    xt = torch.tensor(x, requires_grad=True)
    torch.nn.functional.batch_norm(xt, torch.tensor(mean, dtype=torch.float32), torch.tensor(var, dtype=torch.float32),
                                   torch.tensor(weight, dtype=torch.float32)).backward(torch.tensor(g))
    np.testing.assert_allclose(gx, xt.grad.numpy(), rtol=1e-6, atol=1e-7)
    assert gx.dtype == np.float32
