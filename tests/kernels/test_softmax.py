"""Softmax and log-softmax by slices of rows (kernels/softmax.py) against torch: values and
gradients, rows of inf, -inf and nan, one slice or many, on one thread or two."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from minitorch.kernels import softmax as kernels


def _torch(name: str, x: np.ndarray, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    xt = torch.tensor(x, requires_grad=True)
    yt = getattr(torch, name)(xt, -1)
    yt.backward(torch.tensor(grad))
    return yt.detach().numpy(), xt.grad.numpy()


def _rows(shape: tuple, dtype, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype) * 4


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(1, 1), (3, 7), (700, 485), (97, 4850), (40, 30000)])
def test_matches_torch(name, dtype, shape):
    # (97, 4850) and (40, 30000) are many slices (a slice is 1/4 MB of rows) and large enough
    # to be shared between threads; (40, 30000) has rows longer than a slice
    x, grad = _rows(shape, dtype), _rows(shape, dtype, seed=1)
    y = getattr(kernels, name)(x)
    dx = getattr(kernels, name + "_backward")(grad, y)
    y_torch, dx_torch = _torch(name, x, grad)
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(y, y_torch, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(dx, dx_torch, rtol=tolerance, atol=tolerance * 10)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_infinite_and_nan_rows_match_torch(name):
    x = np.array([[np.inf, 1.0, 2.0], [-np.inf, -np.inf, -np.inf], [-np.inf, 0.0, 1.0], [np.nan, 0.0, 1.0],
                  [np.inf, np.inf, 0.0], [1e30, -1e30, 0.0]], np.float32)
    grad = np.ones_like(x)
    y = getattr(kernels, name)(x)
    y_torch, dx_torch = _torch(name, x, grad)
    np.testing.assert_allclose(y, y_torch, rtol=1e-6)  # nan where torch has nan, -inf where it has -inf
    np.testing.assert_allclose(getattr(kernels, name + "_backward")(grad, y), dx_torch, rtol=1e-6)


def test_threads_give_the_same_bits_as_one(monkeypatch):
    x = _rows((300, 2000), np.float32)
    shared = kernels.log_softmax(x).copy()
    monkeypatch.setattr(kernels, "_SHARED_FROM", 1 << 40)
    np.testing.assert_array_equal(kernels.log_softmax(x), shared)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropy_rows_matches_torch_with_nan_and_infinities(dtype):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((7, 10)).astype(dtype) * 4
    x[1, 3] = np.nan          # a nan row: nan loss and probabilities
    x[2, 0] = np.inf          # +inf: nan, as torch's x - max gives
    x[3, :] = -np.inf         # every class -inf
    x[4, 5] = -np.inf         # one class impossible
    target = rng.integers(0, 10, 7)
    target[4] = 5             # ... and it is the target: an infinite loss
    probs, total = kernels.cross_entropy_rows(x, target)
    tx = torch.from_numpy(x)
    expected_losses = torch.nn.functional.cross_entropy(tx, torch.from_numpy(target), reduction="none").numpy()
    np.testing.assert_allclose(probs, torch.softmax(tx, 1).numpy(), rtol=1e-6, atol=1e-7)
    assert np.isnan(total) == np.isnan(expected_losses.sum())
    finite = [0, 5, 6]
    probs, total = kernels.cross_entropy_rows(x[finite], target[finite])
    np.testing.assert_allclose(total, expected_losses[finite].sum(), rtol=1e-5)
    assert total.dtype == dtype
    probs, total = kernels.cross_entropy_rows(x[[4]], target[[4]])
    assert total == expected_losses[4] == np.inf


@pytest.mark.parametrize("bad", [-1, 10, -100])
def test_cross_entropy_rows_leaves_targets_out_of_range_to_the_caller(bad):
    target = np.array([1, bad, 2])
    assert kernels.cross_entropy_rows(np.zeros((3, 10), np.float32), target) is None


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropy_rows_backward_is_the_scaled_softmax_minus_the_one_hot_bit_for_bit(dtype):
    rng = np.random.default_rng(6)
    x = rng.standard_normal((9, 10)).astype(dtype) * 3
    x[2, 4] = np.nan
    target = rng.integers(0, 10, 9)
    probs, _ = kernels.cross_entropy_rows(x, target)
    scale = dtype(1.7) / dtype(9)
    expected = probs.copy()
    expected[np.arange(9), target] -= dtype(1)
    expected = scale * expected
    got = kernels.cross_entropy_rows_backward(probs, target, scale)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, expected)  # nan where a row is nan, the same bits elsewhere
    tx = torch.tensor(x[[0, 1, 3]], requires_grad=True)
    torch.nn.functional.cross_entropy(tx, torch.from_numpy(target[[0, 1, 3]]), reduction="sum").backward()
    np.testing.assert_allclose(kernels.cross_entropy_rows_backward(probs[[0, 1, 3]], target[[0, 1, 3]], 1.0),
                               tx.grad.numpy(), rtol=1e-5, atol=1e-7)
