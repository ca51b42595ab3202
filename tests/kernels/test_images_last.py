"""kernels.images_last: conv columns with the images innermost, against im2col's and torch."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from minitorch.kernels import conv_gemm, images_last
from minitorch.kernels.conv_gemm import Geometry
from minitorch.kernels.im2col import col2im, im2col

# (x shape, weight shape, geometry): small output planes, strided, padded, dilated, grouped, 1-d to 3-d
GEOMETRIES = [
    ((9, 6, 14, 14), (16, 6, 5, 5), Geometry((5, 5), (1, 1), (0, 0), (1, 1), 1)),   # LeNet's second conv
    ((10, 16, 14, 14), (16, 16, 3, 3), Geometry((3, 3), (2, 2), (1, 1), (1, 1), 1)),  # stride 2, padding 1
    ((12, 16, 7, 7), (10, 16, 3, 3), Geometry((3, 3), (2, 2), (1, 1), (1, 1), 1)),    # 7x7 -> 4x4
    ((8, 8, 7, 7), (6, 4, 3, 3), Geometry((3, 3), (1, 1), (1, 1), (2, 2), 2)),        # dilated, 2 groups
    ((9, 3, 5, 6), (4, 3, 3, 3), Geometry((3, 3), (1, 2), (0, 1), (1, 1), 1)),        # mixed strides and padding
    ((11, 4, 9), (6, 4, 3), Geometry((3,), (2,), (2,), (1,), 1)),                      # 1-d
    ((8, 2, 4, 5, 5), (3, 2, 2, 3, 3), Geometry((2, 3, 3), (1, 1, 2), (1, 0, 1), (1, 1, 1), 1)),  # 3-d
]


def _images_innermost(cols: np.ndarray, m: int) -> np.ndarray:
    """im2col's channel-major columns (C*K, m*L) of m images, reordered to (C*K, L*m)."""
    return cols.reshape(cols.shape[0], m, -1).transpose(0, 2, 1).reshape(cols.shape[0], -1)


@pytest.mark.parametrize("x_shape,w_shape,g", GEOMETRIES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_columns_are_im2cols_with_the_images_innermost(x_shape, w_shape, g, dtype):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(x_shape).astype(dtype)
    lay = images_last.layout(x_shape[1:], g)
    start, stop = 2, x_shape[0] - 1                      # a slice of the batch, not its start
    expected = im2col(x[start:stop], g.kernel, g.stride, g.padding, g.dilation, batch_first=False)
    out = np.full(expected.shape, np.nan, dtype)
    scratch = np.full(x[0].size * (stop - start), np.nan, dtype)
    images_last.columns(x, start, stop, lay, out, scratch)
    np.testing.assert_array_equal(out, _images_innermost(expected, stop - start))


@pytest.mark.parametrize("x_shape,w_shape,g", GEOMETRIES)
def test_add_columns_is_col2im_with_the_images_innermost(x_shape, w_shape, g):
    rng = np.random.default_rng(1)
    lay = images_last.layout(x_shape[1:], g)
    start, stop = 1, x_shape[0]
    m = stop - start
    cols = rng.standard_normal(im2col(np.zeros((m,) + x_shape[1:]), g.kernel, g.stride, g.padding, g.dilation,
                                      batch_first=False).shape)
    expected = col2im(cols, (m,) + x_shape[1:], g.kernel, g.stride, g.padding, g.dilation, batch_first=False)
    gx = np.full(x_shape, np.nan)
    images_last.add_columns(_images_innermost(cols, m), lay, gx, start, stop, np.full(gx[0].size * m, np.nan))
    np.testing.assert_allclose(gx[start:stop], expected, rtol=1e-12, atol=1e-12)
    assert np.isnan(gx[:start]).all()                     # other images untouched


def test_by_channel_lays_out_each_slice_with_the_images_innermost():
    gy = np.arange(10 * 3 * 4, dtype=np.float32).reshape(10, 3, 4)   # 10 images, 3 channels, 4 positions
    got = images_last.by_channel(gy, 4, np.empty((3, 40), np.float32))  # slices of 4, 4 and 2 images
    for start, stop in ((0, 4), (4, 8), (8, 10)):
        block = got[:, start * 4:stop * 4].reshape(3, 4, stop - start)    # (O, L, m)
        np.testing.assert_array_equal(block, gy[start:stop].transpose(1, 2, 0))


@pytest.mark.parametrize("with_bias", [False, True])
def test_to_batch_major_puts_the_images_back_with_the_bias(with_bias):
    rng = np.random.default_rng(2)
    src = rng.standard_normal((5, 6 * 3)).astype(np.float32)   # O=5, L=6 positions, m=3 images
    bias = rng.standard_normal(5).astype(np.float32) if with_bias else np.empty(0, np.float32)
    y = np.full((7, 5, 2, 3), np.nan, np.float32)
    lay = images_last.layout((1, 2, 3), Geometry((1, 1), (1, 1), (0, 0), (1, 1), 1))  # 2x3 outputs
    images_last.to_batch_major(src, bias, 4, lay, y)           # images 4..6
    expected = src.reshape(5, 6, 3).transpose(2, 0, 1) + (bias[:, None] if with_bias else 0)
    np.testing.assert_array_equal(y[4:].reshape(3, 5, 6), expected)
    assert np.isnan(y[:4]).all()


def test_the_layout_is_taken_where_it_pays():
    lenet_second = Geometry((5, 5), (1, 1), (0, 0), (1, 1), 1)
    assert conv_gemm._plan((64, 6, 14, 14), 16, lenet_second, 4)[4] is not None
    assert conv_gemm._plan((4, 6, 14, 14), 16, lenet_second, 4)[4] is None        # 4 images: short runs
    first = Geometry((3, 3), (2, 2), (1, 1), (1, 1), 1)
    assert conv_gemm._plan((64, 1, 28, 28), 16, first, 4)[4] is None              # 9 columns a position: copies cost more
    wide = Geometry((3, 3), (1, 1), (0, 0), (1, 1), 1)
    assert conv_gemm._plan((64, 32, 26, 26), 64, wide, 4)[4] is None              # rows of 24: im2col's are fast


@pytest.mark.parametrize("x_shape,w_shape,g", GEOMETRIES)
@pytest.mark.parametrize("slice_images", [None, 8])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_conv_with_these_columns_matches_torch(monkeypatch, slice_route, x_shape, w_shape, g, slice_images, dtype):
    # forward, input gradient and weight gradient, in one slice or in slices of 8 images
    # (the last one shorter); the layout must be the one the products took
    rng = np.random.default_rng(3)
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)
    if slice_images:
        per_image = x_shape[1] * np.prod(g.kernel) * np.prod(conv_gemm.out_spatial(x_shape[2:], g)) * x.itemsize
        monkeypatch.setattr(conv_gemm, "_SLICE_COLUMN_BYTES", int(per_image * slice_images))
    monkeypatch.setattr(images_last, "_MIN_IMAGES", 1)
    monkeypatch.setattr(images_last, "pays", lambda *args: True)
    lay = conv_gemm._plan(x_shape, w_shape[0], g, x.itemsize)[4]
    assert lay is not None
    conv = {1: torch.nn.functional.conv1d, 2: torch.nn.functional.conv2d, 3: torch.nn.functional.conv3d}[len(g.kernel)]
    tx, tw, tb = (torch.from_numpy(a).requires_grad_() for a in (x, w, b))
    ty = conv(tx, tw, tb, g.stride, g.padding, g.dilation, g.groups)
    gy = rng.standard_normal(tuple(ty.shape)).astype(dtype)
    ty.backward(torch.from_numpy(gy))

    y, cols = conv_gemm.conv_forward(x, w, b, g, keep_columns=True)
    gy_by_channel = conv_gemm.output_by_channel(gy, x_shape, w_shape, g)
    gx = conv_gemm.conv_input_grad(gy_by_channel, w, x_shape, g)
    gb_kept, gb_made = np.full(w_shape[0], np.nan, dtype), np.full(w_shape[0], np.nan, dtype)
    gw_kept = conv_gemm.conv_weight_grad(x, gy_by_channel, w_shape, g, cols, gb_kept)
    gw_made = conv_gemm.conv_weight_grad(x, gy_by_channel, w_shape, g, None, gb_made)
    tolerance = dict(rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(y, ty.detach().numpy(), **tolerance)
    np.testing.assert_allclose(gx, tx.grad.numpy(), **tolerance)
    np.testing.assert_allclose(gw_kept, tw.grad.numpy(), **tolerance)
    np.testing.assert_array_equal(gw_made, gw_kept)
    np.testing.assert_allclose(gb_kept, tb.grad.numpy(), **tolerance)  # the bias's, from the same slices
    np.testing.assert_array_equal(gb_made, gb_kept)


def test_strided_dims_go_in_phase_order_so_that_a_strided_tap_reads_runs():
    # 5 positions at stride 2: 0, 2, 4 first, then 1, 3
    np.testing.assert_array_equal(images_last._phase_order((5,), (2,)), [0, 3, 1, 4, 2])
    np.testing.assert_array_equal(images_last._phase_order((2, 3), (1, 1)), np.arange(6))
    # nn_tutorial's stride-2 3x3 conv on 14x14: a tap's outputs along a row read one run
    lay = images_last.layout((16, 14, 14), Geometry((3, 3), (2, 2), (1, 1), (1, 1), 1))
    assert sorted(lay.order) == list(range(14 * 14))
    assert lay.runs[:, 2].mean() > 5          # of the 7 outputs a row (one may read padding)
