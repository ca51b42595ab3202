"""batch/instance/layer/group/local-response norm against torch, running statistics,
gradcheck, double backward and errors."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_close, assert_matches_torch, gradcheck, randn


def F(lib):
    return lib.nn.functional


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(4, 3), (4, 3, 5), (3, 3, 4, 5)])
@pytest.mark.parametrize("affine", [True, False])
def test_batch_norm_training_matches_torch(shape, affine, dtype):
    x = randn(*shape, dtype=dtype)
    w, b = randn(3, dtype=dtype, seed=1), randn(3, dtype=dtype, seed=2)
    stats = {}
    for lib in (minitorch, torch):
        stats[lib] = (lib.zeros(3, dtype=getattr(lib, np.dtype(dtype).name)),
                      lib.ones(3, dtype=getattr(lib, np.dtype(dtype).name)))

    def fn(lib, x, w, b):
        rm, rv = stats[lib]
        return F(lib).batch_norm(x, rm, rv, w if affine else None, b if affine else None, True, 0.3)
    assert_matches_torch(fn, x, w, b)
    for m, t in zip(stats[minitorch], stats[torch]):
        assert_close(m, t)


def test_batch_norm_eval_matches_torch():
    rm, rv = randn(3, seed=4), np.abs(randn(3, seed=5)) + 0.5
    fn = lambda lib, x, w, b, rm, rv: F(lib).batch_norm(x, rm.detach(), rv.detach(), w, b, False, 0.1, 1e-3)  # noqa: E731
    assert_matches_torch(fn, randn(4, 3, 2, 2), randn(3, seed=1), randn(3, seed=2), rm, rv)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("normalized", [(5,), (4, 5), (3, 4, 5)])
def test_layer_norm_matches_torch(normalized, dtype):
    x = randn(2, 3, 4, 5, dtype=dtype)
    w, b = randn(*normalized, dtype=dtype, seed=1), randn(*normalized, dtype=dtype, seed=2)
    assert_matches_torch(lambda lib, x, w, b: F(lib).layer_norm(x, normalized, w, b, 1e-4), x, w, b)
    assert_matches_torch(lambda lib, x: F(lib).layer_norm(x, normalized), x)


@pytest.mark.parametrize("groups", [1, 2, 6])
@pytest.mark.parametrize("shape", [(2, 6, 5), (2, 6, 3, 4)])
def test_group_norm_matches_torch(groups, shape):
    x, w, b = randn(*shape), randn(6, seed=1), randn(6, seed=2)
    assert_matches_torch(lambda lib, x, w, b: F(lib).group_norm(x, groups, w, b), x, w, b)


@pytest.mark.parametrize("shape", [(2, 3, 6), (2, 3, 4, 5)])
def test_instance_norm_matches_torch(shape):
    x, w, b = randn(*shape), randn(3, seed=1), randn(3, seed=2)
    stats = {lib: (lib.zeros(3), lib.ones(3)) for lib in (minitorch, torch)}
    assert_matches_torch(lambda lib, x, w, b: F(lib).instance_norm(x, *stats[lib], w, b, momentum=0.2), x, w, b)
    for m, t in zip(stats[minitorch], stats[torch]):
        assert_close(m, t)
    assert_matches_torch(lambda lib, x: F(lib).instance_norm(x, *stats[lib], use_input_stats=False), x)


@pytest.mark.parametrize("shape,size", [((2, 6, 5), 3), ((2, 5, 3, 4), 2), ((1, 4, 2, 2, 3), 4)])
def test_local_response_norm_matches_torch(shape, size):
    assert_matches_torch(lambda lib, x: F(lib).local_response_norm(x, size, 1e-2, 0.75, 2.0), randn(*shape))


def test_norms_gradcheck():
    x, w, b = randn(3, 4, 2, 3), randn(4, seed=1), randn(4, seed=2)
    gradcheck(lambda lib, x, w, b: F(lib).batch_norm(x, None, None, w, b, True), x, w, b)
    gradcheck(lambda lib, x, w, b: F(lib).group_norm(x, 2, w, b), x, w, b)
    gradcheck(lambda lib, x, w, b: F(lib).layer_norm(x, (3,), w, b), x, randn(3, seed=1), randn(3, seed=2))
    gradcheck(lambda lib, x: F(lib).instance_norm(x), x)


@pytest.mark.parametrize("norm", [
    lambda lib, x, w: F(lib).batch_norm(x, None, None, w, None, True),
    lambda lib, x, w: F(lib).group_norm(x, 2, w),
    lambda lib, x, w: F(lib).instance_norm(x, weight=w),
    lambda lib, x, w: F(lib).batch_norm(x, lib.zeros(4, dtype=lib.float64), lib.ones(4, dtype=lib.float64) * 2, w),
])
def test_norm_double_backward_matches_torch(norm):
    def penalty(lib, x, w):
        y = norm(lib, x, w)
        gx, gw = lib.autograd.grad((y * y * y).sum(), (x, w), create_graph=True)
        return (gx * gx).sum() + (gw * gw).sum()
    assert_matches_torch(penalty, randn(3, 4, 2, 3, dtype=np.float64), randn(4, dtype=np.float64, seed=1))


@pytest.mark.parametrize("fn,shape,match", [
    (lambda lib, x: F(lib).batch_norm(x, None, None, training=True), (1, 3), r"more than 1 value per channel"),
    (lambda lib, x: F(lib).group_norm(x, 4), (2, 6, 3), r"divisible by num_groups"),
    (lambda lib, x: F(lib).layer_norm(x, (4,)), (2, 3, 5), r"normalized_shape=\[4\]"),
    (lambda lib, x: F(lib).batch_norm(x, lib.zeros(4), lib.ones(4)), (2, 3, 5), r"running_mean should contain 3"),
])
def test_norm_errors(fn, shape, match):
    x = randn(*shape)
    with pytest.raises(Exception) as expected:
        fn(torch, torch.tensor(x))
    with pytest.raises(type(expected.value), match=match):
        fn(minitorch, minitorch.tensor(x))
