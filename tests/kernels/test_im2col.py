"""im2col / col2im against torch's unfold / fold, conv3d and autograd."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from minitorch.kernels import col2im, conv_output_size, im2col

DTYPES = [np.float32, np.float64]


def _rand(shape, dtype, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


# One case per line: input shape, kernel, stride, padding, dilation. Chosen to cover
# strides and dilations larger than one, different settings per dim, padding wider
# than the stride, kernels as large as the input and 1x1 kernels.
CASES_2D = [
    ((2, 3, 7, 8), (3, 3), (1, 1), (0, 0), (1, 1)),
    ((2, 3, 7, 8), (3, 3), (1, 1), (1, 1), (1, 1)),
    ((2, 3, 7, 8), (2, 3), (2, 1), (1, 2), (1, 1)),
    ((1, 2, 9, 6), (3, 2), (3, 2), (2, 1), (2, 1)),
    ((3, 1, 5, 5), (5, 5), (1, 1), (2, 2), (1, 1)),
    ((3, 1, 5, 5), (5, 5), (1, 1), (0, 0), (1, 1)),
    ((2, 4, 6, 6), (1, 1), (2, 2), (0, 0), (1, 1)),
    ((2, 2, 10, 9), (3, 3), (2, 3), (1, 0), (2, 3)),
    ((1, 3, 8, 8), (2, 2), (2, 2), (0, 0), (1, 1)),
    ((11, 2, 5, 6), (3, 3), (1, 1), (1, 1), (1, 1)),
    ((2, 3, 12, 13), (3, 3), (1, 1), (1, 1), (1, 1)),
    # The small planes of a ResNet's last stages: all but the centre tap read padding.
    ((3, 4, 1, 1), (3, 3), (1, 1), (1, 1), (1, 1)),
    ((3, 4, 2, 2), (3, 3), (2, 2), (1, 1), (1, 1)),
    ((2, 3, 2, 2), (3, 3), (1, 1), (1, 1), (1, 1)),
    ((2, 2, 3, 3), (2, 2), (1, 1), (1, 1), (2, 2)),
]
GRID_2D = [case + (dtype,) for case, dtype in itertools.product(CASES_2D, DTYPES)]


@pytest.mark.usefixtures("twin", "im2col_path")
@pytest.mark.parametrize("shape,kernel,stride,padding,dilation,dtype", GRID_2D)
def test_im2col_2d_matches_unfold(shape, kernel, stride, padding, dilation, dtype):
    x = _rand(shape, dtype)
    expected = F.unfold(torch.from_numpy(x), kernel, dilation, padding, stride).numpy()
    cols = im2col(x, kernel, stride, padding, dilation)
    assert cols.dtype == dtype
    np.testing.assert_array_equal(cols, expected)  # a pure copy: bit-exact


@pytest.mark.usefixtures("twin", "im2col_path")
@pytest.mark.parametrize("shape,kernel,stride,padding,dilation,dtype", GRID_2D)
def test_col2im_2d_matches_fold_and_unfold_backward(shape, kernel, stride, padding, dilation, dtype):
    n, c, h, w = shape
    x = torch.from_numpy(_rand(shape, dtype)).requires_grad_()
    cols_t = F.unfold(x, kernel, dilation, padding, stride)
    grad_cols = _rand(tuple(cols_t.shape), dtype, seed=1)
    (expected,) = torch.autograd.grad(cols_t, x, torch.from_numpy(grad_cols))
    folded = F.fold(torch.from_numpy(grad_cols), (h, w), kernel, dilation, padding, stride)
    tol = dict(rtol=1e-5, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-12)

    got = col2im(grad_cols, shape, kernel, stride, padding, dilation)
    assert got.dtype == dtype and got.shape == shape
    np.testing.assert_allclose(got, expected.numpy(), **tol)
    np.testing.assert_allclose(got, folded.numpy(), **tol)


@pytest.mark.usefixtures("im2col_path")
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "shape,kernel,stride,padding,dilation",
    [((2, 3, 11), (3,), (1,), (0,), (1,)), ((2, 2, 12), (4,), (3,), (2,), (2,))],
)
def test_1d_matches_unfold_of_height_one_image(shape, kernel, stride, padding, dilation, dtype):
    x = _rand(shape, dtype)
    args = ((1,) + kernel, (1,) + dilation, (0,) + padding, (1,) + stride)
    x4 = torch.from_numpy(x)[:, :, None, :].requires_grad_()
    cols_t = F.unfold(x4, *args)
    np.testing.assert_array_equal(im2col(x, kernel, stride, padding, dilation), cols_t.detach().numpy())
    g = _rand(tuple(cols_t.shape), dtype, seed=2)
    (expected,) = torch.autograd.grad(cols_t, x4, torch.from_numpy(g))
    got = col2im(g, shape, kernel, stride, padding, dilation)
    np.testing.assert_allclose(got, expected.numpy()[:, :, 0, :], rtol=1e-5, atol=1e-5)


@pytest.mark.usefixtures("twin", "im2col_path")
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "shape,kernel,stride,padding,dilation",
    [
        ((2, 2, 5, 6, 7), (3, 3, 3), (1, 1, 1), (1, 1, 1), (1, 1, 1)),
        ((1, 3, 6, 5, 7), (2, 3, 2), (2, 1, 3), (1, 0, 1), (1, 2, 1)),
        ((3, 2, 2, 1, 2), (3, 3, 3), (1, 2, 1), (1, 1, 1), (1, 1, 1)),
    ],
)
def test_3d_conv_as_gemm_matches_conv3d(shape, kernel, stride, padding, dilation, dtype):
    """torch has no 3-d unfold, so check the GEMM formulation of conv3d instead."""
    n, c = shape[:2]
    out_channels = 4
    x = torch.from_numpy(_rand(shape, dtype)).requires_grad_()
    weight = torch.from_numpy(_rand((out_channels, c) + kernel, dtype, seed=3))
    y = F.conv3d(x, weight, None, stride, padding, dilation)
    grad_y = _rand(tuple(y.shape), dtype, seed=4)
    (grad_x,) = torch.autograd.grad(y, x, torch.from_numpy(grad_y))
    w2 = weight.numpy().reshape(out_channels, -1)
    tol = dict(rtol=1e-4, atol=1e-4) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-10)

    cols = im2col(x.detach().numpy(), kernel, stride, padding, dilation)
    np.testing.assert_allclose((w2 @ cols).reshape(y.shape), y.detach().numpy(), **tol)
    grad_cols = w2.T @ grad_y.reshape(n, out_channels, -1)
    got = col2im(grad_cols, shape, kernel, stride, padding, dilation)
    np.testing.assert_allclose(got, grad_x.numpy(), **tol)


@pytest.mark.usefixtures("im2col_path")
def test_col2im_is_the_adjoint_of_im2col():
    """<im2col(x), c> == <x, col2im(c)> for any x and c (the definition of adjoint)."""
    shape, kernel, stride, padding, dilation = (2, 3, 6, 7, 5), (2, 3, 2), (2, 1, 2), (1, 1, 0), (2, 1, 1)
    x = _rand(shape, np.float64)
    cols = im2col(x, kernel, stride, padding, dilation)
    c = _rand(cols.shape, np.float64, seed=5)
    lhs = np.vdot(cols, c)
    rhs = np.vdot(x, col2im(c, shape, kernel, stride, padding, dilation))
    assert abs(lhs - rhs) < 1e-10 * max(1.0, abs(lhs))


@pytest.mark.usefixtures("twin", "im2col_path")
@pytest.mark.parametrize("shape,kernel,stride,padding,dilation", [
    ((3, 2, 9), (3,), (2,), (1,), (1,)),
    ((3, 2, 6, 7), (3, 2), (1, 2), (1, 0), (1, 2)),
    ((2, 3, 5, 6, 4), (2, 3, 2), (2, 1, 1), (1, 1, 0), (1, 1, 2)),
])
def test_channel_major_columns_are_the_batch_major_ones_regrouped(shape, kernel, stride, padding, dilation):
    """batch_first=False: (C*K, N*L) holds the same rows as (N, C*K, L), images side by side;
    col2im of either layout gives the same input gradient."""
    x = _rand(shape, np.float32)
    by_image = im2col(x, kernel, stride, padding, dilation)
    n, c_k, length = by_image.shape
    by_channel = im2col(x, kernel, stride, padding, dilation, batch_first=False)
    assert by_channel.shape == (c_k, n * length)
    np.testing.assert_array_equal(by_channel.reshape(c_k, n, length), by_image.transpose(1, 0, 2))
    expected = col2im(by_image, shape, kernel, stride, padding, dilation)
    got = col2im(by_channel, shape, kernel, stride, padding, dilation, batch_first=False)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)


def test_out_buffers_are_written_and_returned():
    x = _rand((2, 3, 6, 6), np.float32)
    args = ((3, 3), (1, 1), (1, 1), (1, 1))
    buffer = np.full((2, 27, 36), np.nan, dtype=np.float32)
    assert im2col(x, *args, out=buffer) is buffer
    np.testing.assert_array_equal(buffer, F.unfold(torch.from_numpy(x), 3, padding=1).numpy())
    image = np.full(x.shape, np.nan, dtype=np.float32)
    assert col2im(buffer, x.shape, *args, out=image) is image
    np.testing.assert_allclose(
        image, F.fold(torch.from_numpy(buffer), (6, 6), 3, padding=1).numpy(), rtol=1e-6, atol=1e-6
    )


def test_bad_arguments_raise_with_shapes_in_the_message():
    x = _rand((2, 3, 6, 6), np.float32)
    args = ((3, 3), (1, 1), (0, 0), (1, 1))
    with pytest.raises(ValueError, match=r"\(2, 27, 16\)"):
        im2col(x, *args, out=np.empty((2, 27, 15), np.float32))
    with pytest.raises(ValueError, match="float32"):
        im2col(x, *args, out=np.empty((2, 27, 16), np.float64))
    with pytest.raises(ValueError, match=r"\(2, 27, 16\).*\(2, 27, 15\)"):
        col2im(np.empty((2, 27, 15), np.float32), x.shape, *args)


def test_conv_output_size_matches_torch():
    for size, k, s, p, d in itertools.product([5, 8], [1, 3], [1, 2], [0, 1], [1, 2]):
        if size + 2 * p < d * (k - 1) + 1:
            continue
        expected = F.unfold(torch.zeros(1, 1, 1, size), (1, k), (1, d), (0, p), (1, s)).shape[-1]
        assert conv_output_size(size, k, s, p, d) == expected
