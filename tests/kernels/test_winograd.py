"""winograd: 3x3 convolutions with stride 1 by F(2x2, 3x3), against torch; which convolutions
take it; and the conv op through it (values, all three gradients, double backward)."""
from __future__ import annotations

import numba
import numpy as np
import pytest
import torch

import minitorch
from minitorch.kernels import winograd
from minitorch.kernels.conv_gemm import Geometry, out_spatial, winograd_fits


def _torch_reference(x, w, b, padding, gy_seed=1):
    """torch's y, and its gradients in x, w for a random output gradient gy (returned too)."""
    tx, tw = torch.from_numpy(x).requires_grad_(), torch.from_numpy(w).requires_grad_()
    ty = torch.nn.functional.conv2d(tx, tw, None if b is None else torch.from_numpy(b), padding=padding)
    gy = np.random.default_rng(gy_seed).standard_normal(tuple(ty.shape)).astype(x.dtype)
    ty.backward(torch.from_numpy(gy))
    return ty.detach().numpy(), gy, tx.grad.numpy(), tw.grad.numpy()


def _tolerance(dtype, scale):
    # float32: the transforms add a few roundings to each value; relative to the largest value
    return dict(rtol=0, atol=2e-6 * scale) if dtype == np.float32 else dict(rtol=0, atol=1e-13 * scale)


def _random_case(rng):
    n = int(rng.integers(0, 4))
    c, o = int(rng.integers(1, 21)), int(rng.integers(1, 21))
    h, w = int(rng.integers(3, 16)), int(rng.integers(3, 16))
    padding = (int(rng.integers(0, 3)), int(rng.integers(0, 3)))
    dtype = (np.float32, np.float64)[int(rng.integers(0, 2))]
    return (n, c, h, w), (o, c, 3, 3), padding, dtype


@pytest.mark.parametrize("seed", range(40))
def test_forward_and_both_gradients_match_torch_on_random_shapes(slice_route, seed):
    # images from 0, channels from 1, planes from 3x3, odd and even sides, padding 0-2 per side
    rng = np.random.default_rng(seed)
    x_shape, w_shape, padding, dtype = _random_case(rng)
    x, w = rng.standard_normal(x_shape).astype(dtype), rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype) if seed % 2 else None
    ty, gy, tgx, tgw = _torch_reference(x, w, b, padding)

    y = winograd.forward(x, w, b, padding, ty.shape[2:])
    gx, gw = winograd.backward(gy, x, w, x_shape, w_shape, padding, True, True)
    for got, expected in ((y, ty), (gx, tgx), (gw, tgw)):
        assert got.shape == expected.shape and got.dtype == dtype
        np.testing.assert_allclose(got, expected, **_tolerance(dtype, max(1.0, np.abs(expected).max(initial=0))))


def test_one_gradient_alone_equals_both_at_once_bit_for_bit(slice_route):
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((5, 17, 12, 9)).astype(np.float32), rng.standard_normal((18, 17, 3, 3)).astype(np.float32)
    gy = rng.standard_normal((5, 18, 12, 9)).astype(np.float32)
    gx, gw = winograd.backward(gy, x, w, x.shape, w.shape, (1, 1), True, True)
    assert winograd.backward(gy, x, w, x.shape, w.shape, (1, 1), True, False)[1] is None
    np.testing.assert_array_equal(winograd.input_grad(gy, w, x.shape, (1, 1)), gx)
    np.testing.assert_array_equal(winograd.weight_grad(x, gy, w.shape, (1, 1)), gw)


def test_the_result_does_not_depend_on_the_thread_count(slice_route):
    # the weight gradient's per-slice sums are added in slice order, whichever thread made them
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((16, 32, 26, 26)).astype(np.float32), rng.standard_normal((64, 32, 3, 3)).astype(np.float32)
    gy = rng.standard_normal((16, 64, 24, 24)).astype(np.float32)
    before = numba.get_num_threads()
    results = []
    try:
        for threads in (1, min(2, numba.config.NUMBA_NUM_THREADS)):
            numba.set_num_threads(threads)
            results.append((winograd.forward(x, w, None, (0, 0), (24, 24)).copy(),
                            *(a.copy() for a in winograd.backward(gy, x, w, x.shape, w.shape, (0, 0), True, True))))
    finally:
        numba.set_num_threads(before)
    for one, two in zip(*results):
        np.testing.assert_array_equal(one, two)


def test_a_thread_adds_up_runs_of_several_slices_as_torch_does(monkeypatch, slice_route):
    # at most winograd._RUNS partial weight-gradient sums: here 8 one-image slices in runs of 3, 3 and 2
    monkeypatch.setattr(winograd, "_RUNS", 3)
    rng = np.random.default_rng(9)
    x, w = rng.standard_normal((8, 32, 26, 26)), rng.standard_normal((64, 32, 3, 3))
    _, gy, tgx, tgw = _torch_reference(x, w, None, (0, 0))
    gx, gw = winograd.backward(gy, x, w, x.shape, w.shape, (0, 0), True, True)
    np.testing.assert_allclose(gx, tgx, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(gw, tgw, rtol=1e-10, atol=1e-10)


def test_inputs_that_are_not_contiguous_are_read_as_their_values():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 16, 10, 20)).astype(np.float32)[:, :, :, ::2]
    w = rng.standard_normal((16, 16, 3, 3)).astype(np.float32)[:, :, ::-1]
    gy = rng.standard_normal((2, 16, 10, 10)).astype(np.float32)[:, ::-1]
    tx, tw = torch.from_numpy(x.copy()).requires_grad_(), torch.from_numpy(w.copy()).requires_grad_()
    ty = torch.nn.functional.conv2d(tx, tw, padding=1)
    ty.backward(torch.from_numpy(gy.copy()))
    np.testing.assert_allclose(winograd.forward(x, w, None, (1, 1), (10, 10)), ty.detach().numpy(), atol=1e-4)
    gx, gw = winograd.backward(gy, x, w, x.shape, w.shape, (1, 1), True, True)
    np.testing.assert_allclose(gx, tx.grad.numpy(), atol=1e-4)
    np.testing.assert_allclose(gw, tw.grad.numpy(), atol=1e-4)


def _g(padding=(1, 1), stride=(1, 1), dilation=(1, 1), groups=1, kernel=(3, 3)):
    return Geometry(kernel, stride, padding, dilation, groups)


@pytest.mark.parametrize("x_shape,w_shape,geometry,dtype,expected", [
    ((64, 32, 26, 26), (64, 32, 3, 3), _g((0, 0)), np.float32, True),     # the examples CNN's second layer
    ((16, 64, 8, 8), (64, 64, 3, 3), _g(), np.float64, True),             # a ResNet block's, 8x8 planes
    ((64, 4, 28, 28), (16, 4, 3, 3), _g(), np.float32, True),             # few channels, large planes
    ((16, 64, 8, 8), (64, 64, 3, 3), _g(stride=(2, 2)), np.float32, False),
    ((16, 64, 8, 8), (64, 64, 3, 3), _g((2, 2), dilation=(2, 2)), np.float32, False),
    ((16, 64, 8, 8), (64, 32, 3, 3), _g(groups=2), np.float32, False),
    ((16, 64, 8, 8), (64, 64, 5, 5), _g((2, 2), kernel=(5, 5)), np.float32, False),
    ((16, 64, 8, 8), (64, 64, 3, 3), _g((3, 3)), np.float32, False),      # padding 3: tiles of padding only
    ((16, 64, 8, 8), (64, 64, 3, 3), _g(), np.float16, False),
    ((8, 64, 8, 8, 8), (64, 64, 3, 3, 3), _g((1, 1, 1), (1, 1, 1), (1, 1, 1), kernel=(3, 3, 3)), np.float32, False),
    ((64, 2, 26, 26), (64, 2, 3, 3), _g(), np.float32, False),            # filters of few values (direct_conv's)
    ((64, 64, 26, 26), (2, 64, 3, 3), _g(), np.float32, False),           # two filters
    ((64, 16, 10, 10), (16, 16, 3, 3), _g(), np.float32, False),          # 10x10 planes want more channels
    ((16, 48, 8, 8), (48, 48, 3, 3), _g(), np.float32, False),            # 8x8 planes still more
    ((16, 64, 6, 6), (64, 64, 3, 3), _g((0, 0)), np.float32, False),      # 4x4 planes: never
    ((1, 64, 8, 8), (64, 64, 3, 3), _g(), np.float32, False),             # one image of 16 tiles
])
def test_which_convolutions_run_as_winograds(x_shape, w_shape, geometry, dtype, expected):
    assert winograd_fits(x_shape, w_shape, geometry, dtype) is expected
    assert winograd.fits(x_shape, w_shape, geometry, out_spatial(x_shape[2:], geometry), dtype) is expected


@pytest.mark.parametrize("padding,bias", [(0, True), (1, False), (2, True)])
def test_conv2d_through_winograd_matches_torch_with_every_gradient(padding, bias):
    rng = np.random.default_rng(5)
    x, w = rng.standard_normal((5, 16, 16, 18)).astype(np.float32), rng.standard_normal((20, 16, 3, 3)).astype(np.float32)
    b = rng.standard_normal(20).astype(np.float32)
    assert winograd_fits(x.shape, w.shape, Geometry((3, 3), (1, 1), (padding,) * 2, (1, 1), 1), x.dtype)
    results = []
    for lib in (minitorch, torch):
        tensors = [lib.tensor(a, requires_grad=True) for a in ((x, w, b) if bias else (x, w))]
        y = lib.nn.functional.conv2d(*tensors, padding=padding)
        (y * lib.tensor(np.linspace(-1, 1, y.numel(), dtype=np.float32).reshape(y.shape))).sum().backward()
        results.append([y.detach().numpy()] + [t.grad.numpy() for t in tensors])
    assert type(results[0][0]) is np.ndarray
    for got, expected in zip(*results):
        # float32 roundings like torch's own: within a few units in the last place of the largest value
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=2e-6 * np.abs(expected).max())


def test_double_backward_through_a_winograd_conv_matches_torch():
    # create_graph takes the recorded ConvTranspose/ConvWeight ops, which run Winograd's too
    rng = np.random.default_rng(6)
    x, w = rng.standard_normal((6, 16, 14, 14)), rng.standard_normal((16, 16, 3, 3))
    assert winograd_fits(x.shape, w.shape, _g(), x.dtype)
    results = []
    for lib in (minitorch, torch):
        tx, tw = lib.tensor(x, requires_grad=True), lib.tensor(w, requires_grad=True)
        y = lib.nn.functional.conv2d(tx, tw, padding=1)
        gx, gw = lib.autograd.grad((y ** 2).sum(), (tx, tw), create_graph=True)
        (gx.sum() + (gw ** 2).sum()).backward()
        results.append([a.detach().numpy() for a in (gx, gw, tx.grad, tw.grad)])
    for got, expected in zip(*results):
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10)


def test_conv_transpose2d_with_a_3x3_stride_1_kernel_matches_torch():
    # its forward is the convolution's input gradient, which runs as Winograd's here
    rng = np.random.default_rng(7)
    x, w = rng.standard_normal((6, 24, 14, 14)).astype(np.float32), rng.standard_normal((24, 16, 3, 3)).astype(np.float32)
    assert winograd_fits((6, 16, 14, 14), w.shape, _g(), x.dtype)
    results = []
    for lib in (minitorch, torch):
        tx, tw = lib.tensor(x, requires_grad=True), lib.tensor(w, requires_grad=True)
        y = lib.nn.functional.conv_transpose2d(tx, tw, padding=1)
        (y * y).sum().backward()
        results.append([y.detach().numpy(), tx.grad.numpy(), tw.grad.numpy()])
    for got, expected in zip(*results):
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-3 * max(1.0, np.abs(expected).max()) * 1e-2)


def test_float32_results_are_as_close_to_the_exact_convolution_as_torchs():
    # the transforms' roundings: measured against float64, Winograd's float32 error is of the
    # size of torch's float32 error (0.3e-6 of the largest value on this layer, im2col's 0.8e-6)
    rng = np.random.default_rng(8)
    x = rng.standard_normal((16, 32, 26, 26)).astype(np.float32)
    w = (rng.standard_normal((64, 32, 3, 3)) * 0.1).astype(np.float32)
    exact = torch.nn.functional.conv2d(torch.from_numpy(x).double(), torch.from_numpy(w).double()).numpy()
    torch_error = np.abs(torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w)).numpy() - exact).max()
    winograd_error = np.abs(winograd.forward(x, w, None, (0, 0), (24, 24)) - exact).max()
    assert winograd_error <= 2 * torch_error
