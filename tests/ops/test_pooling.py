"""Pooling ops against torch (values, indices, gradients), gradcheck, double backward, errors."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_matches_torch, gradcheck, randn


def F(lib):
    return lib.nn.functional


MAX_GRID = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    dict(kernel_size=(2, 3), stride=(1, 2), dilation=(2, 1)),
    dict(kernel_size=3, stride=2, ceil_mode=True),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kw", MAX_GRID)
def test_max_pool2d_matches_torch(kw, dtype):
    x = randn(2, 3, 9, 8, dtype=dtype)
    assert_matches_torch(lambda lib, x: F(lib).max_pool2d(x, return_indices=True, **kw), x)
    assert_matches_torch(lambda lib, x: F(lib).max_pool2d(x, **kw), randn(3, 9, 8, dtype=dtype))  # unbatched


@pytest.mark.parametrize("kw", [dict(kernel_size=3, stride=2, padding=1), dict(kernel_size=2, dilation=2, ceil_mode=True)])
def test_max_pool1d_matches_torch(kw):
    assert_matches_torch(lambda lib, x: F(lib).max_pool1d(x, return_indices=True, **kw), randn(2, 3, 11))


AVG_GRID = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
    dict(kernel_size=(3, 2), stride=1, padding=(1, 0), divisor_override=5),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kw", AVG_GRID)
def test_avg_pool2d_matches_torch(kw, dtype):
    assert_matches_torch(lambda lib, x: F(lib).avg_pool2d(x, **kw), randn(2, 3, 9, 8, dtype=dtype))


def test_avg_pool1d_and_lp_pool_match_torch():
    assert_matches_torch(lambda lib, x: F(lib).avg_pool1d(x, 3, 2, 1, count_include_pad=False), randn(2, 3, 10))
    x = np.abs(randn(2, 3, 8, 7)) + 0.1
    assert_matches_torch(lambda lib, x: F(lib).lp_pool2d(x, 2, 3, stride=2), x)
    assert_matches_torch(lambda lib, x: F(lib).lp_pool1d(x, 3, 2), np.abs(randn(2, 3, 9)) + 0.1)


@pytest.mark.parametrize("out", [(4, 3), 5, (1, 1), (9, 8), (None, 2)])
def test_adaptive_pools_match_torch(out):
    x = randn(2, 3, 9, 8)
    assert_matches_torch(lambda lib, x: F(lib).adaptive_avg_pool2d(x, out), x)
    assert_matches_torch(lambda lib, x: F(lib).adaptive_max_pool2d(x, out, return_indices=True), x)


def test_adaptive_1d_and_3d_match_torch():
    assert_matches_torch(lambda lib, x: F(lib).adaptive_avg_pool1d(x, 4), randn(2, 3, 10))
    assert_matches_torch(lambda lib, x: F(lib).adaptive_max_pool1d(x, 4, True), randn(2, 3, 10))
    assert_matches_torch(lambda lib, x: F(lib).adaptive_avg_pool3d(x, (2, 3, 2)), randn(1, 2, 5, 4, 3))


def test_adaptive_avg_pool_nodes_are_torchs():
    """torch's nodes: AdaptiveAvgPool{2,3}DBackward0, 1-d pooling as a squeeze of the 2-d op; a single
    window is a mean over the spatial dims (values and gradients as torch's)."""
    x = randn(2, 3, 5, 6)
    calls = [lambda F, t: F.adaptive_avg_pool2d(t, (2, 3)), lambda F, t: F.adaptive_avg_pool2d(t, (None, 1)),
             lambda F, t: F.adaptive_avg_pool1d(t[0], 4), lambda F, t: F.adaptive_avg_pool1d(t[0], 1),
             lambda F, t: F.adaptive_avg_pool3d(t, (1, 2, 2))]
    for call in calls:
        names = [call(lib.nn.functional, lib.tensor(x, requires_grad=True)).grad_fn.name()
                 for lib in (minitorch, torch)]
        assert names[0] == names[1]
    for out in (1, (1, 1, 1)):
        assert_matches_torch(lambda lib, t: F(lib).adaptive_avg_pool3d(t, out), x)
    assert_matches_torch(lambda lib, t: F(lib).adaptive_avg_pool1d(t, 1), randn(2, 3, 7))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kw", [dict(kernel_size=2, output_size=(5, 4)), dict(kernel_size=3, output_ratio=(0.5, 0.6)),
                                dict(kernel_size=(2, 3), output_size=(8, 3))])
def test_fractional_max_pool_matches_torch_for_given_samples(kw, dtype):
    x = randn(2, 3, 10, 9, dtype=dtype)
    samples = np.random.default_rng(5).random((2, 3, 2)).astype(dtype)

    def fn(lib, x):
        return F(lib).fractional_max_pool2d(x, return_indices=True, _random_samples=lib.tensor(samples), **kw)
    assert_matches_torch(fn, x)


def test_fractional_max_pool_random_samples_give_valid_windows():
    x = minitorch.tensor(randn(2, 3, 25, 25))
    out, idx = F(minitorch).fractional_max_pool2d(x, 2, output_ratio=(0.5, 0.5), return_indices=True)
    assert tuple(out.shape) == (2, 3, 12, 12)
    flat = x.numpy().reshape(2, 3, -1)
    np.testing.assert_array_equal(np.take_along_axis(flat, idx.numpy().reshape(2, 3, -1), 2).reshape(out.shape),
                                  out.numpy())


def test_max_unpool_matches_torch():
    x = randn(2, 3, 8, 7)
    _, idx = torch.nn.functional.max_pool2d(torch.tensor(x), 2, return_indices=True)
    v = torch.nn.functional.max_pool2d(torch.tensor(x), 2).numpy()

    def fn(lib, v):
        return F(lib).max_unpool2d(v, lib.tensor(idx.numpy()), 2, output_size=(8, 7))
    assert_matches_torch(fn, v)


def test_pooling_gradcheck():
    x = randn(1, 2, 6, 5)
    gradcheck(lambda lib, x: F(lib).max_pool2d(x, 3, 2, 1, ceil_mode=True), x)
    gradcheck(lambda lib, x: F(lib).avg_pool2d(x, 3, 2, 1, count_include_pad=False), x)
    gradcheck(lambda lib, x: F(lib).adaptive_avg_pool2d(x, (4, 3)), x)
    gradcheck(lambda lib, x: F(lib).adaptive_max_pool2d(x, (4, 3)), x)


def test_pooling_double_backward_matches_torch():
    def penalty(lib, x):
        y = F(lib).max_pool2d(x * x, 2, ceil_mode=True) + F(lib).avg_pool2d(x * x * x, 3, 2, 1, ceil_mode=True)
        g, = lib.autograd.grad(y.sum(), x, create_graph=True)
        return (g * g).sum()
    assert_matches_torch(penalty, randn(2, 2, 5, 5, dtype=np.float64))


@pytest.mark.parametrize("fn,shape,match", [
    (lambda lib, x: F(lib).max_pool2d(x, 3, padding=2), (1, 1, 6, 6), r"pad should be at most half"),
    (lambda lib, x: F(lib).max_pool2d(x, 3, stride=0), (1, 1, 6, 6), r"stride"),
    (lambda lib, x: F(lib).max_pool2d(x, 3), (1, 1, 2, 2), r"Output size is too small"),
    (lambda lib, x: F(lib).max_pool2d(x, 2), (5, 6), r"3D or 4D"),
    (lambda lib, x: F(lib).max_pool2d(x, 0), (1, 1, 4, 4), r"zero"),
])
def test_pooling_errors(fn, shape, match):
    x = randn(*shape)
    with pytest.raises(Exception) as expected:
        fn(torch, torch.tensor(x))
    with pytest.raises(type(expected.value), match=match):
        fn(minitorch, minitorch.tensor(x))


# ----- float16: computed in float32 and rounded, as torch's CPU kernels do -----------------------------------
HALF_POOL_CALLS = {
    "max_pool1d": (lambda F, x: F.max_pool1d(x, 3, ceil_mode=True), (2, 3, 10)),
    "max_pool2d": (lambda F, x: F.max_pool2d(x, 3, 2, 1), (2, 3, 6, 6)),
    "max_pool2d_indices": (lambda F, x: F.max_pool2d(x, 2, return_indices=True), (2, 3, 6, 6)),
    "avg_pool1d": (lambda F, x: F.avg_pool1d(x, 2), (2, 3, 10)),
    "avg_pool2d": (lambda F, x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False), (2, 3, 6, 6)),
    "adaptive_avg_pool2d": (lambda F, x: F.adaptive_avg_pool2d(x, (2, 3)), (2, 3, 6, 6)),
    "adaptive_max_pool1d": (lambda F, x: F.adaptive_max_pool1d(x, 4), (2, 3, 10)),
    "adaptive_max_pool2d": (lambda F, x: F.adaptive_max_pool2d(x, (2, 3), return_indices=True), (2, 3, 6, 6)),
    "lp_pool2d": (lambda F, x: F.lp_pool2d(x, 2, 2), (2, 3, 6, 6)),
}


@pytest.mark.parametrize("name", HALF_POOL_CALLS)
def test_float16_pooling_matches_torch(name):
    call, shape = HALF_POOL_CALLS[name]
    assert_matches_torch(lambda L, x: call(L.nn.functional, x), randn(*shape).astype(np.float16), atol=2e-3, rtol=2e-3)
