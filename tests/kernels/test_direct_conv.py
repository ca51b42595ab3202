"""direct_conv: convolutions of few-valued filters without columns, against torch, and which
convolutions it takes. (The conv op's choice between it and conv_gemm is tested in
tests/ops/test_conv.py.)"""
from __future__ import annotations

import numpy as np
import pytest
import torch

from minitorch.kernels import direct_conv
from minitorch.kernels.conv_gemm import Geometry

CASES = [
    # x shape, w shape, padding, dilation, groups
    ((3, 1, 28, 28), (6, 1, 5, 5), (2, 2), (1, 1), 1),      # LeNet's first layer
    ((2, 1, 12, 11), (4, 1, 3, 3), (0, 0), (1, 1), 1),      # no padding, odd width
    ((2, 3, 9, 10), (5, 3, 3, 3), (1, 2), (2, 1), 1),       # RGB 3x3, uneven padding and dilation
    ((2, 4, 7, 8), (8, 1, 3, 3), (1, 1), (1, 1), 4),        # depthwise, two filters per channel
    ((2, 4, 6, 9), (6, 2, 2, 3), (0, 1), (1, 2), 2),        # two groups of two channels
    ((1, 2, 1, 1), (3, 2, 3, 3), (1, 1), (1, 1), 1),        # a 1x1 plane: every tap but one reads padding
    ((0, 1, 5, 5), (2, 1, 3, 3), (1, 1), (1, 1), 1),        # an empty batch
    ((9, 1, 6, 7), (2, 1, 4, 2), (2, 0), (1, 3), 1),        # more images than slices on threads
    ((2, 2, 9, 8), (12, 1, 3, 3), (1, 1), (1, 1), 2),       # two groups of 6 filters: four at once, then one by one
    ((2, 1, 10, 10), (9, 1, 5, 5), (1, 1), (1, 1), 1),      # 9 filters: two fours and one
    ((3, 2, 17), (4, 2, 5), (2,), (1,), 1),                 # 1-d
    ((2, 6, 11), (6, 1, 3), (0,), (3,), 6),                 # 1-d depthwise, dilated
]


def _torch_conv(nd):
    return torch.nn.functional.conv1d if nd == 1 else torch.nn.functional.conv2d


@pytest.mark.parametrize("on_threads", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("x_shape,w_shape,padding,dilation,groups", CASES)
def test_forward_and_weight_grad_match_torch(x_shape, w_shape, padding, dilation, groups, dtype, on_threads,
                                             monkeypatch):
    # (on threads: slices of images shared among minitorch's threads, however little the work)
    monkeypatch.setattr(direct_conv, "_MACS_PER_THREAD", 1 if on_threads else 1 << 62)
    rng = np.random.default_rng(0)
    nd = len(x_shape) - 2
    geometry = Geometry(w_shape[2:], (1,) * nd, padding, dilation, groups)
    assert direct_conv.fits(w_shape, geometry)
    x, w = rng.standard_normal(x_shape).astype(dtype), rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)
    tx, tw, tb = (torch.from_numpy(a).requires_grad_() for a in (x, w, b))
    ty = _torch_conv(nd)(tx, tw, tb, padding=padding, dilation=dilation, groups=groups)
    gy = rng.standard_normal(tuple(ty.shape)).astype(dtype)
    ty.backward(torch.from_numpy(gy))
    tolerance = dict(rtol=1e-4, atol=1e-4) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-10)

    y = direct_conv.forward(x, w, b, geometry)
    assert y.shape == tuple(ty.shape) and y.dtype == dtype
    np.testing.assert_allclose(y, ty.detach().numpy(), **tolerance)
    np.testing.assert_allclose(direct_conv.forward(x, w, None, geometry), ty.detach().numpy() - b.reshape((-1,) + (1,) * nd),
                               **tolerance)
    gw = direct_conv.weight_grad(x, gy, w_shape, geometry)
    assert gw.shape == w_shape and gw.dtype == dtype
    np.testing.assert_allclose(gw, tw.grad.numpy(), **tolerance)
    gb = np.full(w_shape[0], np.nan, dtype)  # the bias's gradient from the same pass
    np.testing.assert_array_equal(direct_conv.weight_grad(x, gy, w_shape, geometry, gb), gw)
    np.testing.assert_allclose(gb, tb.grad.numpy(), **tolerance)


def test_inputs_that_are_not_contiguous_are_read_as_their_values():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 1, 10, 24)).astype(np.float32)[:, :, :, ::2]
    w = rng.standard_normal((3, 1, 3, 3)).astype(np.float32)[:, :, ::-1]
    gy = rng.standard_normal((2, 3, 12, 10)).astype(np.float32).transpose(0, 1, 3, 2)
    geometry = Geometry((3, 3), (1, 1), (1, 1), (1, 1), 1)
    tx, tw = torch.from_numpy(x.copy()).requires_grad_(), torch.from_numpy(w.copy()).requires_grad_()
    ty = torch.nn.functional.conv2d(tx, tw, padding=1)
    ty.backward(torch.from_numpy(gy.copy()))
    np.testing.assert_allclose(direct_conv.forward(x, w, None, geometry), ty.detach().numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(direct_conv.weight_grad(x, gy, (3, 1, 3, 3), geometry), tw.grad.numpy(),
                               rtol=1e-4, atol=1e-4)


def test_weight_grad_is_the_same_bits_whichever_thread_takes_which_slice():
    # One sum per slice, added in slice order: a resumed run must reproduce an uninterrupted one.
    rng = np.random.default_rng(2)
    x, gy = rng.standard_normal((64, 1, 28, 28)).astype(np.float32), rng.standard_normal((64, 6, 28, 28))
    geometry = Geometry((5, 5), (1, 1), (2, 2), (1, 1), 1)
    first = direct_conv.weight_grad(x, gy.astype(np.float32), (6, 1, 5, 5), geometry)
    for _ in range(20):
        np.testing.assert_array_equal(direct_conv.weight_grad(x, gy.astype(np.float32), (6, 1, 5, 5), geometry), first)


@pytest.mark.parametrize("w_shape,geometry,fits,forward_pays", [
    ((6, 1, 5, 5), Geometry((5, 5), (1, 1), (2, 2), (1, 1), 1), True, True),      # LeNet
    ((32, 1, 3, 3), Geometry((3, 3), (1, 1), (0, 0), (1, 1), 1), True, False),    # many filters: the GEMM's
    ((16, 3, 3, 3), Geometry((3, 3), (1, 1), (1, 1), (1, 1), 1), True, False),
    ((32, 1, 3, 3), Geometry((3, 3), (1, 1), (1, 1), (1, 1), 32), True, True),    # depthwise
    ((16, 6, 5, 5), Geometry((5, 5), (1, 1), (0, 0), (1, 1), 1), False, False),   # 150 values a filter
    ((16, 1, 3, 3), Geometry((3, 3), (2, 2), (1, 1), (1, 1), 1), False, False),   # strided
    ((4, 1, 3, 3, 3), Geometry((3, 3, 3), (1, 1, 1), (0, 0, 0), (1, 1, 1), 1), False, False),  # 3-d
    ((4, 0, 3, 3), Geometry((3, 3), (1, 1), (0, 0), (1, 1), 1), False, False),    # no input channels
])
def test_which_convolutions_it_takes(w_shape, geometry, fits, forward_pays):
    assert direct_conv.fits(w_shape, geometry) is fits
    if fits:
        assert direct_conv.forward_pays(w_shape, geometry) is forward_pays
