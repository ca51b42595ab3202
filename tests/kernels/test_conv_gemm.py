"""conv_gemm's geometry shortcuts (which kernel taps it drops) and its layout kernel. (Values
and gradients of every conv path are compared with torch in tests/ops/test_conv.py.)"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_info, threadpool_limits

from conftest import passes_in_a_forked_child
from minitorch.kernels import conv_gemm
from minitorch.kernels.conv_gemm import Geometry, _batch_major, channel_major, conv_input_grad, live_taps

ALL = slice(None)


@pytest.mark.parametrize("spatial,geometry,kept,index", [
    # ResNet-18's last stage on 28x28 MNIST: 1x1 planes, 3x3 convs with padding 1
    ((1, 1), Geometry((3, 3), (1, 1), (1, 1), (1, 1), 1), Geometry((1, 1), (1, 1), (0, 0), (1, 1), 1),
     (ALL, ALL, slice(1, 2), slice(1, 2))),
    ((2, 2), Geometry((3, 3), (2, 2), (1, 1), (1, 1), 1), Geometry((2, 2), (2, 2), (0, 0), (1, 1), 1),
     (ALL, ALL, slice(1, 3), slice(1, 3))),
    ((2,), Geometry((3,), (1,), (2,), (2,), 1), Geometry((1,), (1,), (0,), (2,), 1), (ALL, ALL, slice(1, 2))),
    ((1, 5), Geometry((3, 3), (1, 1), (1, 1), (1, 1), 4), Geometry((1, 3), (1, 1), (0, 1), (1, 1), 4),
     (ALL, ALL, slice(1, 2), slice(0, 3))),
])
def test_taps_that_meet_only_padding_are_dropped(spatial, geometry, kept, index):
    assert live_taps(spatial, geometry) == (kept, index)


@pytest.mark.parametrize("spatial,geometry", [
    ((7, 7), Geometry((3, 3), (1, 1), (1, 1), (1, 1), 1)),     # every tap meets the input somewhere
    ((3,), Geometry((5,), (4,), (3,), (1,), 1)),               # live taps 0, 1, 3, 4: the box is the kernel
    ((1, 1), Geometry((1, 1), (2, 2), (1, 1), (1, 1), 1)),     # no tap live: nothing to keep a box of
])
def test_the_kernel_is_kept_whole_when_no_box_of_taps_is_dead(spatial, geometry):
    assert live_taps(spatial, geometry) == (geometry, None)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(3, 5, 4, 6), (2, 7, 1), (1, 1, 3, 3), (0, 4, 2, 2), (4, 3, 7, 5)])
def test_batch_major_and_channel_major_are_the_transposes_plus_bias(twin, shape, dtype):
    rng = np.random.default_rng(0)
    n, c, length = shape[0], shape[1], int(np.prod(shape[2:]))
    a = rng.standard_normal((c, n * length)).astype(dtype)
    a[:, ::3] = -0.0                      # a copy keeps the sign of zero (adding 0 would not)
    b = rng.standard_normal(c).astype(dtype)
    by_image = a.reshape(c, n, length).transpose(1, 0, 2).reshape(shape)
    np.testing.assert_array_equal(_batch_major(a, shape, b), by_image + b.reshape((1, c) + (1,) * (len(shape) - 2)))
    copied = _batch_major(a, shape, None)
    np.testing.assert_array_equal(copied, by_image)
    assert copied.dtype == dtype and np.array_equal(np.signbit(copied), np.signbit(by_image))
    np.testing.assert_array_equal(channel_major(by_image), a)
    # a gradient need not be contiguous (here a transposed view)
    np.testing.assert_array_equal(channel_major(np.ascontiguousarray(by_image.swapaxes(0, 1)).swapaxes(0, 1)), a)


def _blas_threads() -> list:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def _input_grad_case(monkeypatch):
    """A conv's input gradient in slices of 2 images of 9, and torch's."""
    rng = np.random.default_rng(0)
    x_shape, w, gy = (9, 4, 10, 10), rng.standard_normal((6, 4, 3, 3)), rng.standard_normal((9, 6, 8, 8))
    monkeypatch.setattr(conv_gemm, "_SLICE_COLUMN_BYTES", 2 * 4 * 9 * 64 * gy.itemsize)
    expected = torch.nn.grad.conv2d_input(x_shape, torch.from_numpy(w), torch.from_numpy(gy)).numpy()
    geometry = Geometry((3, 3), (1, 1), (0, 0), (1, 1), 1)
    return (lambda: conv_input_grad(channel_major(gy), w, x_shape, geometry).copy()), expected


def test_input_grad_from_concurrent_user_threads_matches_torch_and_leaves_the_blas_threads(monkeypatch):
    # Two user threads take a conv's input gradient at once: each makes the whole batch in one
    # GEMM (only the main thread sets the BLAS to one thread for its own threads' slices).
    input_grad, expected = _input_grad_case(monkeypatch)
    blas_before = _blas_threads()
    with ThreadPoolExecutor(2) as users:
        for got in users.map(lambda _: input_grad(), range(8)):
            np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    assert _blas_threads() == blas_before
    np.testing.assert_allclose(input_grad(), expected, rtol=1e-12, atol=1e-12)  # main: slices on threads
    assert _blas_threads() == blas_before


def test_input_grad_while_another_thread_limits_the_blas_matches_torch(monkeypatch):
    # Another thread sits inside a threadpool_limits block: the main thread's slices still
    # give torch's values, and the count that thread set is there again after them.
    input_grad, expected = _input_grad_case(monkeypatch)
    holding, release = threading.Event(), threading.Event()

    def hold_the_blas():
        with threadpool_limits(limits=_blas_threads()[0], user_api="blas"):
            holding.set()
            release.wait()

    holder = threading.Thread(target=hold_the_blas)
    holder.start()
    try:
        holding.wait()
        limited = _blas_threads()
        np.testing.assert_allclose(input_grad(), expected, rtol=1e-12, atol=1e-12)
        assert _blas_threads() == limited
    finally:
        release.set()
        holder.join()


def test_input_grad_in_a_forked_child_runs_on_threads_of_its_own(monkeypatch):
    # A child forked after the pool started has none of its threads: it must start its own
    # (Hogwild-style training forks workers from a process that has trained already).
    input_grad, expected = _input_grad_case(monkeypatch)
    np.testing.assert_allclose(input_grad(), expected, rtol=1e-12, atol=1e-12)  # the pool is running now
    assert passes_in_a_forked_child(lambda: np.allclose(input_grad(), expected, rtol=1e-12, atol=1e-12))


def test_weight_grad_is_the_same_bits_whichever_thread_takes_which_slice(monkeypatch):
    # Slices go to whichever thread is free: the per-slice sums are added in slice order, so a
    # run reproduces itself exactly (a resumed training run must match an uninterrupted one).
    rng = np.random.default_rng(0)
    x, gy = rng.standard_normal((16, 3, 12, 12)).astype(np.float32), rng.standard_normal((16, 8, 10, 10))
    monkeypatch.setattr(conv_gemm, "_SLICE_COLUMN_BYTES", 3 * 27 * 100 * 4)   # slices of 3 images
    geometry = Geometry((3, 3), (1, 1), (0, 0), (1, 1), 1)
    gy_by_channel = channel_major(gy.astype(np.float32))
    first = conv_gemm.conv_weight_grad(x, gy_by_channel, (8, 3, 3, 3), geometry)
    for _ in range(30):
        np.testing.assert_array_equal(conv_gemm.conv_weight_grad(x, gy_by_channel, (8, 3, 3, 3), geometry), first)
    expected = torch.nn.grad.conv2d_weight(torch.from_numpy(x), (8, 3, 3, 3), torch.from_numpy(gy.astype(np.float32)))
    np.testing.assert_allclose(first, expected.numpy(), rtol=1e-4, atol=1e-4)


def test_an_image_larger_than_a_slice_is_a_slice_of_its_own(monkeypatch):
    # Columns of one image beyond the slice size (a large photo): one image per slice, not zero.
    per_image = 3 * 9 * 36 * 4                        # C*K*L*itemsize: 3 channels, 3x3, 6x6 outputs
    monkeypatch.setattr(conv_gemm, "_SLICE_COLUMN_BYTES", per_image // 2)
    assert conv_gemm._slicing(5, per_image)[0] == 1
    rng = np.random.default_rng(4)
    x, w = rng.standard_normal((5, 3, 8, 8)).astype(np.float32), rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    tx, tw = torch.from_numpy(x).requires_grad_(), torch.from_numpy(w).requires_grad_()
    ty = torch.nn.functional.conv2d(tx, tw)
    ty.sum().backward()
    geometry = Geometry((3, 3), (1, 1), (0, 0), (1, 1), 1)
    y, cols = conv_gemm.conv_forward(x, w, None, geometry, keep_columns=True)
    np.testing.assert_allclose(y, ty.detach().numpy(), rtol=1e-4, atol=1e-4)
    ones = channel_major(np.ones(y.shape, np.float32))
    np.testing.assert_allclose(conv_input_grad(ones, w, x.shape, geometry), tx.grad.numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(conv_gemm.conv_weight_grad(x, ones, w.shape, geometry, cols), tw.grad.numpy(),
                               rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("x_shape,w_shape,g", [
    ((5, 3, 9, 9), (4, 3, 1, 1), Geometry((1, 1), (1, 1), (0, 0), (1, 1), 1)),      # 1x1: x is the columns
    ((6, 3, 12, 12), (8, 3, 3, 3), Geometry((3, 3), (2, 2), (1, 1), (1, 1), 1)),    # im2col's columns, in slices
    ((8, 32, 12, 12), (32, 32, 3, 3), Geometry((3, 3), (1, 1), (1, 1), (1, 1), 1)),  # Winograd's tiles
])
def test_the_weight_gradient_also_gives_the_bias_gradient(monkeypatch, x_shape, w_shape, g):
    monkeypatch.setattr(conv_gemm, "_SLICE_COLUMN_BYTES", 1)  # an image a slice where there are slices
    assert conv_gemm.winograd_fits(x_shape, w_shape, g, np.float64) == (x_shape[1] == 32)
    rng = np.random.default_rng(6)
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    tx, tw, tb = (torch.from_numpy(a).requires_grad_() for a in (x, w, np.zeros(w_shape[0])))
    ty = torch.nn.functional.conv2d(tx, tw, tb, g.stride, g.padding)
    gy = rng.standard_normal(tuple(ty.shape))
    ty.backward(torch.from_numpy(gy))
    y, cols = conv_gemm.conv_forward(x, w, None, g, keep_columns=True)
    gb = np.full(w_shape[0], np.nan)
    gw = conv_gemm.conv_weight_grad(x, conv_gemm.output_by_channel(gy, x_shape, w_shape, g), w_shape, g, cols, gb)
    np.testing.assert_allclose(gw, tw.grad.numpy(), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(gb, tb.grad.numpy(), rtol=1e-12, atol=1e-12)
