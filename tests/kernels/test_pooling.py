"""Pooling kernels against torch's max_pool / avg_pool and their autograd backward."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from minitorch.kernels import (
    avg_pool_backward,
    avg_pool_forward,
    max_pool_backward,
    max_pool_forward,
    pool_output_size,
)

DTYPES = [np.float32, np.float64]


def _rand(shape, dtype, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def _tol(dtype):
    return dict(rtol=1e-5, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-12)


def _valid(size, kernel, stride, padding, dilation, ceil_mode):
    """torch's argument rules: padding at most half the kernel, a non-empty output."""
    return all(2 * p <= k for p, k in zip(padding, kernel)) and all(
        pool_output_size(*a, ceil_mode) > 0 for a in zip(size, kernel, stride, padding, dilation)
    )


# Sizes chosen so ceil_mode adds a partial window on some settings and not others.
SHAPES_2D = [(2, 3, 9, 10), (1, 2, 7, 7)]
MAX_SETTINGS = [
    # kernel, stride, padding, dilation
    ((2, 2), (2, 2), (0, 0), (1, 1)),
    ((3, 3), (2, 2), (1, 1), (1, 1)),
    ((3, 2), (2, 1), (1, 1), (2, 1)),
    ((2, 3), (3, 2), (1, 0), (1, 2)),
    ((3, 3), (1, 1), (0, 1), (1, 1)),
    ((4, 4), (3, 3), (2, 2), (1, 1)),
]
MAX_GRID = [
    (shape, *setting, ceil, dtype)
    for shape, setting, ceil, dtype in itertools.product(SHAPES_2D, MAX_SETTINGS, [False, True], DTYPES)
    if _valid(shape[2:], *setting, ceil)
]


def _check_max_pool(x, kernel, stride, padding, dilation, ceil_mode):
    """Values, indices and gradient of our max pool vs torch's, on numpy input x."""
    dtype = x.dtype.type
    pool = F.max_pool1d if len(kernel) == 1 else F.max_pool2d
    xt = torch.from_numpy(x).requires_grad_()
    y, idx = pool(xt, kernel, stride, padding, dilation, ceil_mode, return_indices=True)
    grad_y = _rand(tuple(y.shape), dtype, seed=1)
    (grad_x,) = torch.autograd.grad(y, xt, torch.from_numpy(grad_y))

    values, indices = max_pool_forward(x, kernel, stride, padding, dilation, ceil_mode)
    assert values.dtype == dtype and indices.dtype == np.int64
    np.testing.assert_array_equal(values, y.detach().numpy())  # a max is exact
    np.testing.assert_array_equal(indices, idx.numpy())
    got = max_pool_backward(grad_y, indices, x.shape, len(kernel))
    assert got.dtype == dtype and got.shape == x.shape
    np.testing.assert_allclose(got, grad_x.numpy(), **_tol(dtype))


@pytest.mark.usefixtures("twin")
@pytest.mark.parametrize("shape,kernel,stride,padding,dilation,ceil_mode,dtype", MAX_GRID)
def test_max_pool_2d_matches_torch(shape, kernel, stride, padding, dilation, ceil_mode, dtype):
    _check_max_pool(_rand(shape, dtype), kernel, stride, padding, dilation, ceil_mode)


@pytest.mark.usefixtures("twin")
@pytest.mark.parametrize("ceil_mode", [False, True])
@pytest.mark.parametrize("window", [((3, 3), (2, 1), (1, 1)), ((2, 2), (2, 2), (0, 0))])
def test_max_pool_ties_pick_the_first_maximum_like_torch(ceil_mode, window):
    # Few distinct values: most windows hold several equal maxima, and overlapping
    # windows (stride < kernel) send several gradients to the same input. The 2x2
    # stride-2 windows take their own kernel (and, on the odd width with ceil_mode,
    # the general one).
    x = np.random.default_rng(3).integers(0, 3, (2, 2, 8, 9)).astype(np.float32)
    _check_max_pool(x, *window, (1, 1), ceil_mode)


@pytest.mark.parametrize("window", [((2, 2), (2, 2), (0, 0)), ((3, 3), (2, 2), (1, 1))])
def test_max_pool_without_indices_gives_the_same_values(window):
    x = _rand((2, 3, 9, 10), np.float32)
    x[0, 0, 1, 1] = np.nan
    values, indices = max_pool_forward(x, *window, (1, 1), False, with_indices=False)
    assert indices is None
    np.testing.assert_array_equal(values, max_pool_forward(x, *window, (1, 1), False)[0])


@pytest.mark.usefixtures("twin")
def test_max_pool_nan_and_infinities_like_torch():
    x = _rand((2, 2, 8, 8), np.float64)
    x[0, 0, 1, 1] = np.nan  # one NaN in a window
    x[0, 1, 2:4, 2:4] = np.nan  # a window of NaNs: torch reports the last one
    x[1, 0, 4:6, 4:6] = -np.inf  # a window of -inf: torch reports its first position
    x[1, 1, 0, 0] = np.inf
    _check_max_pool(x, (2, 2), (2, 2), (0, 0), (1, 1), False)
    _check_max_pool(x, (3, 3), (1, 1), (1, 1), (1, 1), True)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "kernel,stride,padding,dilation,ceil_mode",
    [((2,), (2,), (0,), (1,), False), ((3,), (2,), (1,), (2,), True), ((4,), (3,), (2,), (1,), True)],
)
def test_max_pool_1d_matches_torch(kernel, stride, padding, dilation, ceil_mode, dtype):
    _check_max_pool(_rand((2, 3, 13), dtype), kernel, stride, padding, dilation, ceil_mode)


def test_max_pool_unbatched_input():
    _check_max_pool(_rand((3, 9, 8), np.float32), (2, 2), (2, 2), (1, 0), (1, 1), True)


AVG_SETTINGS = [
    # kernel, stride, padding
    ((2, 2), (2, 2), (0, 0)),
    ((3, 3), (2, 2), (1, 1)),
    ((3, 2), (2, 1), (1, 1)),
    ((2, 3), (3, 2), (1, 0)),
    ((4, 4), (3, 3), (2, 2)),
]
AVG_GRID = [
    (shape, *setting, ceil, include_pad, divisor, dtype)
    for shape, setting, ceil, include_pad, divisor, dtype in itertools.product(
        SHAPES_2D, AVG_SETTINGS, [False, True], [True, False], [None, 3], DTYPES
    )
    if _valid(shape[2:], *setting, (1, 1), ceil)
]


def _check_avg_pool(x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override):
    dtype = x.dtype.type
    xt = torch.from_numpy(x).requires_grad_()
    if len(kernel) == 1:
        assert divisor_override is None  # torch's avg_pool1d has no divisor_override
        y = F.avg_pool1d(xt, kernel, stride, padding, ceil_mode, count_include_pad)
    else:
        y = F.avg_pool2d(xt, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)
    grad_y = _rand(tuple(y.shape), dtype, seed=1)
    (grad_x,) = torch.autograd.grad(y, xt, torch.from_numpy(grad_y))

    out = avg_pool_forward(x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)
    assert out.dtype == dtype and out.shape == tuple(y.shape)
    np.testing.assert_allclose(out, y.detach().numpy(), **_tol(dtype))
    got = avg_pool_backward(grad_y, x.shape, kernel, stride, padding, count_include_pad, divisor_override)
    assert got.dtype == dtype and got.shape == x.shape
    np.testing.assert_allclose(got, grad_x.numpy(), **_tol(dtype))


@pytest.mark.usefixtures("twin")
@pytest.mark.parametrize(
    "shape,kernel,stride,padding,ceil_mode,count_include_pad,divisor_override,dtype", AVG_GRID
)
def test_avg_pool_2d_matches_torch(
    shape, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override, dtype
):
    x = _rand(shape, dtype)
    _check_avg_pool(x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)


@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize(
    "kernel,stride,padding,ceil_mode",
    [((2,), (2,), (0,), False), ((3,), (2,), (1,), True), ((4,), (3,), (2,), True)],
)
def test_avg_pool_1d_matches_torch(kernel, stride, padding, ceil_mode, count_include_pad):
    x = _rand((2, 3, 13), np.float32)
    _check_avg_pool(x, kernel, stride, padding, ceil_mode, count_include_pad, None)


def test_pool_output_size_follows_torch_ceil_mode_rule():
    # size 5, kernel 2, stride 2, padding 1: ceil would give 4 windows, but the 4th
    # would start in the right padding, so torch keeps 3.
    assert pool_output_size(5, 2, 2, 1, 1, ceil_mode=True) == 3
    assert F.max_pool1d(torch.zeros(1, 1, 5), 2, 2, 1, ceil_mode=True).shape[-1] == 3
    for size, k, s, p, d, ceil in itertools.product(range(3, 9), [2, 3], [1, 2, 3], [0, 1], [1, 2], [False, True]):
        if not _valid((size,), (k,), (s,), (p,), (d,), ceil):
            continue
        expected = F.max_pool1d(torch.zeros(1, 1, size), k, s, p, d, ceil).shape[-1]
        assert pool_output_size(size, k, s, p, d, ceil) == expected, (size, k, s, p, d, ceil)


def test_max_pool_window_wholly_in_padding_has_no_gradient_like_torch():
    # kernel 2, dilation 2, padding 1, ceil_mode on a 1x6 row: the last windows touch only
    # padding, so their index points past the input; backward must skip it, not write there.
    x = np.arange(6.0).reshape(1, 1, 1, 6)
    args = dict(kernel_size=(2, 2), stride=(2, 2), padding=(1, 1), dilation=(2, 2), ceil_mode=True)
    out, indices = max_pool_forward(x, **args)
    expected_out, expected_indices = F.max_pool2d(torch.from_numpy(x), 2, 2, 1, 2, ceil_mode=True,
                                                  return_indices=True)
    np.testing.assert_array_equal(out, expected_out.numpy())
    np.testing.assert_array_equal(indices, expected_indices.numpy())
    grad = max_pool_backward(np.ones_like(out), indices, x.shape, 2)
    np.testing.assert_array_equal(grad, np.zeros_like(x))
