"""ReLU kernels against torch.relu and its backward, edge values included."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from minitorch.kernels import relu_backward, relu_forward

# -0.0 stays -0.0, nan stays nan and keeps its gradient; a dead position's inf or nan
# gradient becomes 0.
EDGES = [-0.0, 0.0, -1.0, np.nan, 2.0, -np.inf, np.inf, 1e-30]
GRADS = [np.inf, np.nan, 1.0, 2.0, 3.0, np.nan, -np.inf, 4.0]


def _torch_relu(x: np.ndarray, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    xt = torch.tensor(x, requires_grad=True)
    yt = torch.relu(xt)
    yt.backward(torch.tensor(grad))
    return yt.detach().numpy(), xt.grad.numpy()


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
@pytest.mark.parametrize("layout", ["contiguous", "transposed"])
def test_relu_matches_torch(dtype, layout):
    rng = np.random.default_rng(0)
    x = np.concatenate([np.array(EDGES), rng.standard_normal(40)]).astype(dtype).reshape(6, 8)
    grad = np.concatenate([np.array(GRADS), rng.standard_normal(40)]).astype(dtype).reshape(6, 8)
    if layout == "transposed":
        x, grad = x.T, grad.T
    out = relu_forward(x)
    expected_out, expected_grad = _torch_relu(np.ascontiguousarray(x), np.ascontiguousarray(grad))
    np.testing.assert_array_equal(out, expected_out)
    np.testing.assert_array_equal(np.signbit(out), np.signbit(expected_out))
    assert out.dtype == dtype and out.shape == x.shape
    np.testing.assert_array_equal(relu_backward(grad, out), expected_grad)


@pytest.mark.parametrize("on_threads", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_of_a_large_array_matches_torch(dtype, on_threads, monkeypatch):
    """Several chunks of values, the last one cut short, on the calling thread alone or
    shared among threads (as from `_SHARED_FROM` values)."""
    from minitorch.kernels import activation
    monkeypatch.setattr(activation, "_SHARED_FROM", 0 if on_threads else 1 << 62)
    size = 5 * activation._MIN_CHUNK + 12345
    rng = np.random.default_rng(1)
    x = rng.standard_normal(size).astype(dtype)
    grad = rng.standard_normal(size).astype(dtype)
    x[:len(EDGES)], x[-len(EDGES):] = EDGES, EDGES
    grad[:len(GRADS)], grad[-len(GRADS):] = GRADS, GRADS
    out = relu_forward(x.reshape(-1, 1))
    expected_out, expected_grad = _torch_relu(x, grad)
    np.testing.assert_array_equal(out.reshape(-1), expected_out)
    np.testing.assert_array_equal(np.signbit(out.reshape(-1)), np.signbit(expected_out))
    np.testing.assert_array_equal(relu_backward(grad.reshape(-1, 1), out).reshape(-1), expected_grad)
