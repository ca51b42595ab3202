"""batch/instance/layer/group/local-response norm against torch, running statistics,
gradcheck, double backward and errors."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import assert_close, assert_matches_torch, gradcheck, randn, same_outcome


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


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_of_a_cnn_sized_batch_matches_torch(training):
    """A plane of 17x23 values per image: the kernels' vectorised sums run over full and
    partial lanes; values, gradients and running statistics against torch."""
    x = randn(6, 4, 17, 23) * 3 + 2
    stats = {lib: (lib.tensor(randn(4, seed=4)), lib.tensor(np.abs(randn(4, seed=5)) + 0.5))
             for lib in (minitorch, torch)}

    def fn(lib, x, w, b):
        return F(lib).batch_norm(x, *stats[lib], w, b, training, 0.2)
    assert_matches_torch(fn, x, randn(4, seed=1), randn(4, seed=2), atol=1e-4)
    for m, t in zip(stats[minitorch], stats[torch]):
        assert_close(m, t)


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


# ----- argument checks, gradients over every shape, float16 ---------------------------------------------------
NORM_SHAPES = [(2,), (2, 4), (1, 4), (2, 4, 3), (1, 4, 1), (2, 4, 1), (2, 4, 3, 2)]


def _norm_calls(shape):
    """(call, arrays) pairs: every norm with and without affine parameters on an input of `shape`."""
    c = shape[1] if len(shape) > 1 else 1
    x, w, b = randn(*shape), randn(c, seed=1), randn(c, seed=2)
    calls = [(lambda L, x: F(L).instance_norm(x), [x]),
             (lambda L, x, w, b: F(L).instance_norm(x, weight=w, bias=b), [x, w, b]),
             (lambda L, x, w, b: F(L).batch_norm(x, None, None, w, b, training=True), [x, w, b]),
             (lambda L, x, w, b: F(L).batch_norm(x, L.zeros(c), L.ones(c), w, b, training=False), [x, w, b]),
             (lambda L, x: F(L).batch_norm(x, None, None, training=False), [x]),
             (lambda L, x: F(L).batch_norm(x, L.zeros(c), None, training=False), [x]),
             (lambda L, x: F(L).batch_norm(x, L.zeros(5), L.ones(5), training=False), [x]),
             (lambda L, x: F(L).batch_norm(x, L.zeros(c), L.ones(5), training=False), [x]),
             (lambda L, x, w: F(L).batch_norm(x, L.zeros(c), L.ones(c), w, training=False), [x, randn(5)]),
             (lambda L, x: F(L).batch_norm(x, L.zeros(c, dtype=L.float64), L.ones(c), training=False), [x])]
    for groups in (1, 2, 3, 4):
        calls.append((lambda L, x, w, b, g=groups: F(L).group_norm(x, g, w, b), [x, w, b]))
        calls.append((lambda L, x, g=groups: F(L).group_norm(x, g), [x]))
    for k in range(len(shape) + 1):
        normalized = shape[len(shape) - k:]
        calls.append((lambda L, x, w, b, s=normalized: F(L).layer_norm(x, s, w, b),
                      [x, randn(*normalized, seed=1), randn(*normalized, seed=2)]))
        calls.append((lambda L, x, s=normalized: F(L).layer_norm(x, s), [x]))
    return calls


@pytest.mark.parametrize("shape", NORM_SHAPES, ids=str)
def test_norms_match_torch_on_every_shape(shape):
    """Values and gradients where torch computes; torch's exception where it refuses (eval-mode batch norm
    without running stats, one value per group, layer_norm over all dims, mismatched stats)."""
    for call, arrays in _norm_calls(shape):
        try:
            expected = call(torch, *[torch.tensor(a) for a in arrays])
        except Exception as e:
            with pytest.raises(type(e)):
                call(minitorch, *[minitorch.tensor(a) for a in arrays])
            continue
        assert_matches_torch(call, *arrays, atol=1e-4)  # gradients that cancel to ~0 differ by rounding


@pytest.mark.parametrize("fn", ["batch_norm", "instance_norm", "layer_norm", "group_norm"])
def test_norms_refuse_integer_input_like_torch(fn):
    calls = {"batch_norm": lambda L, x: F(L).batch_norm(x, L.zeros(4), L.ones(4)),
             "instance_norm": lambda L, x: F(L).instance_norm(x),
             "layer_norm": lambda L, x: F(L).layer_norm(x, (3,)),
             "group_norm": lambda L, x: F(L).group_norm(x, 2)}
    same_outcome(calls[fn], np.ones((2, 4, 3), np.int64))


HALF_CALLS = {
    "layer_norm": lambda L, x, w, b: F(L).layer_norm(x, (3,)),
    "layer_norm_affine": lambda L, x, w, b: F(L).layer_norm(x, (4, 3), w.reshape(4, 1).expand(4, 3),
                                                            b.reshape(4, 1).expand(4, 3)),
    "instance_norm": lambda L, x, w, b: F(L).instance_norm(x),
    "instance_norm_affine": lambda L, x, w, b: F(L).instance_norm(x, weight=w, bias=b),
    "group_norm": lambda L, x, w, b: F(L).group_norm(x, 2, w, b),
    "batch_norm": lambda L, x, w, b: F(L).batch_norm(x, None, None, w, b, training=True),
}


@pytest.mark.parametrize("name", HALF_CALLS)
def test_float16_norms_are_as_accurate_as_torch(name):
    """Statistics of float16 input are taken in float32 (not from x - mean rounded to half: off by 4e-2)."""
    x = (randn(2, 4, 3) * 100 + 300).astype(np.float16)
    w, b = randn(4, seed=1).astype(np.float16), randn(4, seed=2).astype(np.float16)
    assert_matches_torch(HALF_CALLS[name], x, w, b, atol=1e-2, rtol=5e-3)  # values agree to 1 ulp (~1e-3)


def _input_gradient(L, call, x, dtype):
    t = L.tensor(x.astype(dtype), requires_grad=True)
    out = call(L, t)
    weights = randn(*out.shape, seed=3).astype(np.float16)  # the same numbers in every dtype
    return L.autograd.grad((out * L.tensor(weights, dtype=out.dtype)).sum(), t)[0].numpy().astype(np.float64)


@pytest.mark.parametrize("call", [lambda L, x: F(L).instance_norm(x),
                                  lambda L, x: F(L).batch_norm(x[:, :, 0], None, None, training=True)])
def test_float16_batch_and_instance_norm_gradients_are_computed_in_float32_like_torchs(call):
    # over 2 values the exact input gradient is 0 and what is left is rounding: minitorch's half backward
    # (float32 statistics and arithmetic, as torch's half kernel) leaves noise no larger than torch's
    # (it computed in half and was 20x off the exact gradient)
    x = (randn(2, 6, 2) * 3).astype(np.float16).astype(np.float64)
    exact = _input_gradient(torch, call, x, np.float64)
    ours, theirs = (_input_gradient(L, call, x, np.float16) for L in (minitorch, torch))
    assert np.abs(ours - exact).max() <= max(np.abs(theirs - exact).max(), 2e-3)


@pytest.mark.parametrize("call", [lambda L, x: F(L).batch_norm(x, None, None, training=True),
                                  lambda L, x: F(L).instance_norm(x)])
def test_float16_training_norm_gradients_use_the_statistics_rounded_to_half_like_torchs(call):
    # torch saves a half input's mean and invstd as half and differentiates from those: on a channel of
    # nearly equal values (variance 0.003 here) that moves the gradient by 0.15, far past half's rounding
    # of the result, and minitorch (unrounded statistics) differed from torch by that much
    rng = np.random.default_rng(233)
    x, weights = (rng.standard_normal((1, 4, 2, 2)).astype(np.float16) for _ in range(2))
    grads = []
    for L in (minitorch, torch):
        t = L.tensor(x, requires_grad=True)
        (call(L, t) * L.tensor(weights)).sum().backward()
        grads.append(t.grad.numpy().astype(np.float64) if L is minitorch else t.grad.double().numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=2e-3, atol=1e-3)  # half's rounding of the result


def test_float32_group_norm_gradient_over_two_values_is_as_accurate_as_torchs():
    # the input gradient's terms nearly cancel over 2 values; in float32 minitorch was 8x torch's error
    # (2.1e-5 against 2.7e-6 from the exact gradient of about 16 here): it now differentiates in float64
    rng = np.random.default_rng(55)
    x, weights = (rng.standard_normal((2, 2)) * 1e-2).astype(np.float32), rng.standard_normal((2, 2))
    grads = []
    for L, dtype in ((minitorch, np.float32), (torch, np.float32), (torch, np.float64)):
        t = L.tensor(x.astype(dtype), requires_grad=True)
        (F(L).group_norm(t, 1) * L.tensor(weights.astype(dtype))).sum().backward()
        assert t.grad.dtype == t.dtype
        grads.append(np.asarray(t.grad.numpy(), np.float64))
    ours, theirs, exact = grads
    scale = np.abs(exact).max()
    assert np.abs(ours - exact).max() <= min(np.abs(theirs - exact).max(), 1e-6 * scale)



@pytest.mark.parametrize("size", [3, 4, 7, 8, 9, 16, 36])
def test_float32_group_norm_gradient_is_as_accurate_as_torchs_for_every_group_size(size):
    # float64 below 8 values per group, float32 from 8 on (where float64 doubled the backward's time):
    # both as close to the exact gradient as torch's, over inputs of scales 1e-2 to 1e2 with an offset
    for seed in range(40):
        rng = np.random.default_rng(seed)
        scale = 10.0 ** rng.uniform(-2, 2)
        x = (rng.standard_normal((3, size)) * scale + rng.standard_normal() * scale).astype(np.float32)
        weights = rng.standard_normal((3, size))
        grads = []
        for L, dtype in ((minitorch, np.float32), (torch, np.float32), (torch, np.float64)):
            t = L.tensor(x.astype(dtype), requires_grad=True)
            (F(L).group_norm(t, 1) * L.tensor(weights.astype(dtype))).sum().backward()
            grads.append(np.asarray(t.grad.numpy(), np.float64))
        ours, theirs, exact = grads
        scale_of_gradient = max(1.0, np.abs(exact).max())
        assert np.abs(ours - exact).max() <= 2 * np.abs(theirs - exact).max() + 1e-7 * scale_of_gradient


# ----- batches of 0 and groups of one value ------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda L, x: L.nn.functional.group_norm(x, 2), lambda L, x: L.nn.functional.layer_norm(x, x.shape[-1:]),
    lambda L, x: L.nn.functional.instance_norm(x), lambda L, x: L.nn.functional.batch_norm(x, None, None,
                                                                                           training=True),
])
def test_norms_of_an_empty_batch_match_torch(call):
    x = np.ones((0, 4, 3), dtype="float32")
    same_outcome(call, x)
    same_outcome(lambda L, a: L.nn.functional.layer_norm(a, (0,)), np.ones((2, 0), dtype="float32"))


def test_group_norm_of_one_value_per_group_normalises_in_torch_group_norm_and_raises_in_F():
    same_outcome(lambda L, x: L.group_norm(x, 1), randn(1, 1, 1))
    same_outcome(lambda L, x: L.nn.functional.group_norm(x, 1), randn(1, 1, 1))  # ValueError
    same_outcome(lambda L, x: L.nn.GroupNorm(1, 1)(x), randn(1, 1, 1))


# ----- layer norm over a few values: the rounding decides the gradient --------------------

@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize("normalized", [(1,), (2,), (3,), (2, 3), (7,), (9,)], ids=str)
@pytest.mark.parametrize("affine", [False, True])
def test_layer_norm_over_a_few_values_matches_torchs_rounding(dtype, normalized, affine):
    # with 2 values xhat is +-1 whatever x is, so the input gradient is pure rounding: torch's
    # float32 moments (Welford), its regrouped backward formula, and float16 statistics for half
    rng = np.random.default_rng(len(normalized) * 10 + normalized[-1])
    x = (rng.standard_normal((5,) + normalized) * 2).astype(dtype)
    w = rng.standard_normal(normalized).astype(dtype)
    b = rng.standard_normal(normalized).astype(dtype)
    loose = {"atol": 1e-2, "rtol": 1e-2} if dtype == "float16" else {"atol": 1e-7, "rtol": 1e-5}
    assert_matches_torch(lambda L, t, ww, bb: L.nn.functional.layer_norm(t, normalized, ww if affine else None,
                                                                         bb if affine else None), x, w, b, **loose)


def test_layer_norm_gradient_of_two_values_is_torchs_to_the_bit():
    x = np.array([[[1.134, -1.021], [-3.071, -3.149]]], np.float32)
    w = np.array([[[0.3, -1.2], [0.7, 2.1]]], np.float32)
    grads = []
    for lib in (minitorch, torch):
        t = lib.tensor(x, requires_grad=True)
        lib.nn.functional.layer_norm(t, (2,)).mul(lib.tensor(w)).sum().backward()
        grads.append(t.grad.numpy())
    np.testing.assert_array_equal(grads[0], grads[1])


@pytest.mark.parametrize("shape,groups", [((2, 3, 1), 3), ((4, 2, 2), 1), ((3, 4, 1), 2), ((2, 6, 1), 3)], ids=str)
def test_group_norm_values_round_like_torchs_kernel(shape, groups):
    # groups under 8 values (torch's scalar moments): rstd in double, then
    # y = x * (rstd * gamma) + (beta - rstd * gamma * mean), fused: to the bit
    rng = np.random.default_rng(sum(shape))
    x = (rng.standard_normal(shape) * 2).astype(np.float32)
    w, b = rng.standard_normal(shape[1]).astype(np.float32), rng.standard_normal(shape[1]).astype(np.float32)
    ours = minitorch.group_norm(minitorch.tensor(x), groups, minitorch.tensor(w), minitorch.tensor(b)).numpy()
    np.testing.assert_array_equal(ours, torch.group_norm(torch.tensor(x), groups, torch.tensor(w), torch.tensor(b)).numpy())
