"""In-place variants, versions and copy_ (_ops/inplace.py) against torch: values, gradients,
the fast path without autograd, and the errors for leaves and stale saved tensors."""
import numpy as np
import pytest
import torch

import minitorch
from conftest import (assert_matches_torch, away_from_zero, gradcheck, positive, randn, same_error,
                      same_outcome, unit)


# ----- in-place ---------------------------------------------------------------------------
INPLACE_UNARY = ["abs_", "neg_", "negative_", "reciprocal_", "exp_", "exp2_", "log_", "log2_", "log10_",
                 "log1p_", "expm1_", "sqrt_", "rsqrt_", "square_", "sin_", "cos_", "tan_", "asin_",
                 "acos_", "atan_", "sinh_", "cosh_", "tanh_", "sigmoid_", "relu_", "erf_", "erfc_",
                 "sign_", "floor_", "ceil_", "trunc_", "frac_", "round_", "nan_to_num_", "arcsin_",
                 "asinh_", "atanh_", "fix_", "logical_not_"]


@pytest.mark.parametrize("name", INPLACE_UNARY)
def test_unary_in_place_methods_match_torch_with_gradients(name):
    x = unit(randn(2, 3))
    if name in ("log_", "log2_", "log10_", "sqrt_", "rsqrt_", "reciprocal_"):
        x = positive(x)

    def fn(lib, t):
        y = t * 1  # a non-leaf, which may be modified in place
        out = getattr(y, name)()
        assert out is y
        return y
    assert_matches_torch(fn, x, grad=name not in ("asinh_", "atanh_"))  # torch lacks these two gradients
    if hasattr(torch, name):  # torch.exp_(t) and friends
        assert_matches_torch(lambda lib, t: getattr(lib, name)(t * 1), x, grad=name not in ("asinh_", "atanh_"))


INPLACE_BINARY = {
    "add_": lambda y, o: y.add_(o), "add_alpha": lambda y, o: y.add_(o, alpha=2), "sub_": lambda y, o: y.sub_(o),
    "mul_": lambda y, o: y.mul_(o), "div_": lambda y, o: y.div_(o),
    "div_floor": lambda y, o: y.div_(o, rounding_mode="floor"), "pow_": lambda y, o: y.abs().pow_(o),
    "remainder_": lambda y, o: y.remainder_(o), "fmod_": lambda y, o: y.fmod_(o),
    "atan2_": lambda y, o: y.atan2_(o), "hypot_": lambda y, o: y.hypot_(o), "lerp_": lambda y, o: y.lerp_(o, 0.3),
    "clamp_": lambda y, o: y.clamp_(o - 1, o + 1), "clip_": lambda y, o: y.clip_(min=o),
    "clamp_min_": lambda y, o: y.clamp_min_(0.1), "clamp_max_": lambda y, o: y.clamp_max_(0.1),
    "copy_": lambda y, o: y.copy_(o),
    "eq_": lambda y, o: y.eq_(o), "lt_": lambda y, o: y.lt_(o), "ge_": lambda y, o: y.ge_(o),
    "logical_and_": lambda y, o: y.logical_and_(o), "subtract_": lambda y, o: y.subtract_(o),
    "+=": lambda y, o: y.__iadd__(o), "-=": lambda y, o: y.__isub__(o), "*=": lambda y, o: y.__imul__(o),
    "/=": lambda y, o: y.__itruediv__(o), "%=": lambda y, o: y.__imod__(o), "**=": lambda y, o: y.abs().__ipow__(o),
}


@pytest.mark.parametrize("name", sorted(INPLACE_BINARY))
def test_binary_in_place_methods_broadcast_other_and_match_torch(name):
    x, other = randn(2, 3), away_from_zero(randn(3))

    def fn(lib, t, o):
        y = t * 1
        out = INPLACE_BINARY[name](y, o)
        return out
    assert_matches_torch(fn, x, other)
    if name not in ("div_floor", "eq_", "lt_", "ge_", "logical_and_"):
        gradcheck(fn, x.astype(np.float64), other.astype(np.float64))


@pytest.mark.parametrize("name", ["add_", "sub_", "mul_", "div_", "__iadd__", "__isub__", "__imul__", "__itruediv__"])
def test_in_place_arithmetic_without_autograd(name):
    # the direct-to-buffer path: numbers, same-dtype tensors, broadcasting, alpha, views, and its fallbacks
    cases = [(randn(2, 3), 2.5), (randn(2, 3), randn(3)), (randn(2, 3), np.array(1.5, np.float32)),
             (randn(2, 3), randn(3).astype(np.float64)), (np.array([4, 6]), 2), (randn(3), randn(2, 3))]
    for x, other in cases:
        same_outcome(lambda lib, t: getattr(t, name)(lib.tensor(other) if isinstance(other, np.ndarray) else other), x)
        if name in ("add_", "sub_"):
            same_outcome(lambda lib, t: getattr(t, name)(lib.tensor(other) if isinstance(other, np.ndarray)
                                                         else other, alpha=-2), x)
    with minitorch.no_grad():
        w = minitorch.ones(2, 3, requires_grad=True)
        v = w[:, 1]
        version = w._version
        getattr(v, name)(minitorch.tensor([2.0, 2.0]))
    assert w._version == version + 1 and w[:, 1].tolist() == getattr(torch.ones(2), name)(2.0).tolist()


def test_in_place_operators_rebind_the_same_tensor():
    x = minitorch.tensor([1, 2, 6])
    y = x
    y += 1
    y *= 2
    y //= 3
    y %= 3
    y **= 2
    y |= 8
    y &= 12
    y ^= 1
    t = torch.tensor([1, 2, 6])
    t += 1
    t *= 2
    t //= 3
    t %= 3
    t **= 2
    t |= 8
    t &= 12
    t ^= 1
    assert y is x and x.tolist() == t.tolist()


def test_in_place_bumps_version_and_breaks_saved_tensors():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    z = y.sin()  # saves y
    v = y._version
    y.add_(1)
    assert y._version == v + 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_in_place_errors_match_torch():
    same_error(lambda lib, a: a.add_(1.5), np.array([1, 2]))
    same_error(lambda lib, a: a.exp_(), np.array([1, 2]))
    same_error(lambda lib, a: a.div_(2), np.array([1, 2]))
    same_error(lambda lib, a: a.add_(1), np.array([True]))
    same_error(lambda lib, a: a.mul_(lib.ones(2, 3)), np.ones(3, dtype=np.float32))
    same_error(lambda lib, a: a.lerp_(lib.ones(1, 3), 0.5), np.ones(3, dtype=np.float32))
    same_error(lambda lib, a: a.copy_(lib.ones(2, 3)), np.ones(3, dtype=np.float32))
    same_error(lambda lib, a: a.copy_(lib.ones(4)), np.ones((2, 3), dtype=np.float32))
    same_error(lambda lib, a: a.requires_grad_().add_(1), np.ones(3, dtype=np.float32))
    same_outcome(lambda lib, a: a.mul_(lib.tensor([True, False])), np.array([1, 2]))
    same_outcome(lambda lib, a: a.add_(True), np.array([True, False]))
    same_outcome(lambda lib, a: a.copy_(lib.tensor([1.7, -2.7])), np.array([1, 2]))
    same_outcome(lambda lib, a: a.eq_(3), np.array([3, 4]))
    same_outcome(lambda lib, a: a.logical_not_(), np.array([3.0, 0.0]))


def test_copy_gradients_flow_to_source_not_to_overwritten_history():
    assert_matches_torch(lambda lib, a, s: (a * 2).copy_(s), randn(2, 3), randn(3))
    assert_matches_torch(lambda lib, a, s: (a * 2).copy_(s.double()), randn(2, 3), randn(3))
    assert_matches_torch(lambda lib, a, s: (a * 2)[0].copy_(s) * a[0], randn(2, 3), randn(3))
    gradcheck(lambda lib, a, s: (a * 2).copy_(s), randn(2, 3), randn(3))
    with minitorch.no_grad():  # parameter initialisation writes into leaves that require grad
        w = minitorch.ones(3, requires_grad=True)
        w.copy_(minitorch.tensor([1.0, 2.0, 3.0])).mul_(2).zero_().fill_(4.0)
    assert w.tolist() == [4.0, 4.0, 4.0] and w.requires_grad and w.is_leaf


@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
@pytest.mark.parametrize("method", ["add_", "sub_"])
def test_a_bool_alpha_is_refused_for_non_bool_results_also_on_the_fast_path(dtype, method):
    same_outcome(lambda L, a: getattr(a.clone(), method)(a, alpha=True), np.ones(2, dtype=dtype))


@pytest.mark.parametrize("call", [lambda L: L.tensor(False).pow_(L.tensor([True])),
                                  lambda L: L.tensor(True).bitwise_and_(L.tensor([1.5])),
                                  lambda L: L.tensor([1, 2]).fmod_(L.ones(3))])
def test_an_in_place_binary_op_reports_the_broadcast_shape_before_the_dtype_like_torch(call):
    # torch's TensorIterator checks shapes before it looks for a kernel (found by make fuzz)
    same_error(call)
