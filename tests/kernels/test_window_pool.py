"""window_max (adaptive and fractional max pooling's kernel) against torch's adaptive max
pooling, per-plane windows against a loop in numpy, and its bounds check."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from minitorch.kernels.window_pool import window_max


def _adaptive_bounds(size: int, out: int) -> tuple[np.ndarray, np.ndarray]:
    """torch's adaptive windows: [floor(i * size / out), ceil((i + 1) * size / out))."""
    i = np.arange(out)
    return (i * size) // out, -((-(i + 1) * size) // out)


@pytest.mark.usefixtures("twin")
@pytest.mark.parametrize("shape, out", [((6, 7, 7), (3, 3)), ((2, 5, 9), (4, 2)), ((3, 1, 1), (1, 1))])
def test_window_max_matches_torchs_adaptive_max_pool(shape, out):
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    x[0, 0, 0] = np.nan  # a NaN wins its windows, as in torch
    hs, he = _adaptive_bounds(shape[1], out[0])
    ws, we = _adaptive_bounds(shape[2], out[1])
    values, indices = window_max(x, hs[None], he[None], ws[None], we[None])
    expected, expected_at = torch.nn.functional.adaptive_max_pool2d(torch.tensor(x), out, return_indices=True)
    np.testing.assert_array_equal(values, expected.numpy())
    np.testing.assert_array_equal(indices, expected_at.numpy())


@pytest.mark.usefixtures("twin")
def test_window_max_takes_different_windows_per_plane():
    x = np.random.default_rng(1).standard_normal((2, 5, 6))
    h_start, h_end = np.array([[0, 2], [1, 3]]), np.array([[3, 5], [2, 5]])
    w_start, w_end = np.array([[0], [4]]), np.array([[6], [6]])
    values, indices = window_max(x, h_start, h_end, w_start, w_end)
    for p in range(2):
        for i in range(2):
            window = x[p, h_start[p, i]:h_end[p, i], w_start[p, 0]:w_end[p, 0]]
            h, w = np.unravel_index(np.argmax(window), window.shape)
            assert values[p, i, 0] == window.max()
            assert indices[p, i, 0] == (h_start[p, i] + h) * 6 + w_start[p, 0] + w


def test_window_max_refuses_bounds_outside_the_plane():
    x = np.zeros((1, 4, 4))
    with pytest.raises(IndexError, match=r"h_end must lie in \[0, 4\], got \[2, 5\]"):
        window_max(x, np.array([[0, 1]]), np.array([[2, 5]]), np.array([[0]]), np.array([[4]]))
